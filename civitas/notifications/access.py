"""Whose messages a request may see: the signed-in person's, or those of whom they act for
in everything (a child, a company). A mandate names services; messages are not one."""

from __future__ import annotations

from fastapi import Request

from civitas.core.errors import NotAllowed
from civitas.core.i18n import N_
from civitas.identity import Level, Subject, require_subject

NEEDED = Level.SUBSTANTIAL  # messages say what the state decided about a person
READ = N_("Read their messages")  # acts done for someone, as they read them
CHOSE = N_("Changed how they are told")


def subject_of(request: Request) -> Subject:
    """The person whose messages these are; NotAllowed under a mandate for named services."""
    subject = require_subject(request, NEEDED)
    representation = subject.representation
    if representation is not None and not representation.whole:
        raise NotAllowed(
            N_("Your mandate from {name} does not let you read their messages."),
            hint=N_(
                "A mandate lets you act only in the services it names. Parents and company "
                "owners can read the messages of those they act for."
            ),
            params={"name": representation.name},
        )
    return subject
