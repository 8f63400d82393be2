"""What the identity pages share: service names in the page's language, and field errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civitas.core.errors import CivitasError, InvalidInput
from civitas.core.text import pick


def service_choices(service_names: Mapping[str, Mapping[str, str]], lang: str) -> dict[str, Any]:
    """``service_name(id)`` for the template, and every service id sorted by that name."""
    return {
        "service_name": lambda sid: pick(service_names.get(sid, {}), lang) or sid,
        "services": sorted(service_names, key=lambda sid: pick(service_names[sid], lang)),
    }


def field_errors(problem: CivitasError | None) -> dict[str, str]:
    """Each field at fault (its dotted path) and its message, for the template."""
    if not isinstance(problem, InvalidInput):
        return {}
    return {error.dotted_path: error.message for error in problem.errors}
