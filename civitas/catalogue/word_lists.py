"""Read the plain-language word lists shipped in ``plain_language/words/<language>.yaml``.

Kept outside :mod:`civitas.catalogue.plain_language` so that the checks stay free of
I/O: this module reads the files and hands the checks plain data.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

import yaml

from civitas.catalogue.plain_language import JargonEntry, LanguageRules, PassiveRules, Severity

_PACKAGE = "civitas.catalogue.plain_language"


def available_languages() -> tuple[str, ...]:
    """Languages that have a word list."""
    folder = resources.files(_PACKAGE) / "words"
    return tuple(
        sorted(f.name.removesuffix(".yaml") for f in folder.iterdir() if f.name.endswith(".yaml"))
    )


def load_language_rules(languages: Iterable[str]) -> dict[str, LanguageRules]:
    """The rules of every language in ``languages`` that has a word list."""
    known = available_languages()
    return {language: _load(language) for language in languages if language in known}


def _load(language: str) -> LanguageRules:
    source = resources.files(_PACKAGE) / "words" / f"{language}.yaml"
    data: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    jargon = tuple(
        JargonEntry(
            words=tuple(entry["words"]),
            plain=tuple(entry["plain"]),
            severity=Severity(entry.get("severity", "error")),
            advice=entry.get("advice", ""),
        )
        for entry in data.get("jargon", ())
    )
    passive_data = data.get("passive")
    passive = None
    if passive_data:
        passive = PassiveRules(
            auxiliaries=frozenset(passive_data["auxiliaries"]),
            participle_pattern=passive_data["participle_pattern"],
            example=passive_data["example"],
            adverbs=frozenset(passive_data.get("adverbs", ())),
            adverb_suffixes=tuple(passive_data.get("adverb_suffixes", ())),
            irregular_participles=frozenset(passive_data.get("irregular_participles", ())),
            not_participles=frozenset(passive_data.get("not_participles", ())),
        )
    return LanguageRules(language, jargon, passive)
