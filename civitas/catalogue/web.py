"""Citizen portal pages: life events, journeys, services, organisations, search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from civitas.catalogue.domain import Catalogue
from civitas.catalogue.services import CatalogueSearch
from civitas.core.errors import NotFound
from civitas.core.i18n import N_
from civitas.web import Renderer
from civitas.web.rendering import negotiate_language


def pages_router(catalogue: Catalogue, search: CatalogueSearch, renderer: Renderer) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)
    languages = catalogue.country.languages

    def checked(lang: str) -> str:
        if lang not in languages:
            raise NotFound(
                N_("This site has no pages in '{language}'."),
                hint=N_("Choose one of the languages at the top of the page."),
                params={"language": lang},
            )
        return lang

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
            },
        )

    @router.get("/{lang}/life-events/{event_id}", include_in_schema=False)
    def life_event(request: Request, lang: str, event_id: str) -> HTMLResponse:
        checked(lang)
        journey = catalogue.journey(event_id)
        return renderer.page(
            request,
            "catalogue/life_event.html",
            {"journey": journey, "catalogue": catalogue},
        )

    @router.get("/{lang}/services/{service_id}", include_in_schema=False)
    def service(request: Request, lang: str, service_id: str) -> HTMLResponse:
        checked(lang)
        found = catalogue.service(service_id)
        return renderer.page(
            request,
            "catalogue/service.html",
            {
                "service": found,
                "authority": catalogue.organisations[found.authority],
                "events": catalogue.events_with(found.id),
                "catalogue": catalogue,
            },
        )

    @router.get("/{lang}/organisations", include_in_schema=False)
    def organisations(request: Request, lang: str) -> HTMLResponse:
        checked(lang)
        return renderer.page(request, "catalogue/organisations.html", {"catalogue": catalogue})

    @router.get("/{lang}/organisations/{organisation_id}", include_in_schema=False)
    def organisation(request: Request, lang: str, organisation_id: str) -> HTMLResponse:
        checked(lang)
        found = catalogue.organisation(organisation_id)
        return renderer.page(
            request,
            "catalogue/organisation.html",
            {"organisation": found, "services": catalogue.services_of(found.id)},
        )

    @router.get("/{lang}/search", include_in_schema=False)
    def search_page(
        request: Request, lang: str, q: Annotated[str, Query(max_length=200)] = ""
    ) -> HTMLResponse:
        checked(lang)
        results = search.search(q, lang)
        return renderer.page(request, "catalogue/search.html", {"results": results})

    return router
