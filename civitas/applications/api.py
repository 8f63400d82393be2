"""``GET /api/v1/applications/burden``: what once-only filling spared people, per service.

A public aggregate (counts of fields, no person's data) for the burden dashboard.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from civitas.applications.services import Applications


class ServiceBurden(BaseModel):
    service_id: str
    applications: int = Field(description="Applications sent.")
    prefilled: int = Field(description="Fields a register filled in and the person kept.")
    corrected: int = Field(description="Fields a register filled in and the person corrected.")
    typed: int = Field(description="Fields the person typed: no register held them.")
    share_prefilled: float = Field(description="prefilled / all fields, between 0 and 1.")


class BurdenReport(BaseModel):
    services: list[ServiceBurden]


def applications_api_router(applications: Applications) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["applications"])

    @router.get("/applications/burden")
    def burden() -> BurdenReport:
        """Per service: fields prefilled and kept, prefilled and corrected, and typed."""
        return BurdenReport(
            services=[
                ServiceBurden(
                    service_id=row.service_id,
                    applications=row.applications,
                    prefilled=row.prefilled,
                    corrected=row.corrected,
                    typed=row.typed,
                    share_prefilled=round(row.share_prefilled, 4),
                )
                for row in applications.burden()
            ]
        )

    return router
