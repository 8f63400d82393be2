"""The tester's choice on the sign-in page: who to sign in as, and at which level.

Either one of the offered identities, or any national number of the population
register typed in. Every problem is a field error, shown next to its field; all of
them are found at once, so the page never reveals them one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.identity.provider.identities import Identity, IdentityBook
from civitas.identity.provider.levels import LEVELS, Level
from civitas.registries.identifiers import is_valid

SOMEONE_ELSE = "other"  # the radio button that says "the national number I type"
_NINE_DIGITS = re.compile(r"[0-9]{9}")


@dataclass(frozen=True)
class Choice:
    identity: Identity
    level: Level


def read_choice(book: IdentityBook, who: str, typed: str, level_key: str) -> Choice:
    """The choice in the form fields ``identity``, ``national_number`` and ``level``."""
    identity, problem = _identity(book, who.strip(), typed)
    level = next((level for level in LEVELS if level.key == level_key), None)
    problems = [problem] if problem else []
    if level is None:
        problems.append(FieldError(("level",), N_("Choose a level of assurance.")))
    if identity is None or level is None:
        raise InvalidInput(
            N_("Some of your choices cannot be used."),
            hint=N_("Correct the fields listed and try again."),
            errors=tuple(problems),
        )
    return Choice(identity, level)


def _identity(
    book: IdentityBook, who: str, typed: str
) -> tuple[Identity | None, FieldError | None]:
    if who == SOMEONE_ELSE or (not who and typed.strip()):
        return _typed(book, typed)
    offered = book.offered.get(who)
    if offered is None and _NINE_DIGITS.fullmatch(who):
        # Offered on a page shown before the country moved on: still anyone of the register.
        return _typed(book, who)
    if offered is None:
        return None, FieldError(("identity",), N_("Choose who to sign in as."))
    return offered, None


def _typed(book: IdentityBook, typed: str) -> tuple[Identity | None, FieldError | None]:
    def problem(message: str) -> tuple[None, FieldError]:
        return None, FieldError(("national_number",), message)

    digits = "".join(typed.split())  # people type numbers in groups: 123 456 789
    if not digits:
        return problem(N_("Enter a national number."))
    if not _NINE_DIGITS.fullmatch(digits):
        return problem(N_("Enter a national number of 9 digits, like 123456789."))
    number = int(digits)
    if not is_valid(number):
        return problem(N_("This national number has a wrong check digit. Check each digit."))
    found = book.find(number)
    if found is None:
        return problem(N_("No one in the population register has this national number."))
    identity, alive = found
    if not alive:
        return problem(N_("The population register records this person as deceased."))
    return identity, None
