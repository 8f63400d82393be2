"""Identity: sign-in with OpenID Connect providers, levels of assurance and sessions.

Other blocks ask for a signed-in person with :func:`require_session` (at a level of
assurance) and read who it is from the :class:`Session`.
"""

from __future__ import annotations

from civitas.identity.assurance import VOCABULARIES, AssuranceMap, Level, assurance_map
from civitas.identity.domain import Person, Session, SignInNeeded
from civitas.identity.services import Identity, SessionRules
from civitas.identity.web import require_session, session_of

__all__ = [
    "VOCABULARIES",
    "AssuranceMap",
    "Identity",
    "Level",
    "Person",
    "Session",
    "SessionRules",
    "SignInNeeded",
    "assurance_map",
    "require_session",
    "session_of",
]
