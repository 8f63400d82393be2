"""The identity block's tables and their stores (SQLite or PostgreSQL), one module a concept."""

from __future__ import annotations

from civitas.identity.store.consent_codes import (
    SqlConsentCodeStore,
    SqlServingStore,
    consent_codes_table,
    serving_table,
)
from civitas.identity.store.mandates import SqlMandateStore, acts_table, mandates_table
from civitas.identity.store.sessions import (
    SqlPendingStore,
    SqlSessionStore,
    pending_table,
    sessions_table,
)
from civitas.identity.store.staff import SqlStaffStore, staff_table

__all__ = [
    "SqlConsentCodeStore",
    "SqlMandateStore",
    "SqlPendingStore",
    "SqlServingStore",
    "SqlSessionStore",
    "SqlStaffStore",
    "acts_table",
    "consent_codes_table",
    "mandates_table",
    "pending_table",
    "serving_table",
    "sessions_table",
    "staff_table",
]
