"""Localised text: one value per language, with a marker the content checks can find.

``LocalText`` is a plain mapping of language code to text, annotated so that code
walking a dataclass (translation checks, plain-language lint, search indexing)
knows which fields hold text written for people.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Annotated, Any, Final


class _Localised:
    def __repr__(self) -> str:
        return "LOCALISED"


LOCALISED: Final = _Localised()

LocalText = Annotated[Mapping[str, str], LOCALISED]
"""A text in every language of the country pack, e.g. ``{"en": "Passport", "pt": "Passaporte"}``."""

LocalTerms = Annotated[Mapping[str, tuple[str, ...]], LOCALISED]
"""Short terms per language, e.g. search keywords."""

Path = tuple[str | int, ...]


def pick(text: Mapping[str, str] | None, language: str, fallback: str = "en") -> str:
    """The text in ``language``, else the fallback language, else empty."""
    if not text:
        return ""
    return text.get(language) or text.get(fallback) or ""


@cache
def _localised_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(field name, holds localised text directly) for every field of a dataclass."""
    hints = typing.get_type_hints(cls, include_extras=True)
    found = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        is_union = typing.get_origin(hint) in (typing.Union, types.UnionType)
        options = typing.get_args(hint) if is_union else (hint,)
        localised = any(
            typing.get_origin(option) is Annotated and LOCALISED in option.__metadata__
            for option in options
        )
        found.append((f.name, localised))
    return tuple(found)


def walk_texts(value: Any, path: Path = ()) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """Every localised text inside ``value`` (dataclasses, tuples, lists), with its path."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name, localised in _localised_fields(type(value)):
            item = getattr(value, name)
            if item is None:
                continue
            if localised:
                yield (*path, name), item
            else:
                yield from walk_texts(item, (*path, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from walk_texts(item, (*path, index))
