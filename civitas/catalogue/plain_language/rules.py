"""The word lists of one language, as plain data the checks take (read by ``word_lists``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from civitas.catalogue.plain_language.findings import Severity


@dataclass(frozen=True)
class JargonEntry:
    """Forms of one jargon word or phrase, and what to write instead."""

    words: tuple[str, ...]
    plain: tuple[str, ...]
    severity: Severity = Severity.ERROR
    advice: str = ""  # a whole hint, when "write X instead of Y" does not fit

    def hint(self, found: str) -> str:
        if self.advice:
            return self.advice
        plain = " or ".join(f"'{p}'" for p in self.plain)
        return f"Write {plain} instead of '{found}'."

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        # Whole words only, any run of spaces between the words of a phrase.
        forms = sorted(self.words, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, form.split())) for form in forms)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class PassiveRules:
    """How to spot "to be + past participle" in one language."""

    auxiliaries: frozenset[str]
    participle_pattern: str
    example: str
    adverbs: frozenset[str] = frozenset()
    adverb_suffixes: tuple[str, ...] = ()
    irregular_participles: frozenset[str] = frozenset()
    not_participles: frozenset[str] = frozenset()

    @cached_property
    def participle(self) -> re.Pattern[str]:
        return re.compile(self.participle_pattern)

    def is_participle(self, word: str) -> bool:
        if word in self.not_participles:
            return False
        return word in self.irregular_participles or bool(self.participle.match(word))

    def is_adverb(self, word: str) -> bool:
        return word in self.adverbs or any(
            word.endswith(suffix) and len(word) > len(suffix) + 2 for suffix in self.adverb_suffixes
        )


@dataclass(frozen=True)
class LanguageRules:
    """Everything language-specific the lint knows about one language."""

    language: str
    jargon: tuple[JargonEntry, ...] = ()
    passive: PassiveRules | None = None
