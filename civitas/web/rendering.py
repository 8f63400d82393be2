"""Render server-side pages in the reader's language, inside the shared layout."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_percent
from starlette.requests import Request
from starlette.responses import HTMLResponse

from civitas.core.i18n import Translator, format_money, locale_for
from civitas.core.text import pick

WEB_TEMPLATES = Path(__file__).resolve().parent / "templates"

LANGUAGE_NAMES = {"en": "English", "pt": "Português"}


@dataclass(frozen=True)
class Site:
    """What the layout needs to know about the installation: names, languages, theme."""

    name: Mapping[str, str]
    languages: tuple[str, ...]
    primary_colour: str
    accent_colour: str
    logo_url: str = ""

    @property
    def default_language(self) -> str:
        return self.languages[0]


def current_language(request: Request, site: Site) -> str:
    """The language of the answer: the page's first path segment, or the API's ``lang``."""
    first = request.url.path.strip("/").split("/", 1)[0]
    if first in site.languages:
        return first
    asked = request.query_params.get("lang", "")
    return asked if first == "api" and asked in site.languages else site.default_language


def negotiate_language(accept_language: str, site: Site) -> str:
    """The best site language for an Accept-Language header (``pt-BR,pt;q=0.9,en;q=0.5``)."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, quality = part.strip().partition(";q=")
        language = tag.split("-")[0].strip().lower()
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        if language in site.languages:
            choices.append((-weight, position, language))
    return min(choices)[2] if choices else site.default_language


class Renderer:
    """Renders a block's template with the layout's context for the request's language."""

    def __init__(
        self, site: Site, translators: Mapping[str, Translator], template_dirs: Sequence[Path]
    ) -> None:
        self.site = site
        self.translators = translators
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([WEB_TEMPLATES, *template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["money"] = format_money

    def translator(self, language: str) -> Translator:
        return self.translators[language]

    def context(self, request: Request, language: str) -> dict[str, Any]:
        translator = self.translators[language]
        return {
            "request": request,
            "site": self.site,
            "lang": language,
            "language_names": LANGUAGE_NAMES,
            "alternates": self.alternates(request, language),
            "gettext": translator.gettext,
            "ngettext": translator.ngettext,
            "_": translator.gettext,
            "t": lambda text: pick(text, language, self.site.default_language),
            "money": lambda amount, currency="EUR": format_money(amount, currency, language),
            "percent": lambda share: format_share(share, language),
            "csrf_token": request.scope.get("state", {}).get("csrf_token", ""),
            "viewer": request.scope.get("state", {}).get("session"),  # who is signed in
            "acting": request.scope.get("state", {}).get("acting"),  # whom they act for
        }

    def alternates(self, request: Request, language: str) -> list[tuple[str, str]]:
        """(language, URL) of this same page in each other site language."""
        path = request.url.path
        parts = path.strip("/").split("/", 1)
        rest = parts[1] if len(parts) > 1 and parts[0] in self.site.languages else ""
        query = f"?{request.url.query}" if request.url.query else ""
        return [
            (other, f"/{other}/{rest}{query}") for other in self.site.languages if other != language
        ]

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        language: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        language = language or current_language(request, self.site)
        full = {**self.context(request, language), **(context or {})}
        html = self.environment.get_template(template).render(full)
        return HTMLResponse(html, status_code=status_code, headers={"Content-Language": language})


def format_share(share: Any, language: str = "en") -> str:
    """A share between 0 and 1 as a percentage: ``95%``, ``97,5%``."""
    return str(format_percent(share, format="#,##0.#%", locale=locale_for(language)))
