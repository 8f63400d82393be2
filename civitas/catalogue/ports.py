"""What the catalogue's use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SearchDocument:
    """One searchable page in one language: a service or a life event."""

    kind: str  # "service" or "event"
    id: str
    language: str
    title: str
    body: str


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: str
    score: float


class SearchIndex(Protocol):
    """A full-text index of the catalogue (SQLite FTS5 or PostgreSQL full-text search)."""

    def replace_all(self, documents: Iterable[SearchDocument]) -> None:
        """Index exactly these documents, dropping whatever was indexed before."""

    def search(
        self, language: str, terms: Sequence[str], limit: int, *, match_all: bool = False
    ) -> list[SearchHit]:
        """Documents in ``language`` matching any term, or every term with ``match_all``.

        Terms match as word prefixes; the best matches come first.
        """
