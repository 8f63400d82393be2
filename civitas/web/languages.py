"""The languages of the site: the page prefix (``/pt/...``) and the API's ``?lang=``."""

from __future__ import annotations

import enum
import inspect
from functools import cache
from typing import Annotated, Any

from fastapi import Query, Response

from civitas.core.errors import NotFound
from civitas.core.i18n import N_


@cache  # one enumeration per set of languages, so every API's OpenAPI shares it
def language_parameter(languages: tuple[str, ...]) -> Any:
    """A dependency reading ``?lang=`` as an enumeration of the pack's languages.

    The languages come from the country pack at run time, so the signature FastAPI reads
    is built here rather than written as annotations. It also labels the answer with
    ``Content-Language``.
    """
    language = enum.StrEnum("Language", {code: code for code in languages})  # type: ignore[misc]
    description = (
        "Language of the texts in the answer: one of "
        + ", ".join(languages)
        + f". Default: {languages[0]}."
    )

    def read(lang: enum.StrEnum, response: Response) -> str:
        response.headers["Content-Language"] = lang.value
        return str(lang.value)

    read.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "lang",
                inspect.Parameter.KEYWORD_ONLY,
                default=language(languages[0]),
                annotation=Annotated[language, Query(description=description)],
            ),
            inspect.Parameter("response", inspect.Parameter.KEYWORD_ONLY, annotation=Response),
        ]
    )
    return read


def page_language(lang: str, languages: tuple[str, ...]) -> str:
    """The language of a page's address, or NotFound when the site has no such pages."""
    if lang not in languages:
        raise NotFound(
            N_("This site has no pages in '{language}'."),
            hint=N_("Choose one of the languages at the top of the page."),
            params={"language": lang},
        )
    return lang
