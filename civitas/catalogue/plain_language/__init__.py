"""Plain-language checks on every text of the catalogue, in every language of the pack.

Pure: the word lists come in as :class:`LanguageRules` (read from the YAML files in
``words/`` by ``civitas.catalogue.word_lists``), findings go out. Which checks exist,
their thresholds and formulas: docs/explanation/plain-language-lint.md and ``CHECKS``.
"""

from __future__ import annotations

from civitas.catalogue.plain_language.findings import CHECKS, Finding, Severity
from civitas.catalogue.plain_language.lint import (
    catalogue_texts,
    lint_catalogue,
    lint_text,
    readability_by_language,
)
from civitas.catalogue.plain_language.readability import FORMULAS, FleschFormula
from civitas.catalogue.plain_language.rules import JargonEntry, LanguageRules, PassiveRules

__all__ = [
    "CHECKS",
    "FORMULAS",
    "Finding",
    "FleschFormula",
    "JargonEntry",
    "LanguageRules",
    "PassiveRules",
    "Severity",
    "catalogue_texts",
    "lint_catalogue",
    "lint_text",
    "readability_by_language",
]
