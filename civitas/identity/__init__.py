"""Identity: sign-in with OpenID Connect providers, levels of assurance and sessions.

Other blocks ask for a signed-in person with :func:`require_session` (at a level of
assurance) and read who it is from the :class:`Session`. Pages about a person's affairs
ask :func:`require_subject` instead: while someone acts for another person or company
(:class:`ActingOnline`), the :class:`Subject` is them, and each act done for them is
recorded with :meth:`ActingOnline.record`.
"""

from __future__ import annotations

from civitas.identity.acting import ActingOnline
from civitas.identity.assurance import VOCABULARIES, AssuranceMap, Level, assurance_map
from civitas.identity.domain import Person, Session, SignInNeeded, Subject
from civitas.identity.mandates import not_covered
from civitas.identity.services import Identity, SessionRules
from civitas.identity.web import require_session, require_subject, session_of

__all__ = [
    "VOCABULARIES",
    "ActingOnline",
    "AssuranceMap",
    "Identity",
    "Level",
    "Person",
    "Session",
    "SessionRules",
    "SignInNeeded",
    "Subject",
    "assurance_map",
    "not_covered",
    "require_session",
    "require_subject",
    "session_of",
]
