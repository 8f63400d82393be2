"""Proactive services: the inbox of register change events, the feeds' cursors, decisions.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proactive_events",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("registry", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("national_id", sa.String(64), nullable=False, index=True),
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
    )
    op.create_index(
        "proactive_events_waiting",
        "proactive_events",
        ["handled_at", "occurred_on", "registry", "seq"],
    )
    op.create_table(
        "proactive_cursors",
        sa.Column("registry", sa.String(64), primary_key=True),
        sa.Column("cursor", sa.String(200), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "proactive_decisions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("national_id", sa.String(64), nullable=False, index=True),
        sa.Column("beneficiary", sa.String(64), nullable=False, index=True),
        sa.Column("service", sa.String(100), nullable=False),
        sa.Column("life_event", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("cause", sa.String(200), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=True),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("missing", sa.Text, nullable=False),
        sa.Column("data_used", sa.Text, nullable=False),
        sa.Column("trace", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("application", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("proactive_decisions")
    op.drop_table("proactive_cursors")
    op.drop_index("proactive_events_waiting", table_name="proactive_events")
    op.drop_table("proactive_events")
