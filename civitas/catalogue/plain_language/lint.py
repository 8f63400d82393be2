"""Lint every text of a catalogue, in every language: which checks run on which text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from civitas.catalogue.domain import Catalogue
from civitas.catalogue.plain_language import checks
from civitas.catalogue.plain_language.checks import Text, TextKind
from civitas.catalogue.plain_language.findings import Finding, Severity
from civitas.catalogue.plain_language.readability import FORMULAS
from civitas.catalogue.plain_language.rules import LanguageRules
from civitas.core.text import Path, walk_texts

# The kind of a text follows from its field name; any other field is a description.
_KINDS = {
    "name": TextKind.NAME,
    "title": TextKind.OFFICIAL_TITLE,
    "portal_name": TextKind.NAME,
    "tagline": TextKind.SHORT,
    "when": TextKind.SHORT,
    "opening_hours": TextKind.SHORT,
    "address": TextKind.ADDRESS,
    "keywords": TextKind.TERMS,
}


def lint_catalogue(
    catalogue: Catalogue,
    rules: Mapping[str, LanguageRules],
    languages: Sequence[str] | None = None,
) -> list[Finding]:
    """Every plain-language finding in the catalogue, in catalogue order.

    ``rules`` holds the word lists per language (see ``civitas.catalogue.word_lists``); a
    language without them still gets the checks that need no word list.
    """
    languages = tuple(languages or catalogue.country.languages)
    findings: list[Finding] = []
    for where, kind, text in catalogue_texts(catalogue):
        findings += lint_text(where, kind, text, languages, rules)
    return findings


def catalogue_texts(catalogue: Catalogue) -> Iterator[tuple[str, TextKind, Mapping[str, Any]]]:
    """(path, kind, text in every language) for every text of the catalogue."""
    for prefix, item in _items(catalogue):
        for path, text in walk_texts(item):
            yield prefix + _format_path(item, path), _kind(path), text


def readability_by_language(
    catalogue: Catalogue, languages: Sequence[str] | None = None
) -> dict[str, float]:
    """The readability score of all descriptions of a language read as one text.

    One short text says little (see ``checks.READABILITY_MIN_WORDS``); the whole
    catalogue is a sample large enough for the formula to mean what it says.
    """
    languages = tuple(languages or catalogue.country.languages)
    scores = {}
    for language in languages:
        formula = FORMULAS.get(language)
        if formula is None:
            continue
        parts = [
            _as_sentence(str(text[language]))
            for _, kind, text in catalogue_texts(catalogue)
            if kind is TextKind.DESCRIPTION and str(text.get(language) or "").strip()
        ]
        score = formula.score("\n".join(parts))
        if score is not None:
            scores[language] = score
    return scores


def _as_sentence(value: str) -> str:
    value = value.strip()
    return value if value.endswith((".", "!", "?", "…")) else f"{value}."


def lint_text(
    where: str,
    kind: TextKind,
    text: Mapping[str, Any],
    languages: Sequence[str],
    rules: Mapping[str, LanguageRules],
) -> list[Finding]:
    """The findings for one localised text (all its languages)."""
    findings: list[Finding] = []
    written: list[Text] = []
    for language in languages:
        raw = text.get(language)
        if raw is None:
            findings.append(_missing(where, language))
            continue
        value = " ".join(raw) if kind is TextKind.TERMS else str(raw)
        one = Text(f"{where}.{language}", kind, language, value)
        empty = list(checks.check_empty(one))
        findings += empty
        if empty or kind in (TextKind.ADDRESS, TextKind.TERMS):
            continue
        findings += _check(one, rules.get(language, LanguageRules(language)))
        for other in written:
            findings += checks.check_untranslated(one, other)
        written.append(one)
    return findings


def _check(text: Text, rules: LanguageRules) -> Iterator[Finding]:
    if text.kind is TextKind.OFFICIAL_TITLE:
        return  # the pack quotes the law; only its translation is checked
    if text.kind is TextKind.NAME:
        yield from checks.check_name_length(text)
    else:
        yield from checks.check_sentence_length(text)
        yield from checks.check_passive(text, rules)
    if text.kind is TextKind.DESCRIPTION:
        yield from checks.check_readability(text)
    yield from checks.check_jargon(text, rules)


def _kind(path: Path) -> TextKind:
    fields = tuple(part for part in path if isinstance(part, str))
    if fields[-2:] == ("requirements", "name"):
        # A requirement is named by its condition ("You live in Valdoria"): a sentence.
        return TextKind.SHORT
    return _KINDS.get(fields[-1], TextKind.DESCRIPTION)


def _missing(where: str, language: str) -> Finding:
    return Finding(
        "empty-text",
        Severity.ERROR,
        f"{where}.{language}",
        language,
        f"The {language} text is missing.",
        f"Write the {language} text.",
    )


def _items(catalogue: Catalogue) -> Iterator[tuple[str, Any]]:
    """(path prefix, object) for everything in the catalogue that holds texts."""
    yield "country", catalogue.country
    groups: tuple[tuple[str, Mapping[str, Any]], ...] = (
        ("organisations", catalogue.organisations),
        ("legal_resources", catalogue.legal_resources),
        ("evidence", catalogue.evidence),
        ("services", catalogue.services),
        ("events", catalogue.events),
    )
    for name, group in groups:
        for key, item in group.items():
            yield f"{name}[{key}]", item


def _format_path(item: Any, path: Path) -> str:
    """``("channels", 0, "description")`` as ``.channels[register-a-birth-web].description``.

    List items are named by their id when they have one, so a path survives reordering.
    """
    parts = []
    node = item
    for part in path:
        if isinstance(part, str):
            node = getattr(node, part)
            parts.append(f".{part}")
        else:
            node = node[part]
            identifier = getattr(node, "id", None)
            parts.append(f"[{identifier if isinstance(identifier, str) else part}]")
    return "".join(parts)
