"""Use cases of once-only applications: preview, fetch, check and send, and the burden saved.

1. :meth:`Applications.form` says what a service's form asks and which register
   holds each fact; nothing is fetched, so the person can still stop.
2. :meth:`Applications.start` asks the registers (once per register service, all at
   once) and keeps a draft with every fact and the proof of the answer that carried it.
3. :meth:`Applications.submit` checks what the person sent, keeps every value with
   its origin, and writes each correction down as an error to report to its register.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from civitas.applications.domain import (
    Answer,
    Application,
    Burden,
    FieldType,
    Form,
    Forms,
    Origin,
    ReportedError,
    Status,
    check_answers,
    no_such_application,
)
from civitas.applications.facts import children_of, facts_of
from civitas.applications.ports import ApplicationStore, Registers
from civitas.core.clock import Clock
from civitas.core.errors import NotFound, RuleBroken
from civitas.core.i18n import N_


class Applications:
    def __init__(
        self,
        forms: Forms,
        services: Collection[str],
        store: ApplicationStore,
        registers: Registers,
        clock: Clock,
        record_ids: Mapping[str, str] | None = None,
    ) -> None:
        self.forms = forms
        self.services = frozenset(services)  # the services people apply for
        self.store = store
        self.registers = registers
        self.clock = clock
        self.record_ids = record_ids or {}  # register party -> its record-number column

    def form(self, service_id: str) -> Form:
        if service_id not in self.services:
            raise NotFound(
                N_("You cannot apply online for this service."),
                hint=N_(
                    "Some services come to you without applying. "
                    "The service page says how to get it."
                ),
            )
        return self.forms.for_service(service_id)

    async def start(
        self,
        national_id: str,
        service_id: str,
        *,
        user: str | None = None,
        represented_party: str | None = None,
    ) -> Application:
        """Ask the registers for the form's facts and keep them as a draft.

        ``user`` and ``represented_party``: who asks, when someone applies for the person.
        """
        form = self.form(service_id)
        reference = _reference()
        services = list(form.sources)
        found = await asyncio.gather(
            *(
                self.registers.records(
                    service, national_id, reference, user=user, represented_party=represented_party
                )
                for service in services
            )
        )
        answers: dict[str, tuple[Sequence[Mapping[str, Any]], str]] = {}
        unanswered: list[str] = []
        for service, records in zip(services, found, strict=True):
            if records is None:
                unanswered.append(service.rsplit("/", 1)[0])
            else:
                answers[service] = (records.records, records.message_id)
        today = self.clock.now().date()
        choices = {
            f.id: children_of(national_id, answers[f.source.service][0], today)
            for f in form.fields
            if f.type is FieldType.CHILD and f.source and f.source.service in answers
        }
        application = Application(
            id=reference,
            service_id=service_id,
            national_id=national_id,
            status=Status.DRAFT,
            created_at=self.clock.now(),
            facts=facts_of(form, answers, self.record_ids),
            choices=choices,
            unanswered=tuple(dict.fromkeys(unanswered)),
        )
        self.store.add(application)
        return application

    def get(self, national_id: str, application_id: str) -> Application:
        """One of the person's own applications; someone else's is as if it did not exist."""
        application = self.store.get(application_id[:40])
        if application is None or application.national_id != national_id:
            raise no_such_application()
        return application

    def submit(
        self, national_id: str, application_id: str, submitted: Mapping[str, tuple[str, str]]
    ) -> Application:
        application = self.get(national_id, application_id)
        if application.status is not Status.DRAFT:
            raise RuleBroken(
                N_("You already sent this application."),
                hint=N_("See your applications for where it stands."),
            )
        answers = check_answers(self.form(application.service_id), application, submitted)
        now = self.clock.now()
        errors = [_reported(application, a, now) for a in answers if a.origin is Origin.CORRECTED]
        self.store.submit(application, answers, errors, now)
        stored = self.store.get(application.id)
        assert stored is not None
        return stored

    def of_person(self, national_id: str) -> list[Application]:
        return self.store.of_person(national_id)

    def reported_errors(self, application: Application) -> list[ReportedError]:
        return self.store.reported_errors(application.id)

    def burden(self) -> list[Burden]:
        return burden(self.store)


def burden(store: ApplicationStore) -> list[Burden]:
    """Per service, over the applications sent: fields prefilled and kept, prefilled and
    corrected, and typed. Counts only, never a person's data: it may be published."""
    return store.burden()


def _reported(application: Application, answer: Answer, now: dt.datetime) -> ReportedError:
    assert answer.fact is not None
    return ReportedError(
        application_id=application.id,
        party=answer.fact.party,
        national_id=application.national_id,
        record_id=answer.fact.record_id,
        item=answer.fact.item,
        registry_value=answer.fact.value,
        person_value=answer.value,
        reported_at=now,
    )


def _reference() -> str:
    """A reference people can read out on the phone, and nobody can guess."""
    code = secrets.token_hex(5).upper()
    return f"APP-{code[:5]}-{code[5:]}"
