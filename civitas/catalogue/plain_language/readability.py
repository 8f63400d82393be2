"""Readability scores: Flesch Reading Ease, with the coefficients fitted to each language.

English, Flesch (1948)::

    206.835 - 1.015 * words/sentence - 84.6 * syllables/word

Portuguese, Martins, Ghiraldelo, Nunes and Oliveira Jr. (1996), "Readability formulas
applied to textbooks in Brazilian Portuguese": the English formula plus 42, because
Portuguese words have more syllables than English ones for the same difficulty::

    248.835 - 1.015 * words/sentence - 84.6 * syllables/word

Both read the same way: 100 is very easy; 50-75 is easy (what most adults read
without effort); 25-50 is hard (secondary school or more); below 25 is very hard.

textstat is not used for the score: for "pt" it has no coefficients and falls back to
the English ones, and for English it counts syllables with a dictionary it downloads.
Syllables come from :mod:`.syllables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from civitas.catalogue.plain_language.sentences import sentences, words
from civitas.catalogue.plain_language.syllables import SYLLABLE_COUNTERS


@dataclass(frozen=True)
class FleschFormula:
    """``base - per_word_in_sentence * words/sentence - per_syllable * syllables/word``."""

    name: str
    base: float
    per_word_in_sentence: float
    per_syllable: float
    syllables: Callable[[str], int]
    minimum: float  # scores below this get a warning

    def score(self, text: str) -> float | None:
        """The score of ``text``, or ``None`` when it has no words."""
        found = [w for s in sentences(text) for w in words(s)]
        if not found:
            return None
        sentence_count = len(sentences(text))
        syllable_count = sum(max(1, self.syllables(w)) for w in found)
        return (
            self.base
            - self.per_word_in_sentence * len(found) / sentence_count
            - self.per_syllable * syllable_count / len(found)
        )


# Thresholds. Plain-language guidance for English asks for 60 or more; service texts name
# things (certificate, registration, municipality) that cost points, so English warns
# below 50, where "hard" starts. The +42 of Martins et al. was fitted on Brazilian
# textbooks: European Portuguese service texts score about 20 points below the English
# they translate (the demo pack: 87 in English, 71 in Portuguese, all descriptions
# together), and plain ones go down to the mid 30s. Portuguese warns below 30, which
# still catches dense administrative prose (which scores from about 35 down to below 0,
# and is caught by the sentence and jargon checks too).
FORMULAS: dict[str, FleschFormula] = {
    "en": FleschFormula(
        "Flesch Reading Ease", 206.835, 1.015, 84.6, SYLLABLE_COUNTERS["en"], minimum=50
    ),
    "pt": FleschFormula(
        "Flesch Reading Ease adapted to Portuguese (Martins et al., 1996)",
        248.835,
        1.015,
        84.6,
        SYLLABLE_COUNTERS["pt"],
        minimum=30,
    ),
}
