"""Use cases of the catalogue: browse journeys, search in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from civitas.catalogue.domain import Catalogue, Event, Service
from civitas.catalogue.ports import SearchDocument, SearchIndex
from civitas.catalogue.search_terms import Vocabulary, search_documents, words
from civitas.core.errors import FieldError, InvalidInput, NotFound
from civitas.core.i18n import N_

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchResults:
    query: str
    corrected: str | None  # the query as understood, when words were corrected
    services: tuple[Service, ...]
    events: tuple[Event, ...]

    @property
    def count(self) -> int:
        return len(self.services) + len(self.events)


class CatalogueSearch:
    """Search that forgives typos: unknown words are corrected to the nearest indexed word."""

    def __init__(self, catalogue: Catalogue, index: SearchIndex) -> None:
        self.catalogue = catalogue
        self.index = index
        documents = search_documents(catalogue)
        self.vocabularies = {
            language: Vocabulary.of(d for d in documents if d.language == language)
            for language in catalogue.country.languages
        }
        self._documents: list[SearchDocument] = documents

    def rebuild(self) -> None:
        """Put the catalogue into the index (at start-up, after loading the pack)."""
        self.index.replace_all(self._documents)

    def search(self, query: str, language: str, limit: int = 30) -> SearchResults:
        query = query.strip()
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidInput(
                N_("The search is too long."),
                hint=N_("Use fewer words, at most {max} characters."),
                params={"max": MAX_QUERY_LENGTH},
                errors=(FieldError(("q",), N_("Use at most 200 characters.")),),
            )
        vocabulary = self.vocabularies.get(language)
        if vocabulary is None:
            raise NotFound(
                N_("This site has no pages in '{language}'."),
                hint=N_("Choose one of the languages at the top of the page."),
                params={"language": language},
            )
        terms = words(query)
        if not terms:
            return SearchResults(query, None, (), ())
        corrected_terms = [vocabulary.correct(term) for term in terms]
        # Pages that hold every word first; when none does, pages that hold any of them.
        hits = self.index.search(language, corrected_terms, limit, match_all=True)
        if not hits:
            hits = self.index.search(language, corrected_terms, limit)
        corrected = " ".join(corrected_terms) if corrected_terms != terms else None
        # The index may hold rows of another pack version for a moment (another worker
        # rebuilding it): show only what this catalogue knows.
        services, events = self.catalogue.services, self.catalogue.events
        return SearchResults(
            query=query,
            corrected=corrected,
            services=tuple(
                services[h.id] for h in hits if h.kind == "service" and h.id in services
            ),
            events=tuple(events[h.id] for h in hits if h.kind == "event" and h.id in events),
        )
