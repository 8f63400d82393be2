"""The versioned JSON API of the catalogue (``/api/v1``), described by OpenAPI.

Every answer is in one language: the one asked with ``?lang=`` (an enumeration of the
country pack's languages, so the OpenAPI lists them), else the pack's first language.
One language per answer keeps payloads small and shaped like the pages; an app that
needs both asks twice. Errors use the one JSON shape of ``civitas.web.errors``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query

from civitas.catalogue import api_schemas as s
from civitas.catalogue.api_views import Presenter
from civitas.catalogue.domain import Catalogue, DeliveryMode, EventKind
from civitas.catalogue.services import MAX_QUERY_LENGTH, CatalogueSearch
from civitas.web import ErrorBody
from civitas.web.languages import language_parameter
from civitas.web.theme import LOGO_URL

MAX_LIMIT = 100
MAX_OFFSET = 100_000

# Every error answer has the one error shape; each operation lists the ones it can give.
_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "The request is too large."},
}
_BAD: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter cannot be used; see `errors`."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **_BAD,
    404: {"model": ErrorBody, "description": "Nothing has that id."},
}

IdPath = Annotated[str, Path(pattern=s.ID_PATTERN, max_length=200)]


def api_router(catalogue: Catalogue, search: CatalogueSearch) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["catalogue"], responses=_TOO_LARGE)
    language = language_parameter(catalogue.country.languages)

    @router.get("/health")
    def health() -> s.Health:
        """Whether the API is up."""
        return s.Health(ok=True)

    @router.get("/country", responses=_BAD)
    def country(lang: str = Depends(language)) -> s.Country:
        """The country: its names, portal languages and theme colours."""
        c = catalogue.country
        t = Presenter(catalogue, lang).text
        return s.Country(
            lang=lang,
            id=c.id,
            name=t(c.name),
            portal_name=t(c.portal_name),
            tagline=t(c.tagline),
            languages=list(c.languages),
            default_language=c.default_language,
            spatial=c.spatial,
            currency=c.currency,
            theme=s.Theme(
                primary=c.theme.primary,
                accent=c.theme.accent,
                logo_url=LOGO_URL if c.theme.logo else None,
            ),
        )

    @router.get("/life-events", responses=_BAD)
    def life_events(
        lang: str = Depends(language),
        kind: Annotated[
            EventKind | None, Query(description="Only life events or only business events.")
        ] = None,
    ) -> s.EventList:
        """Life and business events, in the order the country pack lists them."""
        p = Presenter(catalogue, lang)
        events = [e for e in catalogue.events.values() if kind is None or e.kind is kind]
        return s.EventList(lang=lang, items=[p.event_summary(e) for e in events])

    @router.get("/life-events/{event_id}", responses=_NOT_FOUND)
    def life_event(event_id: IdPath, lang: str = Depends(language)) -> s.Journey:
        """A life event as a journey: its steps in order, each with the service to use,
        when, who provides it, how long it takes, what it costs and what to bring; and
        totals for the whole journey."""
        return Presenter(catalogue, lang).journey(event_id)

    @router.get("/services", responses=_BAD)
    def services(
        lang: str = Depends(language),
        organisation: Annotated[
            str | None,
            Query(pattern=s.ID_PATTERN, max_length=200, description="Id of the authority."),
        ] = None,
        delivery: Annotated[DeliveryMode | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> s.ServiceList:
        """Services, a page at a time, optionally only those of one organisation or one
        delivery mode. Filters that match nothing give an empty page, not an error."""
        found = [
            service
            for service in catalogue.services.values()
            if (organisation is None or service.authority == organisation)
            and (delivery is None or service.delivery is delivery)
        ]
        p = Presenter(catalogue, lang)
        return s.ServiceList(
            lang=lang,
            total=len(found),
            limit=limit,
            offset=offset,
            items=[p.service_summary(x) for x in found[offset : offset + limit]],
        )

    @router.get("/services/{service_id}", responses=_NOT_FOUND)
    def service(service_id: IdPath, lang: str = Depends(language)) -> s.ServiceDetail:
        """Everything about a service, with its evidence, legal basis and organisations
        written out in full."""
        return Presenter(catalogue, lang).service_detail(catalogue.service(service_id))

    @router.get("/organisations", responses=_BAD)
    def organisations(lang: str = Depends(language)) -> s.OrganisationList:
        """Public organisations, with how many services each is responsible for."""
        p = Presenter(catalogue, lang)
        items = [
            s.OrganisationSummary(
                id=o.id,
                name=p.text(o.name),
                kind=o.kind,
                spatial=o.spatial,
                service_count=len(catalogue.services_of(o.id)),
            )
            for o in catalogue.organisations.values()
        ]
        return s.OrganisationList(lang=lang, items=items)

    @router.get("/organisations/{organisation_id}", responses=_NOT_FOUND)
    def organisation(
        organisation_id: IdPath, lang: str = Depends(language)
    ) -> s.OrganisationDetail:
        """An organisation, its contact details and the ids of the services it provides."""
        o = catalogue.organisation(organisation_id)
        t = Presenter(catalogue, lang).text
        return s.OrganisationDetail(
            lang=lang,
            id=o.id,
            name=t(o.name),
            kind=o.kind,
            spatial=o.spatial,
            description=t(o.description),
            homepage=o.homepage,
            phone=o.phone,
            email=o.email,
            address=t(o.address) if o.address else None,
            service_ids=[x.id for x in catalogue.services_of(o.id)],
        )

    @router.get("/search", responses=_BAD)
    def search_catalogue(
        lang: str = Depends(language),
        q: Annotated[
            str, Query(max_length=MAX_QUERY_LENGTH, description="Words to look for.")
        ] = "",
    ) -> s.SearchResults:
        """Services and life events matching the words, searched in ``lang``. Misspelt
        words are corrected to the nearest known word; ``corrected`` then says how the
        query was understood."""
        results = search.search(q, lang)
        p = Presenter(catalogue, lang)
        return s.SearchResults(
            lang=lang,
            query=results.query,
            corrected=results.corrected,
            count=results.count,
            services=[p.service_summary(x) for x in results.services],
            events=[p.event_summary(e) for e in results.events],
        )

    return router


def without_default_validation_response(app: FastAPI) -> None:
    """Drop FastAPI's automatic 422 entries from the OpenAPI.

    Our handler answers invalid parameters with 400 in the one error shape (documented on
    every operation), so a 422 entry would promise a status and body that never come.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            models = schema.get("components", {}).get("schemas", {})
            models.pop("HTTPValidationError", None)
            models.pop("ValidationError", None)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
