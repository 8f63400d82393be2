"""Applications: prefilled applications, the provenance of every value, and the
corrections to report to the registers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications_applications",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("service_id", sa.String(100), nullable=False, index=True),
        sa.Column("national_id", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("choices", sa.Text, nullable=False),
        sa.Column("unanswered", sa.Text, nullable=False),
    )
    op.create_table(
        "applications_fields",
        sa.Column(
            "application_id",
            sa.String(40),
            sa.ForeignKey("applications_applications.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("field_id", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("origin", sa.String(16), nullable=True),
        sa.Column("registry_value", sa.Text, nullable=True),
        sa.Column("party", sa.String(200), nullable=True),
        sa.Column("item", sa.String(100), nullable=True),
        sa.Column("message_id", sa.String(128), nullable=True),
        sa.Column("record_id", sa.String(100), nullable=True),
    )
    op.create_table(
        "applications_reported_errors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "application_id",
            sa.String(40),
            sa.ForeignKey("applications_applications.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("party", sa.String(200), nullable=False),
        sa.Column("national_id", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(100), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("registry_value", sa.Text, nullable=False),
        sa.Column("person_value", sa.Text, nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True, index=True),
    )


def downgrade() -> None:
    op.drop_table("applications_reported_errors")
    op.drop_table("applications_fields")
    op.drop_table("applications_applications")
