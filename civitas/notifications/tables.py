"""The notifications' tables (migration 0008), and rows to domain objects and back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.notifications.domain import (
    Channel,
    Delivery,
    DeliveryState,
    Message,
    Notice,
    PostalAddress,
    Preferences,
)

messages_table = Table(
    "notification_messages",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key", String(200), nullable=False, unique=True),  # a notice is kept once
    Column("national_id", String(64), nullable=False, index=True),
    Column("template", String(100), nullable=False),
    Column("params", Text, nullable=False),  # JSON object
    Column("link", String(500), nullable=False),
    Column("address", Text, nullable=False),  # JSON object, or "" for none
    Column("created_at", UtcDateTime(), nullable=False),
    Column("read_at", UtcDateTime(), nullable=True),
)

deliveries_table = Table(
    "notification_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column(
        "message_id",
        String(40),
        ForeignKey("notification_messages.id"),
        nullable=False,
        index=True,
    ),
    Column("channel", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=True, index=True),
    Column("sent_at", UtcDateTime(), nullable=True),
    Column("problem", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

preferences_table = Table(
    "notification_preferences",
    metadata,
    Column("national_id", String(64), primary_key=True),
    Column("language", String(8), nullable=False),
    Column("email", String(320), nullable=False),
    Column("email_on", Boolean, nullable=False),
    Column("letters_on", Boolean, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)


def message_row(message_id: str, notice: Notice, at: dt.datetime) -> dict[str, Any]:
    params = {
        name: dict(value) if isinstance(value, Mapping) else value
        for name, value in notice.params.items()
    }
    address = notice.address
    return {
        "id": message_id,
        "key": notice.key,
        "national_id": notice.national_id,
        "template": notice.template,
        "params": json.dumps(params, ensure_ascii=False, sort_keys=True),
        "link": notice.link,
        "address": json.dumps(asdict(address), ensure_ascii=False) if address else "",
        "created_at": at,
        "read_at": None,
    }


def message_of_row(row: Any, deliveries: tuple[Delivery, ...] = ()) -> Message:
    return Message(
        id=row.id,
        key=row.key,
        national_id=row.national_id,
        template=row.template,
        params=json.loads(row.params),
        link=row.link,
        address=PostalAddress(**json.loads(row.address)) if row.address else None,
        created_at=row.created_at,
        read_at=row.read_at,
        deliveries=deliveries,
    )


def delivery_row(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "message_id": delivery.message_id,
        "channel": delivery.channel.value,
        "language": delivery.language,
        "recipient": delivery.recipient,
        "state": delivery.state.value,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "sent_at": delivery.sent_at,
        "problem": delivery.problem,
        "created_at": delivery.created_at,
    }


def delivery_of_row(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        message_id=row.message_id,
        channel=Channel(row.channel),
        language=row.language,
        state=DeliveryState(row.state),
        created_at=row.created_at,
        recipient=row.recipient,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        problem=row.problem,
    )


def preferences_of_row(row: Any) -> Preferences:
    return Preferences(row.language, row.email, bool(row.email_on), bool(row.letters_on))
