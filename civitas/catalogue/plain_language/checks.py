"""The checks, one function each: a text in one language in, findings out.

Each function gets a :class:`Text` (where it is, what kind, which language, its words)
and returns :class:`Finding` objects; ``lint`` decides which checks apply to which kind.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator
from dataclasses import dataclass

from civitas.catalogue.plain_language.findings import Finding, Severity
from civitas.catalogue.plain_language.readability import FORMULAS
from civitas.catalogue.plain_language.rules import LanguageRules
from civitas.catalogue.plain_language.sentences import sentences, words


class TextKind(enum.Enum):
    NAME = "name"  # names: short, scanned in lists
    OFFICIAL_TITLE = "official_title"  # a law's title: quoted as enacted, not rewritten
    SHORT = "short"  # taglines, "when" of a step, opening hours
    DESCRIPTION = "description"  # everything written as sentences
    ADDRESS = "address"  # postal addresses: the same in every language
    TERMS = "terms"  # search keywords


@dataclass(frozen=True)
class Limits:
    """Word counts above which a warning, then an error, is reported."""

    warning: int
    error: int


SENTENCE_WORDS = Limits(warning=20, error=30)
NAME_WORDS = Limits(warning=8, error=14)
READABILITY_MIN_WORDS = 20  # below that, one long word swings the score by 10 points or more
UNTRANSLATED_MIN_WORDS = 4  # shorter texts may be the same on purpose: names, brands
EXCERPT_CHARS = 80


@dataclass(frozen=True)
class Text:
    path: str  # with the language, e.g. "services[x].description.pt"
    kind: TextKind
    language: str
    value: str

    def finding(
        self, check_id: str, severity: Severity, message: str, hint: str, excerpt: str = ""
    ) -> Finding:
        return Finding(
            check_id, severity, self.path, self.language, message, hint, _shorten(excerpt)
        )


def check_empty(text: Text) -> Iterator[Finding]:
    if not text.value.strip():
        yield text.finding(
            "empty-text",
            Severity.ERROR,
            "The text is empty.",
            f"Write the {text.language} text, or remove the field if it is optional.",
        )


def check_name_length(text: Text) -> Iterator[Finding]:
    count = len(words(text.value))
    severity = _over(count, NAME_WORDS)
    if severity:
        yield text.finding(
            "name-length",
            severity,
            f"The name has {count} words; names are easier to scan with "
            f"{NAME_WORDS.warning} or fewer.",
            "Keep the name to what the person wants to do or get "
            "(e.g. 'Register a birth'), and move the detail to the description.",
            text.value,
        )


def check_sentence_length(text: Text) -> Iterator[Finding]:
    for sentence in sentences(text.value):
        count = len(words(sentence))
        severity = _over(count, SENTENCE_WORDS)
        if severity:
            yield text.finding(
                "sentence-length",
                severity,
                f"A sentence has {count} words; aim for {SENTENCE_WORDS.warning} or fewer "
                f"(more than {SENTENCE_WORDS.error} is an error).",
                "Split it into two or more sentences, one idea each, or turn a list of "
                "items into bullet points.",
                sentence,
            )


def check_readability(text: Text) -> Iterator[Finding]:
    formula = FORMULAS.get(text.language)
    if formula is None or len(words(text.value)) < READABILITY_MIN_WORDS:
        return
    score = formula.score(text.value)
    if score is not None and score < formula.minimum:
        yield text.finding(
            "readability",
            Severity.WARNING,
            f"{formula.name} is {math.floor(score)}; aim for {formula.minimum:.0f} or more.",
            "Use shorter sentences and shorter, everyday words (e.g. 'get' rather than 'obtain').",
            text.value,
        )


def check_jargon(text: Text, rules: LanguageRules) -> Iterator[Finding]:
    for entry in rules.jargon:
        match = entry.pattern.search(text.value)
        if match:
            found = match.group(0)
            yield text.finding(
                "jargon",
                entry.severity,
                f"'{found}' is jargon.",
                entry.hint(found),
                _around(text.value, match.start(), match.end()),
            )


def check_passive(text: Text, rules: LanguageRules) -> Iterator[Finding]:
    passive = rules.passive
    if passive is None:
        return
    for sentence in sentences(text.value):
        tokens = [w.lower() for w in words(sentence)]
        for index, token in enumerate(tokens):
            if token not in passive.auxiliaries:
                continue
            following = index + 1
            # Skip up to two adverbs: "is not usually sent".
            while following < len(tokens) and following - index <= 2:
                if not passive.is_adverb(tokens[following]):
                    break
                following += 1
            if following < len(tokens) and passive.is_participle(tokens[following]):
                phrase = " ".join(tokens[index : following + 1])
                yield text.finding(
                    "passive-voice",
                    Severity.WARNING,
                    f"'{phrase}' is in the passive voice.",
                    passive.example,
                    sentence,
                )
                break  # one finding per sentence is enough to act on


def check_untranslated(text: Text, other: Text) -> Iterator[Finding]:
    """``text`` reads the same as ``other``, a text in another language."""
    if _normalised(text.value) != _normalised(other.value):
        return
    count = sum(1 for w in words(text.value) if any(c.isalpha() for c in w))
    if count < UNTRANSLATED_MIN_WORDS:
        return
    named = text.kind in (TextKind.NAME, TextKind.OFFICIAL_TITLE)
    yield text.finding(
        "untranslated",
        Severity.WARNING if named else Severity.ERROR,
        f"The {text.language} text is the same as the {other.language} text.",
        f"Translate it into {text.language}. If it is a proper name that stays the same, "
        "ignore this warning."
        if named
        else f"Translate it into {text.language}.",
        text.value,
    )


def _over(count: int, limits: Limits) -> Severity | None:
    if count > limits.error:
        return Severity.ERROR
    if count > limits.warning:
        return Severity.WARNING
    return None


def _normalised(value: str) -> str:
    return " ".join(value.casefold().split())


def _shorten(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= EXCERPT_CHARS else value[: EXCERPT_CHARS - 1].rstrip() + "…"


def _around(value: str, start: int, end: int) -> str:
    """A few words either side of ``value[start:end]``, to show where it is."""
    left = value.rfind(" ", 0, max(0, start - 30)) + 1
    right = value.find(" ", min(len(value), end + 30))
    snippet = value[left : right if right != -1 else len(value)]
    prefix = "…" if left > 0 else ""
    suffix = "…" if right != -1 else ""
    return f"{prefix}{snippet}{suffix}"
