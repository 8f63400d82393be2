"""Pure text handling for search: words, the indexed vocabulary, typo correction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from civitas.catalogue.domain import Catalogue
from civitas.catalogue.ports import SearchDocument
from civitas.core.text import pick

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase without accents, so that 'bebé' and 'bebe' meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Vocabulary:
    """Every word that occurs in one language's documents, in a fixed (sorted) order."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, documents: Iterable[SearchDocument]) -> Vocabulary:
        found: set[str] = set()
        for document in documents:
            found.update(words(document.title))
            found.update(words(document.body))
        return cls(tuple(sorted(found)))

    def correct(self, term: str) -> str:
        """The term itself when known (or a prefix of a known word), else the nearest word.

        Among equally near words the one sharing the first letter wins (people rarely
        mistype the first letter), then the alphabetically first, so that the same
        query is always understood the same way.
        """
        # Short words are left alone: at four letters one edit already turns 'vote' into 'note'.
        if len(term) < 5 or any(w.startswith(term) for w in self.words):
            return term
        allowed = 1 if len(term) <= 5 else 2
        matches = process.extract(
            term, self.words, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        if not matches:
            return term
        best = min(matches, key=lambda m: (m[1], m[0][0] != term[0], m[0]))
        return str(best[0])


def search_documents(catalogue: Catalogue) -> list[SearchDocument]:
    """One document per service and per life event in every language of the pack."""
    documents = []
    for language in catalogue.country.languages:
        for service in catalogue.services.values():
            authority = catalogue.organisations[service.authority]
            keywords = (service.keywords or {}).get(language, ())
            body = " ".join(
                [
                    pick(service.description, language),
                    pick(authority.name, language),
                    " ".join(keywords),
                    *(pick(o.name, language) for o in service.outputs),
                ]
            )
            documents.append(
                SearchDocument("service", service.id, language, pick(service.name, language), body)
            )
        for event in catalogue.events.values():
            keywords = (event.keywords or {}).get(language, ())
            body = " ".join([pick(event.description, language), " ".join(keywords)])
            documents.append(
                SearchDocument("event", event.id, language, pick(event.name, language), body)
            )
    return documents
