"""The versioned JSON API of the catalogue (``/api/v1``), described by OpenAPI."""

from __future__ import annotations

from fastapi import APIRouter

from civitas.catalogue.domain import Catalogue
from civitas.catalogue.services import CatalogueSearch


def api_router(catalogue: Catalogue, search: CatalogueSearch) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["catalogue"])

    @router.get("/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    return router
