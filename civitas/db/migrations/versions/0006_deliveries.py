"""Deliveries: the outbox of documents for agencies (tell us once, reported errors), and the
changes of address people told once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("service", sa.String(300), nullable=False),
        sa.Column("national_id", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("purpose", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(100), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True, index=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
    )
    op.create_table(
        "tell_us_once_changes",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("national_id", sa.String(64), nullable=False, index=True),
        sa.Column("told_by", sa.String(64), nullable=False),
        sa.Column("street", sa.Text, nullable=False),
        sa.Column("house_number", sa.String(20), nullable=False),
        sa.Column("postcode", sa.String(20), nullable=False),
        sa.Column("municipality", sa.Text, nullable=False),
        sa.Column("moved_on", sa.Date, nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("applications_reported_errors") as table:
        table.drop_index("ix_applications_reported_errors_delivered_at")
        table.drop_column("delivered_at")
        table.add_column(sa.Column("delivery_id", sa.String(40), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("applications_reported_errors") as table:
        table.drop_column("delivery_id")
        table.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
        table.create_index("ix_applications_reported_errors_delivered_at", ["delivered_at"])
    op.drop_table("tell_us_once_changes")
    op.drop_table("deliveries")
