"""Split a text into sentences and words, the units every plain-language check counts."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (or …) followed by a space and a capital, digit or quote, or at
# the end of a line. Abbreviations such as "e.g. a passport" and "n.º 3" do not end one,
# nor do the dots of a web address or of a number like 12.50.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)]*\s+(?=[\"'«“(]*[A-ZÀ-Ý0-9])|\s*\n\s*")
_WORD = re.compile(r"\S*[^\W_]\S*")
_EDGE_PUNCTUATION = "\"'«»“”‘’()[]{}.,;:!?…"


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def words(text: str) -> list[str]:
    """The words of ``text``: runs without spaces holding a letter or digit, edges trimmed.

    "Informe-nos" and "www.example.org" are one word each; "—" is none.
    """
    return [token.strip(_EDGE_PUNCTUATION) for token in _WORD.findall(text)]
