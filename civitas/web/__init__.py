"""The web edge shared by every block: layout, design system, languages, error pages."""

from __future__ import annotations

from civitas.web.error_body import ErrorBody, FieldProblem
from civitas.web.errors import (
    install_error_handlers,
    install_json_error_handlers,
    refuse_too_large,
)
from civitas.web.limits import BodySizeLimit
from civitas.web.rendering import Renderer, Site, current_language

__all__ = [
    "BodySizeLimit",
    "ErrorBody",
    "FieldProblem",
    "Renderer",
    "Site",
    "current_language",
    "install_error_handlers",
    "install_json_error_handlers",
    "refuse_too_large",
]
