"""The portal's use cases: a person's messages, reading one, and how they want to be told."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from civitas.core.clock import Clock
from civitas.core.errors import InvalidInput, NotFound
from civitas.core.i18n import N_
from civitas.notifications.domain import Message, Preferences
from civitas.notifications.ports import MessageStore
from civitas.notifications.preferences import read_preferences
from civitas.notifications.templates import Filled, Templates

log = logging.getLogger("civitas.notifications")


class Notifications:
    def __init__(self, store: MessageStore, templates: Templates, clock: Clock) -> None:
        self.store = store
        self.templates = templates
        self.clock = clock

    @property
    def languages(self) -> tuple[str, ...]:
        return self.templates.languages

    def messages(self, national_id: str) -> list[Message]:
        """The person's messages, newest first."""
        return self.store.messages_of(national_id)

    def read(self, national_id: str, message_id: str) -> Message:
        """One of the person's messages, noted as read; someone else's is as if it did not
        exist."""
        found = self.store.message(message_id)
        if found is None or found.national_id != national_id:
            raise NotFound(
                N_("We have no message with that reference."),
                hint=N_("See the list of your messages."),
            )
        if found.read_at is None:
            now = self.clock.now()
            self.store.mark_read(found.id, now)
            found = replace(found, read_at=now)
        return found

    def written(self, message: Message, language: str) -> Filled | None:
        """The message in ``language``; None when the pack's templates cannot write it now
        (its template was removed, say): the page says so instead of failing."""
        try:
            return self.templates.fill(message.template, message.params, language)
        except InvalidInput as problem:
            log.error("message %s cannot be written: %s", message.id, problem)
            return None

    def preferences(self, national_id: str) -> Preferences | None:
        """The person's choices; None when they never chose (the portal and letters)."""
        return self.store.preferences(national_id)

    def usual(self) -> Preferences:
        """What applies to someone who never chose: the portal and letters, in the
        country's default language."""
        return Preferences(self.templates.default_language)

    def choose(self, national_id: str, answers: Mapping[str, str | bool]) -> Preferences:
        """Keep the person's choices, or :class:`InvalidInput` and nothing kept."""
        chosen = read_preferences(answers, self.languages)
        self.store.save_preferences(national_id, chosen, self.clock.now())
        return chosen
