"""Turn the registers' answers into the facts of a form, each with its proof.

Pure functions: a register's record becomes one :class:`Fact` per field it fills
(a value it does not hold leaves the field to be asked), and the population
register's relations become the children a person can choose from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from civitas.applications.domain import Choice, Fact, FieldType, Form, FormField, parse_value

ADULT_AGE = 18


def facts_of(
    form: Form,
    answers: Mapping[str, tuple[Sequence[Mapping[str, Any]], str]],
    record_ids: Mapping[str, str],
) -> dict[str, Fact]:
    """Field id -> fact, for every sourced field a register answered with a value.

    ``answers`` maps each register service to (its records, the message id);
    ``record_ids`` names each register's record-number column (``member/subsystem``).
    """
    facts: dict[str, Fact] = {}
    for f in form.fields:
        if f.source is None or f.type is FieldType.CHILD or f.source.service not in answers:
            continue
        records, message_id = answers[f.source.service]
        if not records:
            continue
        record = records[0]  # a register holds one record of a person's own
        raw = record.get(f.source.item)
        if raw is None or str(raw).strip() == "":
            continue
        record_id = record.get(record_ids.get(f.source.party, ""), "")
        facts[f.id] = Fact(
            _canonical(f, raw), f.source.party, f.source.item, message_id, str(record_id or "")
        )
    return facts


def children_of(
    parent: str, records: Sequence[Mapping[str, Any]], today: dt.date
) -> tuple[Choice, ...]:
    """The living children under 18 of ``parent`` among the population register's relations."""
    found = []
    for record in records:
        parents = {str(record.get("mother_national_id")), str(record.get("father_national_id"))}
        if parent.lstrip("0") not in parents or record.get("death_date"):
            continue
        born = dt.date.fromisoformat(str(record["birth_date"]))
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < ADULT_AGE:
            name = f"{record.get('first_name', '')} {record.get('family_name', '')}".strip()
            number = str(record["national_id"]).zfill(9)
            found.append(Choice(number, f"{name} ({born.isoformat()})"))
    return tuple(found)


def _canonical(f: FormField, raw: object) -> str:
    if f.source is not None and f.source.item.endswith("national_id"):
        return str(raw).zfill(9)  # the register keeps it as a number; people write 9 digits
    try:  # the register's form of a value (money as "12.50") as the form keeps it (cents)
        return parse_value(f.type, str(raw)[:10] if f.type is FieldType.DATE else str(raw))
    except ValueError:
        return str(raw).strip()  # shown as the register gave it; the person can correct it
