"""The inbox pages: what the government did for the person, and their answers.

- ``GET /{lang}/inbox``: first the offers and questions waiting for an answer, then
  every decision month by month (granted, offered, suggested, asked);
- ``GET /{lang}/inbox/{id}``: one decision: what and why (each condition in the law's
  words, with the law), the amount, the registers' data used, the rules' trace;
- ``POST /{lang}/inbox/{id}/accept``: accept an offer or answer a question: the
  application is started, filled in from the registers, and its form opened;
- ``POST /{lang}/inbox/{id}/decline``: first the confirmation (it will not be offered
  again), then, with ``confirm=yes``, declined.

A substantial sign-in is needed: the decisions say a lot about a person. While acting
for someone (a parent for a child, under a mandate), every page is about them, only
for the services a mandate covers, and looking and answering are recorded as acts
done for them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from civitas.catalogue import Catalogue
from civitas.core.errors import CivitasError
from civitas.core.i18n import format_money, locale_for
from civitas.core.text import LocalText, pick
from civitas.exchange import Purpose
from civitas.identity import (
    ActingOnline,
    Level,
    SignInNeeded,
    Subject,
    not_covered,
    require_subject,
)
from civitas.proactive.domain import Decision, OfferState
from civitas.proactive.offers import ACCEPTED, DECLINED, LOOKED, Applying, Offers
from civitas.web import Renderer
from civitas.web.languages import page_language

NEEDED = Level.SUBSTANTIAL
PATH = "inbox"
DATA_USE_PATH = "who-used-my-data"  # civitas.identity.data_use_pages

_ARTICLE = re.compile(r"#article-(\w+)$")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class Source:
    """A register whose data a decision used, named for people."""

    register: str
    organisation: str


def inbox_router(
    offers: Offers,
    applying: Applying | None,
    catalogue: Catalogue,
    registers: Mapping[str, LocalText],
    purpose: Purpose | None,
    once: Collection[str],
    levels: Mapping[str, Level],
    renderer: Renderer,
    acting: ActingOnline,
) -> APIRouter:
    """``applying`` starts applications (None: no service has an online form);
    ``registers``: each register's name by its exchange party (``member/subsystem``);
    ``purpose``: why the registers were asked; ``once``: services paid once, not monthly;
    ``levels``: the level of assurance each service asks (accepting starts its
    application)."""
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages
    online = frozenset(applying.services) if applying is not None else frozenset()
    laws = {r.url.rstrip("/"): r.title for r in catalogue.legal_resources.values()}

    def subject_of(request: Request, level: Level = NEEDED) -> Subject:
        return require_subject(request, level)

    def covered(subject: Subject, decision: Decision, lang: str) -> Decision:
        representation = subject.representation
        if representation is not None and not representation.covers(decision.service):
            names = [service_name(s, lang) for s in representation.services or ()]
            raise not_covered(representation, service_name(decision.service, lang), names)
        return decision

    def service_name(service_id: str, lang: str) -> str:
        known = catalogue.services.get(service_id)
        return pick(known.name, lang) if known else service_id

    def helpers(lang: str, subject: Subject) -> dict[str, object]:
        def when(moment: dt.datetime | dt.date) -> str:
            return str(format_date(moment, format="long", locale=locale_for(lang)))

        def money(cents: int) -> str:
            amount = Decimal(cents) / 100
            return format_money(amount, catalogue.country.currency, lang)

        def law(reference: str) -> Link:
            """A link to the law: ``https://...#article-4`` or ``https://... (Article 4)``."""
            address, _, written = reference.partition(" ")
            title = pick(laws.get(address.split("#", 1)[0].rstrip("/")), lang)
            article = _ARTICLE.search(address)
            if not title:
                return Link(address, reference)
            if written.startswith("(") and written.endswith(")"):
                return Link(address, f"{title}, {written[1:-1]}")
            if article:
                text = renderer.translator(lang).gettext("%(law)s, article %(number)s")
                return Link(address, text % {"law": title, "number": article.group(1)})
            return Link(address, title)

        def life_event(event_id: str) -> str:
            known = catalogue.events.get(event_id)
            return pick(known.name, lang) if known else event_id

        def organisation_of(service_id: str) -> str:
            known = catalogue.services.get(service_id)
            owner = catalogue.organisations.get(known.authority) if known else None
            return pick(owner.name, lang) if owner else ""

        def sources(decision: Decision) -> list[Source]:
            parties = dict.fromkeys(d.party for d in decision.data_used)
            found = []
            for party in parties:
                member = party.split("/", 1)[0]
                owner = catalogue.organisations.get(member)
                found.append(
                    Source(
                        pick(registers.get(party, {}), lang) or party,
                        pick(owner.name, lang) if owner else member,
                    )
                )
            return found

        return {
            "subject": subject,
            "service_name": lambda service_id: service_name(service_id, lang),
            "life_event": life_event,
            "organisation_of": organisation_of,
            "when": when,
            "money": money,
            "monthly": lambda decision: decision.service not in once,
            "law": law,
            "text": lambda label: pick(label, lang),
            "sources": sources,
            "online": online,
            "inbox": f"/{lang}/{PATH}",
        }

    @router.get(f"/{{lang}}/{PATH}")
    async def inbox(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        acting.record(subject, LOOKED)
        decisions = [d for d in offers.of_person(subject.national_id) if subject.covers(d.service)]
        waiting = [d for d in decisions if d.state is OfferState.OPEN]
        return renderer.page(
            request,
            "proactive/inbox.html",
            {
                **helpers(lang, subject),
                "waiting": waiting,
                "months": by_month(decisions, lang),
                "decisions": decisions,
            },
        )

    @router.get(f"/{{lang}}/{PATH}/{{decision_id}}")
    async def details(request: Request, lang: str, decision_id: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        decision = covered(subject, offers.get(subject.national_id, decision_id), lang)
        acting.record(subject, LOOKED, decision.service)
        done = request.query_params.get("done", "")[:20]
        return renderer.page(
            request,
            "proactive/decision.html",
            {
                **helpers(lang, subject),
                "decision": decision,
                "done": done if done in ("accepted", "declined") else "",
                "purpose": purpose,
                "data_use": f"/{lang}/{DATA_USE_PATH}",
            },
        )

    @router.post(f"/{{lang}}/{PATH}/{{decision_id}}/accept")
    async def accept(request: Request, lang: str, decision_id: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        decision = covered(subject, offers.acceptable(subject.national_id, decision_id), lang)
        subject = at_service_level(request, decision, f"/{lang}/{PATH}/{decision.id}")
        accepted = await offers.take_up(
            subject.national_id,
            decision.id,
            applying,
            user=subject.actor.national_id,
            represented_party=subject.party,
        )
        if accepted.answered_at != decision.answered_at:
            acting.record(subject, ACCEPTED, decision.service)
        if accepted.application:
            return RedirectResponse(f"/{lang}/apply/{decision.service}/{accepted.application}", 303)
        return RedirectResponse(f"/{lang}/{PATH}/{decision.id}?done=accepted", 303)

    @router.post(f"/{{lang}}/{PATH}/{{decision_id}}/decline")
    async def decline(request: Request, lang: str, decision_id: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        decision = covered(subject, offers.declinable(subject.national_id, decision_id), lang)
        form = await request.form()
        if str(form.get("confirm", "")) != "yes" and decision.state is OfferState.OPEN:
            return renderer.page(
                request,
                "proactive/decline.html",
                {**helpers(lang, subject), "decision": decision},
            )
        declined = offers.decline(subject.national_id, decision.id)
        if declined.answered_at != decision.answered_at:
            acting.record(subject, DECLINED, decision.service)
        return RedirectResponse(f"/{lang}/{PATH}/{decision.id}?done=declined", 303)

    def at_service_level(request: Request, decision: Decision, back: str) -> Subject:
        """The subject, signed in as surely as the service asks (back to ``back`` after)."""
        level = max(levels.get(decision.service, NEEDED), NEEDED)
        try:
            return subject_of(request, level)
        except SignInNeeded as needed:
            raise replace(needed, return_to=back) from None

    return router


def by_month(decisions: Sequence[Decision], lang: str) -> list[tuple[str, list[Decision]]]:
    """The decisions grouped by the month they were made in, newest first."""
    months: dict[tuple[int, int], list[Decision]] = {}
    for decision in decisions:
        day = decision.decided_at
        months.setdefault((day.year, day.month), []).append(decision)
    return [
        (month_name(year, month, lang), found)
        for (year, month), found in sorted(months.items(), reverse=True)
    ]


def month_name(year: int, month: int, lang: str) -> str:
    """ "March 2026", "Março de 2026": a month as a heading."""
    name = str(format_date(dt.date(year, month, 1), format="LLLL y", locale=locale_for(lang)))
    return name[:1].upper() + name[1:]


def waiting_counter(offers: Offers) -> Callable[[Request], int]:
    """How many offers and questions wait for an answer, for the navigation: those of
    whom the pages are about (the person, or whom they act for); 0 when the inbox
    would ask for a sign-in first."""

    def waiting(request: Request) -> int:
        try:
            subject = require_subject(request, NEEDED)
        except CivitasError:
            return 0
        return sum(1 for s in offers.waiting_services(subject.national_id) if subject.covers(s))

    return waiting
