"""Application pages: parse, call :class:`Applications`, render; nothing else.

- ``GET /{lang}/apply/{service}``: the evidence preview (which registers, which data
  items, for which purpose and under which law) with "Continue" and "Stop";
- ``POST /{lang}/apply/{service}``: continue: the registers are asked, a draft kept;
- ``GET /{lang}/apply/{service}/stopped``: stopped, nothing fetched; other ways to apply;
- ``GET|POST /{lang}/apply/{service}/{reference}``: the form, then the confirmation;
- ``GET /{lang}/applications``: your applications.

Each page needs a sign-in at the service's level of assurance (at least low).

While the person acts for someone else (their child, their company, someone who gave
them a mandate), every page is about that someone: the registers are asked about them
(with the person as the exchange user and them as the represented party), only for
services the representation covers, and starting, sending and listing are recorded
as acts done for them, which they see on their mandates page.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from civitas.applications.domain import MAX_TEXT, FieldType, Form, Status, display_value
from civitas.applications.services import Applications
from civitas.catalogue import Catalogue
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_, format_money
from civitas.core.text import pick
from civitas.exchange import Purpose
from civitas.identity import ActingOnline, Level, Subject, not_covered, require_subject
from civitas.web import Renderer
from civitas.web.languages import page_language

LocalText = Mapping[str, str]

# acts done for someone one acts for, as they read them on their mandates page
STARTED = N_("Started an application")
SENT = N_("Sent an application")
LISTED = N_("Looked at your applications")


def applications_router(
    applications: Applications,
    catalogue: Catalogue,
    registers: Mapping[str, LocalText],
    purpose: Purpose,
    renderer: Renderer,
    acting: ActingOnline,
) -> APIRouter:
    """``registers``: each register's name by its exchange party (``member/subsystem``)."""
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages

    def service_name(service_id: str, lang: str) -> str:
        known = catalogue.services.get(service_id)
        return pick(known.name, lang) if known else service_id

    def signed_in(request: Request, service_id: str, lang: str) -> tuple[Subject, Form]:
        """Whose application it is, and its form; refused when a mandate does not cover it."""
        form = applications.form(service_id[:100])
        service = catalogue.services[form.service_id]
        level = max(Level.named(service.assurance.value), Level.LOW)
        subject = require_subject(request, level)
        representation = subject.representation
        if representation is not None and not representation.covers(form.service_id):
            covered = [service_name(sid, lang) for sid in representation.services or ()]
            raise not_covered(representation, service_name(form.service_id, lang), covered)
        return subject, form

    def common(lang: str, service_id: str, subject: Subject) -> dict[str, object]:
        service = catalogue.services[service_id]
        return {
            "service": service,
            "subject": subject,
            "t": lambda text: pick(text, lang),
            "register": lambda party: pick(registers.get(party, {}), lang) or party,
            "purpose": purpose,
        }

    @router.get("/{lang}/apply/{service_id}")
    async def preview(request: Request, lang: str, service_id: str) -> Response:
        page_language(lang, languages)
        subject, form = signed_in(request, service_id, lang)
        by_register: dict[str, list[object]] = {}
        for service, fields in form.sources.items():
            by_register.setdefault(service.rsplit("/", 1)[0], []).extend(fields)
        asked = [f for f in form.fields if f.source is None]
        return renderer.page(
            request,
            "applications/preview.html",
            {**common(lang, form.service_id, subject), "by_register": by_register, "asked": asked},
        )

    @router.post("/{lang}/apply/{service_id}")
    async def fetch(request: Request, lang: str, service_id: str) -> Response:
        page_language(lang, languages)
        subject, form = signed_in(request, service_id, lang)
        application = await applications.start(
            subject.national_id,
            form.service_id,
            user=subject.actor.national_id,
            represented_party=subject.party,
        )
        acting.record(subject, STARTED, form.service_id)
        return RedirectResponse(f"/{lang}/apply/{form.service_id}/{application.id}", 303)

    @router.get("/{lang}/apply/{service_id}/stopped")
    async def stopped(request: Request, lang: str, service_id: str) -> Response:
        page_language(lang, languages)
        subject, form = signed_in(request, service_id, lang)
        context = common(lang, form.service_id, subject)
        return renderer.page(request, "applications/stopped.html", context)

    async def show(
        request: Request,
        lang: str,
        service_id: str,
        reference: str,
        sent: Mapping[str, tuple[str, str]] | None = None,
        problem: InvalidInput | None = None,
    ) -> Response:
        subject, form = signed_in(request, service_id, lang)
        application = applications.get(subject.national_id, reference)
        if application.service_id != form.service_id:
            return RedirectResponse(f"/{lang}/apply/{application.service_id}/{reference}", 303)
        errors = {e.dotted_path: e.message for e in problem.errors} if problem else {}
        context = {
            **common(lang, form.service_id, subject),
            "application": application,
            "form": form,
            "sent": sent or {},
            "errors": errors,
            "shown": lambda kind, value: shown(kind, value, lang, catalogue.country.currency),
            "answers": {answer.field_id: answer for answer in application.answers},
            "unanswered": [pick(registers.get(p, {}), lang) or p for p in application.unanswered],
            "reported": applications.reported_errors(application),
        }
        draft = application.status is Status.DRAFT
        template = "applications/form.html" if draft else "applications/done.html"
        return renderer.page(request, template, context, status_code=400 if problem else 200)

    @router.get("/{lang}/apply/{service_id}/{reference}")
    async def page(request: Request, lang: str, service_id: str, reference: str) -> Response:
        page_language(lang, languages)
        return await show(request, lang, service_id, reference)

    @router.post("/{lang}/apply/{service_id}/{reference}")
    async def submit(request: Request, lang: str, service_id: str, reference: str) -> Response:
        page_language(lang, languages)
        subject, form = signed_in(request, service_id, lang)
        sent = _answers(form, await request.form())
        try:
            applications.submit(subject.national_id, reference, sent)
        except InvalidInput as problem:
            return await show(request, lang, service_id, reference, sent, problem)
        acting.record(subject, SENT, form.service_id)
        return RedirectResponse(f"/{lang}/apply/{form.service_id}/{reference}", 303)

    @router.get("/{lang}/applications")
    async def mine(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = require_subject(request, Level.LOW)
        acting.record(subject, LISTED)
        found = applications.of_person(subject.national_id)
        return renderer.page(
            request,
            "applications/list.html",
            {  # under a mandate: only the applications for the services it covers
                "applications": [a for a in found if subject.covers(a.service_id)],
                "subject": subject,
                "service_name": lambda sid: service_name(sid, lang),
            },
        )

    return router


def _answers(form: Form, data: FormData) -> dict[str, tuple[str, str]]:
    """field id -> (check, value) as sent: ``check-<id>`` and ``value-<id>``."""
    return {
        f.id: (
            str(data.get(f"check-{f.id}", ""))[:10],
            str(data.get(f"value-{f.id}", ""))[: MAX_TEXT + 1],
        )
        for f in form.fields
    }


def shown(kind: FieldType, value: str, lang: str, currency: str) -> str:
    """A value as the person reads it: money with its currency, in the page's language."""
    if kind is FieldType.MONEY and value.lstrip("-").isdigit():
        return format_money(Decimal(int(value)) / 100, currency, lang)
    return display_value(kind, value)
