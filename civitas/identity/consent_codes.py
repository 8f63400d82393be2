"""One-time consent codes, and the desk session ("serving") one opens: plain values, no I/O.

A person who has not given the desk a mandate can still be helped on the spot: from
their account they make a short code, choose what it covers, and read it out at the
desk or on the phone. The code is short enough to say aloud (8 characters from an
alphabet without look-alikes: no 0/O, 1/I/L), lasts 30 minutes and opens one desk
session only. Only its hash is stored, so a copy of the database opens nothing.

The serving a code or a mandate opens is bound to one staff member's session and shows
only what it covers.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from civitas.core.errors import FieldError, InvalidInput, RuleBroken
from civitas.core.i18n import N_

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols, none mistaken for another
LENGTH = 8
LIFETIME = dt.timedelta(minutes=30)  # a code, and a desk session, last this long at most
SERVING_LIFETIME = dt.timedelta(minutes=30)


class CodeState(enum.StrEnum):
    ACTIVE = "active"
    USED = "used"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # never stored: an active code past its end


class ServingGround(enum.StrEnum):
    MANDATE = "mandate"  # an accepted mandate given to this staff member
    CODE = "code"  # a one-time consent code read out on the spot


@dataclass(frozen=True)
class ConsentCode:
    """A person's one-time permission for a desk to serve them, for some services."""

    id: str
    holder: str  # national number of the person who made it
    holder_name: str
    code_hash: str
    services: tuple[str, ...]  # catalogue service ids; empty: only look up their details
    created_at: dt.datetime
    expires_at: dt.datetime
    state: CodeState = CodeState.ACTIVE
    changed_at: dt.datetime | None = None  # when it was used or cancelled
    used_by: str = ""  # national number of the staff member who used it
    used_by_name: str = ""

    def state_at(self, now: dt.datetime) -> CodeState:
        if self.state is CodeState.ACTIVE and now >= self.expires_at:
            return CodeState.EXPIRED
        return self.state


@dataclass(frozen=True)
class Serving:
    """A staff member serving one person, right now, within what the person allowed."""

    staff_session: str  # the staff member's session id: the serving ends with it
    staff: str  # the staff member's national number
    staff_name: str
    person: str  # national number of the person served
    person_name: str
    ground: ServingGround
    services: tuple[str, ...]  # what may be done; empty: only look up their details
    opened_at: dt.datetime
    expires_at: dt.datetime
    mandate_id: str = ""
    code_id: str = ""

    def is_over(self, now: dt.datetime) -> bool:
        return now >= self.expires_at


def new_code() -> str:
    """A fresh random code, e.g. ``K7MQ4XRT``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """The code as typed by staff: case, spaces and hyphens do not matter."""
    return "".join(text.split()).replace("-", "").upper()


def spaced(code: str) -> str:
    """The code as shown to be read out: ``K7MQ-4XRT``."""
    return f"{code[:4]}-{code[4:]}"


def hash_code(code: str) -> str:
    """What is stored instead of the code."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def check_code_text(text: str) -> str:
    """The normalised code; InvalidInput on the ``code`` field when it cannot be one."""
    code = normalise(text)
    if not code:
        raise _code_problem(N_("Enter the code the person gives you."))
    if len(code) != LENGTH or any(symbol not in ALPHABET for symbol in code):
        raise _code_problem(N_("A code has 8 letters and digits, like K7MQ-4XRT."))
    return code


def check_services(services: Iterable[str], known: frozenset[str]) -> tuple[str, ...]:
    """The services a new code may cover: from the list, each once (none: look-up only)."""
    chosen = tuple(dict.fromkeys(services))
    if not set(chosen) <= known:
        raise InvalidInput(
            N_("The code cannot be made as it is."),
            hint=N_("Correct the fields listed and try again."),
            errors=(FieldError(("services",), N_("Choose services from the list.")),),
        )
    return chosen


MAX_WRONG_CODES = 5  # wrong codes tried for one person before the desk must wait
WRONG_CODE_PAUSE = dt.timedelta(minutes=15)


def too_many_wrong_codes(wrong_recently: int) -> RuleBroken | None:
    """Refuse more tries once ``MAX_WRONG_CODES`` wrong codes were tried for a person within
    ``WRONG_CODE_PAUSE``: guessing a code must take longer than the code lives."""
    if wrong_recently < MAX_WRONG_CODES:
        return None
    return RuleBroken(
        N_("Too many wrong codes were tried for this person. Wait 15 minutes."),
        hint=N_("Ask the person to make a new code in their account, or to give you a mandate."),
    )


def unusable(code: ConsentCode | None, person: str, now: dt.datetime) -> InvalidInput | None:
    """Why ``code`` cannot open a desk session for ``person`` now; None when it can."""
    if code is None or code.holder != person:  # someone else's code says nothing more
        return _code_problem(N_("This code does not match this person."))
    state = code.state_at(now)
    if state is CodeState.USED:
        return _code_problem(N_("This code has already been used. A code works only once."))
    if state is CodeState.CANCELLED:
        return _code_problem(N_("The person cancelled this code."))
    if state is CodeState.EXPIRED:
        return _code_problem(N_("This code has expired. Codes last 30 minutes."))
    return None


def _code_problem(message: str) -> InvalidInput:
    return InvalidInput(
        N_("The code cannot be used."),
        hint=N_("Ask the person to read the code again, or to make a new one in their account."),
        errors=(FieldError(("code",), message),),
    )
