"""Reading a person's choices of how to be told: the form's and the API's answers, checked.

The same checks serve the page and the JSON API: an email address that can be written
to (one address, no name, no spaces), email only with an address, and one of the
country's languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.notifications.domain import Preferences

MAX_EMAIL = 254  # RFC 5321's longest usable address
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
FIELDS = ("email", "email_on", "letters_on", "language")


def read_preferences(answers: Mapping[str, str | bool], languages: Sequence[str]) -> Preferences:
    """The choices in ``answers``, or :class:`InvalidInput` naming each field to correct.

    ``answers``: ``email`` (text), ``email_on`` and ``letters_on`` (true or false),
    ``language`` (a language code).
    """
    email = str(answers.get("email", "")).strip()
    email_on = answers.get("email_on") is True
    letters_on = answers.get("letters_on") is True
    language = str(answers.get("language", ""))
    problems: list[FieldError] = []
    if email and (len(email) > MAX_EMAIL or not _EMAIL.match(email)):
        problems.append(FieldError(("email",), N_("Enter an email address like name@example.com.")))
    elif email_on and not email:
        problems.append(
            FieldError(
                ("email",), N_("Enter your email address, or untick email to get no emails.")
            )
        )
    if language not in languages:
        problems.append(FieldError(("language",), N_("Choose the language we write to you in.")))
    refuse_if_any(problems)
    return Preferences(language, _lower_domain(email), email_on, letters_on)


def refuse_if_any(problems: Sequence[FieldError]) -> None:
    """:class:`InvalidInput` naming each answer to correct, when there is one."""
    if problems:
        raise InvalidInput(
            N_("Check your choices: {count} answer(s) to correct."),
            hint=N_("Correct the answers marked, then save again. Nothing was changed."),
            params={"count": len(problems)},
            errors=tuple(problems),
        )


def _lower_domain(email: str) -> str:
    """The address as kept: the domain in lowercase (it is case-blind), the mailbox as typed."""
    if not email:
        return ""
    mailbox, _, domain = email.rpartition("@")
    return f"{mailbox}@{domain.lower()}"
