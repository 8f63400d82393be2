"""The provider's pages: its own small layout around the shared design system, in en or pt.

The portal's layout links to portal pages (services, search, the home page) that this
process does not serve, so the provider has a layout of its own,
``identity/provider_base.html``, using the same stylesheet, components and
translations. The language of a page is ``?lang=`` when given, then the relying
party's ``ui_locales`` (OpenID Connect Core 3.1.2.1), then the browser's
Accept-Language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from civitas.core.i18n import N_, load_translators
from civitas.web import Renderer, Site
from civitas.web.rendering import negotiate_language

LANGUAGES = ("en", "pt")  # the languages the Civitas interface is translated into
SITE_NAME = N_("Valdoria ID (development)")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Not the portal's colours: testers should see at a glance that they left the portal.
PRIMARY_COLOUR = "#4c2c92"
FOCUS_COLOUR = "#ffbf47"
PAGE_HEADERS = {
    "Cache-Control": "no-store",  # sign-in pages carry one-time values
    "Content-Security-Policy": "frame-ancestors 'none'",  # no sign-in page inside a frame
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class Pages:
    """Renders the provider's templates in the reader's language."""

    def __init__(self) -> None:
        translators = load_translators(LANGUAGES)
        self.site = Site(
            name={language: translators[language].gettext(SITE_NAME) for language in LANGUAGES},
            languages=LANGUAGES,
            primary_colour=PRIMARY_COLOUR,
            accent_colour=FOCUS_COLOUR,
        )
        self.renderer = Renderer(self.site, translators, [TEMPLATES])

    def language(self, request: Request, ui_locales: Sequence[str] = ()) -> str:
        asked = request.query_params.get("lang", "")
        if asked in LANGUAGES:
            return asked
        for tag in ui_locales:
            language = tag.split("-")[0].lower()
            if language in LANGUAGES:
                return language
        return negotiate_language(request.headers.get("accept-language", ""), self.site)

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any],
        language: str,
        *,
        status: int = 200,
        query: Sequence[tuple[str, str]] | None = None,
    ) -> HTMLResponse:
        """``query``: the parameters the language links repeat (default: this request's)."""
        if query is None:
            query = request.query_params.multi_items()
        kept = [(name, value) for name, value in query if name != "lang"]
        alternates = [
            (other, f"{request.url.path}?{urlencode([*kept, ('lang', other)])}")
            for other in LANGUAGES
            if other != language
        ]
        response = self.renderer.page(
            request,
            template,
            {**context, "alternates": alternates},
            language=language,
            status_code=status,
        )
        response.headers.update(PAGE_HEADERS)
        return response
