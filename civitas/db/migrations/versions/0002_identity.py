"""Identity: sessions (by the hash of their cookie), sign-ins waiting for the provider,
staff roles, mandates and the acts done under them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("national_id", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("given_name", sa.Text, nullable=False),
        sa.Column("family_name", sa.Text, nullable=False),
        sa.Column("birthdate", sa.String(10), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("acr", sa.Text, nullable=False),
        sa.Column("id_token", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "identity_pending_sign_ins",
        sa.Column("state", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("return_to", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_table(
        "identity_staff_roles",
        sa.Column("national_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(32), primary_key=True),
        sa.Column("organisation", sa.String(100), primary_key=True),
        sa.Column("granted_by", sa.String(64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "identity_mandates",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("grantor", sa.String(64), nullable=False, index=True),
        sa.Column("grantor_name", sa.Text, nullable=False),
        sa.Column("delegate", sa.String(64), nullable=False, index=True),
        sa.Column("delegate_name", sa.Text, nullable=False),
        sa.Column("services", sa.Text, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "identity_mandate_acts",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False, index=True),
        sa.Column("actor_name", sa.Text, nullable=False),
        sa.Column("represented", sa.String(64), nullable=False, index=True),
        sa.Column("ground", sa.String(16), nullable=False),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("mandate_id", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("identity_mandate_acts")
    op.drop_table("identity_mandates")
    op.drop_table("identity_staff_roles")
    op.drop_table("identity_pending_sign_ins")
    op.drop_table("identity_sessions")
