"""Serve the country pack's theme assets (the logo) without exposing the rest of the pack."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

LOGO_URL = "/theme/logo"


def theme_router(logo: Path | None) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    if logo is None:
        return router
    media_type = mimetypes.guess_type(logo.name)[0] or "application/octet-stream"

    @router.get(LOGO_URL)
    def serve_logo() -> FileResponse:
        return FileResponse(logo, media_type=media_type, headers={"Cache-Control": "max-age=86400"})

    return router
