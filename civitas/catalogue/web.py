"""Citizen portal pages: life events, journeys, services, organisations, search."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from civitas.catalogue.domain import (
    Catalogue,
    ChannelType,
    Evidence,
    OrganisationKind,
    Service,
)
from civitas.catalogue.services import CatalogueSearch, SearchResults
from civitas.core.errors import InvalidInput
from civitas.core.text import pick
from civitas.web import Renderer
from civitas.web.languages import page_language
from civitas.web.rendering import negotiate_language

_T = TypeVar("_T")

# Organisations index order: the widest reach first.
KIND_ORDER = (
    OrganisationKind.NATIONAL_AGENCY,
    OrganisationKind.REGIONAL_AUTHORITY,
    OrganisationKind.MUNICIPALITY,
)


def pages_router(catalogue: Catalogue, search: CatalogueSearch, renderer: Renderer) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)
    languages = catalogue.country.languages
    fallback = catalogue.country.default_language

    def checked(lang: str) -> str:
        return page_language(lang, languages)

    def needed_evidence(service: Service) -> list[Evidence]:
        """What a person brings: the service's evidence and its requirements', once each."""
        ids = dict.fromkeys(service.evidence)
        for requirement in service.requirements:
            ids.update(dict.fromkeys(requirement.evidence))
        return [catalogue.evidence[i] for i in ids if i in catalogue.evidence]

    def by_name(items: Iterable[_T], name: Callable[[_T], Any], lang: str) -> list[_T]:
        return sorted(items, key=lambda item: sort_key(pick(name(item), lang, fallback)))

    @router.get("/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        language = negotiate_language(request.headers.get("accept-language", ""), renderer.site)
        return RedirectResponse(f"/{language}/", status_code=303)

    @router.get("/{lang}/", include_in_schema=False)
    def start(request: Request, lang: str) -> HTMLResponse:
        checked(lang)
        return renderer.page(
            request,
            "catalogue/start.html",
            {
                "life_events": catalogue.life_events(),
                "business_events": catalogue.business_events(),
                "country": catalogue.country,
                "service_count": len(catalogue.services),
            },
        )

    @router.get("/{lang}/life-events/{event_id}", include_in_schema=False)
    def life_event(request: Request, lang: str, event_id: str) -> HTMLResponse:
        checked(lang)
        journey = catalogue.journey(event_id)
        return renderer.page(
            request,
            "catalogue/life_event.html",
            {
                "journey": journey,
                "organisations": catalogue.organisations,
                "evidence_by_id": catalogue.evidence,
                "needed_evidence": needed_evidence,
                "currency": catalogue.country.currency,
            },
        )

    @router.get("/{lang}/services", include_in_schema=False)
    def services(request: Request, lang: str) -> HTMLResponse:
        checked(lang)
        letters: dict[str, list[Service]] = {}
        for found in by_name(catalogue.services.values(), lambda s: s.name, lang):
            letters.setdefault(first_letter(pick(found.name, lang, fallback)), []).append(found)
        return renderer.page(
            request,
            "catalogue/services.html",
            {
                "letters": list(letters.items()),
                "organisations": catalogue.organisations,
                "service_count": len(catalogue.services),
            },
        )

    @router.get("/{lang}/services/{service_id}", include_in_schema=False)
    def service(request: Request, lang: str, service_id: str) -> HTMLResponse:
        checked(lang)
        found = catalogue.service(service_id)
        online = next((c for c in found.channels if c.type is ChannelType.WEB), None)
        return renderer.page(
            request,
            "catalogue/service.html",
            {
                "service": found,
                "authority": catalogue.organisations[found.authority],
                "participants": [
                    catalogue.organisations[p]
                    for p in found.participants
                    if p in catalogue.organisations
                ],
                "online": online,
                "laws": [
                    catalogue.legal_resources[i]
                    for i in found.legal_basis
                    if i in catalogue.legal_resources
                ],
                "events": catalogue.events_with(found.id),
                "evidence_by_id": catalogue.evidence,
                "needed_evidence": needed_evidence,
            },
        )

    @router.get("/{lang}/organisations", include_in_schema=False)
    def organisations(request: Request, lang: str) -> HTMLResponse:
        checked(lang)
        ordered = by_name(catalogue.organisations.values(), lambda o: o.name, lang)
        kinds = [*KIND_ORDER, *(k for k in OrganisationKind if k not in KIND_ORDER)]
        groups = [(k, [o for o in ordered if o.kind is k]) for k in kinds]
        return renderer.page(
            request,
            "catalogue/organisations.html",
            {"groups": [(kind, members) for kind, members in groups if members]},
        )

    @router.get("/{lang}/organisations/{organisation_id}", include_in_schema=False)
    def organisation(request: Request, lang: str, organisation_id: str) -> HTMLResponse:
        checked(lang)
        found = catalogue.organisation(organisation_id)
        return renderer.page(
            request,
            "catalogue/organisation.html",
            {
                "organisation": found,
                "services": by_name(catalogue.services_of(found.id), lambda s: s.name, lang),
            },
        )

    @router.get("/{lang}/search", include_in_schema=False)
    def search_page(request: Request, lang: str, q: Annotated[str, Query()] = "") -> HTMLResponse:
        # The length limit is checked by the search itself, so that a too-long query
        # comes back as this page with a translated message, not a generic error.
        checked(lang)
        try:
            results = search.search(q, lang)
        except InvalidInput as problem:
            message, hint = problem.render(renderer.translator(lang).gettext)
            return renderer.page(
                request,
                "catalogue/search.html",
                {"results": SearchResults(q, None, (), ()), "error": f"{message} {hint}"},
                status_code=problem.status,
            )
        return renderer.page(request, "catalogue/search.html", {"results": results, "error": ""})

    return router


def sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case: "Óbito" sorts with "O"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def first_letter(text: str) -> str:
    """The A to Z heading a name belongs under; digits and symbols go under "#"."""
    key = sort_key(text.strip())
    return key[0].upper() if key and key[0].isalpha() else "#"
