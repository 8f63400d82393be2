"""What the plain-language lint reports: findings with a stable check id and a hint."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"  # fails `civitas catalogue lint`
    WARNING = "warning"  # fails it only with --strict


# Every check id the lint may report, with what it looks for. The ids are stable: tools
# and people filter on them.
CHECKS: dict[str, str] = {
    "empty-text": "A text is empty or only spaces.",
    "untranslated": "A text is the same in two languages, so one of them was not translated.",
    "sentence-length": "A sentence is too long to read in one go "
    "(warning above 20 words, error above 30).",
    "name-length": "A name is too long to scan (warning above 8 words, error above 14).",
    "readability": "A description of 20 words or more scores low on the Flesch Reading Ease "
    "formula of its language (below 50 in English, below 30 on the Portuguese scale).",
    "jargon": "A word or phrase from the language's jargon list has a plainer alternative.",
    "passive-voice": "A sentence uses the passive voice; say who does what.",
}


@dataclass(frozen=True)
class Finding:
    """One problem in one text, in one language."""

    check_id: str
    severity: Severity
    path: str  # e.g. "services[register-a-birth].description.pt"
    language: str
    message: str
    hint: str
    excerpt: str = ""

    @property
    def text_path(self) -> str:
        """The path without the language, to group the findings of one text."""
        return self.path.removesuffix(f".{self.language}")
