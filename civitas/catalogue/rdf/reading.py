"""Reading values out of a catalogue graph, with a clear problem for each bad one.

:class:`GraphReader` knows RDF and the conventions of the export (``dct:identifier``
names a resource, ``civ:position`` and ``civ:*Order`` lists give the order, texts
carry language tags); ``import_`` uses it to build the domain objects. Each method
records a :class:`FieldError` (which resource, which field, what was expected) and
returns ``None`` or an empty value, so that one pass finds every problem.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from decimal import InvalidOperation
from typing import TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from civitas.catalogue.rdf.vocabulary import (
    CIV,
    CPSV,
    CURRENCY_BASE,
    CV,
    ELI,
    code_iri,
    short_name,
)
from civitas.core.errors import FieldError
from civitas.core.text import Path

_E = TypeVar("_E", bound=enum.StrEnum)
_T = TypeVar("_T")

# The same rule as for pack ids: they appear in the portal's addresses.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Top-level resources: where they go in the catalogue, their classes, what people call them.
KINDS: dict[str, tuple[tuple[URIRef, ...], str]] = {
    "organisations": ((CV.PublicOrganisation,), "public organisation"),
    "legal_resources": ((ELI.LegalResource,), "legal resource"),
    "evidence": ((CV.Evidence,), "evidence"),
    "services": ((CPSV.PublicService,), "public service"),
    "events": ((CV.LifeEvent, CV.BusinessEvent), "life or business event"),
}


class GraphReader:
    """Reads values from a graph, noting every problem instead of stopping at the first."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.errors: list[FieldError] = []
        self.languages: tuple[str, ...] = ()
        self.ids: dict[str, dict[Node, str]] = {kind: {} for kind in KINDS}

    def fail(self, path: Path, message: str) -> None:
        self.errors.append(FieldError(path, message))

    # -- finding resources -------------------------------------------------------

    def index(self, kind: str) -> list[tuple[Node, str]]:
        """Every resource of one kind with its identifier, in the order they were written."""
        classes, label = KINDS[kind]
        found: dict[Node, str] = {}
        for cls in classes:
            for node in self.graph.subjects(RDF.type, cls, unique=True):
                identifier = self.identifier(node, (kind, str(node)))
                if identifier is not None:
                    found[node] = identifier
        first: dict[str, Node] = {}
        for node, identifier in found.items():
            if identifier in first:
                self.fail(
                    (kind, identifier, "identifier"),
                    f"Two {label}s have this dct:identifier ({first[identifier]} and {node}); "
                    "identifiers must be unique.",
                )
            first.setdefault(identifier, node)
            if not ID_PATTERN.match(identifier):
                self.fail(
                    (kind, identifier, "identifier"),
                    f"The identifier '{identifier}' must use only lowercase letters, digits and "
                    "single hyphens, like 'register-a-birth'.",
                )
        self.ids[kind] = found
        return self.in_order(found.items())

    def in_order(self, items: Iterable[tuple[Node, str]]) -> list[tuple[Node, str]]:
        def key(item: tuple[Node, str]) -> tuple[int, str]:
            position = self.graph.value(item[0], CIV.position)
            value = position.toPython() if isinstance(position, Literal) else None
            return (value if isinstance(value, int) else 1 << 30, item[1])

        return sorted(items, key=key)

    def ref(self, target: Node, kind: str, path: Path) -> str | None:
        identifier = self.ids[kind].get(target)
        if identifier is None:
            classes, label = KINDS[kind]
            self.fail(
                path,
                f"{target} names no {label} in the graph (a resource typed "
                f"{' or '.join(short_name(c) for c in classes)} with a dct:identifier). "
                "Check the IRI, or add the resource.",
            )
        return identifier

    def refs(
        self, node: Node, predicate: URIRef, order: URIRef, kind: str, path: Path
    ) -> tuple[str, ...]:
        targets = self.sequence(node, order, path)
        if targets is None:
            targets = sorted(self.graph.objects(node, predicate), key=str)
        ids = (self.ref(target, kind, (*path, i)) for i, target in enumerate(targets))
        return tuple(i for i in ids if i is not None)

    def sequence(self, node: Node, order: URIRef, path: Path) -> list[Node] | None:
        """The ordered list in ``order`` if there is one (``None`` if not)."""
        head = self.graph.value(node, order)
        if head is None:
            return None
        try:
            return list(Collection(self.graph, head))
        except ValueError:
            self.fail(path, f"{short_name(order)} is not a well-formed RDF list.")
            return []

    # -- values ------------------------------------------------------------------

    def single(self, node: Node, predicate: URIRef, path: Path, required: bool) -> Node | None:
        values = list(self.graph.objects(node, predicate, unique=True))
        if len(values) > 1:
            self.fail(path, f"{short_name(predicate)} has {len(values)} values; give only one.")
            return None
        if not values:
            if required:
                self.fail(path, f"{short_name(predicate)} is missing; it is required.")
            return None
        return values[0]

    def identifier(self, node: Node, path: Path) -> str | None:
        value = self.single(node, DCTERMS.identifier, (*path, "identifier"), required=True)
        if value is None:
            return None
        if not isinstance(value, Literal) or not str(value).strip():
            self.fail((*path, "identifier"), "dct:identifier must be a non-empty text.")
            return None
        return str(value)

    def plain(self, node: Node, predicate: URIRef, path: Path, required: bool = False) -> str:
        value = self.single(node, predicate, path, required)
        if value is None:
            return ""
        if not isinstance(value, Literal):
            self.fail(path, f"{short_name(predicate)} must be text, not a resource.")
            return ""
        return str(value)

    def link(self, node: Node, predicate: URIRef, path: Path, required: bool = False) -> str:
        value = self.single(node, predicate, path, required)
        return "" if value is None else str(value)

    def number(
        self, node: Node, predicate: URIRef, path: Path, convert: Callable[[str], _T]
    ) -> _T | None:
        value = self.single(node, predicate, path, required=True)
        if value is None:
            return None
        try:
            if not isinstance(value, Literal):
                raise ValueError
            return convert(str(value))
        except (ValueError, InvalidOperation):
            self.fail(path, f"{short_name(predicate)} must be a number, not '{value}'.")
            return None

    def choice(self, node: Node, predicate: URIRef, kind: type[_E], path: Path) -> _E | None:
        value = self.plain(node, predicate, path, required=True)
        if not value:
            return None
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            self.fail(path, f"'{value}' is not one of: {choices}.")
            return None

    def concept(self, node: Node, kind: type[_E], path: Path, default: _E | None) -> _E | None:
        """A ``dct:type`` from a Civitas code list; ``default`` when the type is absent."""
        value = self.single(node, DCTERMS.type, path, required=default is None)
        if value is None:
            return default
        for member in kind:
            if value == code_iri(member):
                return member
        choices = ", ".join(str(code_iri(member)) for member in kind)
        self.fail(path, f"dct:type {value} is not a known concept; use one of: {choices}.")
        return default

    def text(
        self, node: Node, predicate: URIRef, path: Path, required: bool = True
    ) -> dict[str, str] | None:
        """A language-tagged text, in every language of the catalogue and no other."""
        values = list(self.graph.objects(node, predicate, unique=True))
        if not values:
            if required:
                self.fail(path, f"{short_name(predicate)} is missing; it is required.")
            return None
        text: dict[str, str] = {}
        for value in values:
            language = self.language(value, predicate, path)
            if language is None:
                continue
            if language in text:
                self.fail((*path, language), f"There is more than one '{language}' text.")
            elif not str(value).strip():
                self.fail((*path, language), f"The '{language}' text is empty; write it.")
            text[language] = str(value)
        for language in self.languages:
            if language not in text:
                self.fail(path, f"The '{language}' translation is missing.")
        return text

    def language(self, value: Node, predicate: URIRef, path: Path) -> str | None:
        """The catalogue language of a literal (tags compare without regard to case)."""
        if not isinstance(value, Literal) or not value.language:
            self.fail(path, f"{short_name(predicate)} must be text with a language tag, like @en.")
            return None
        for language in self.languages:
            if language.lower() == value.language.lower():
                return language
        self.fail(
            path,
            f"'{value.language}' is not a language of this catalogue "
            f"({', '.join(self.languages)}).",
        )
        return None

    def keywords(self, node: Node, path: Path) -> dict[str, tuple[str, ...]] | None:
        terms = self.sequence(node, CIV.keywordOrder, path)
        if terms is None:
            terms = sorted(self.graph.objects(node, DCAT.keyword), key=str)
            if not terms:
                return None
        keywords: dict[str, list[str]] = {}
        for term in terms:
            language = self.language(term, DCAT.keyword, path)
            if language is not None:
                keywords.setdefault(language, []).append(str(term))
        for language in self.languages:
            if language not in keywords:
                self.fail(path, f"The '{language}' keywords are missing.")
        return {language: tuple(words) for language, words in keywords.items()}

    def location(self, node: Node, path: Path) -> str:
        location = self.single(node, DCTERMS.spatial, path, required=True)
        if location is None:
            return ""
        code = self.graph.value(location, DCTERMS.identifier)
        return str(code) if code is not None else str(location).rstrip("/").rsplit("/", 1)[-1]

    def currency(self, node: Node, predicate: URIRef, path: Path) -> str:
        value = self.single(node, predicate, path, required=False)
        if value is None:
            return "EUR"
        if not str(value).startswith(CURRENCY_BASE):
            self.fail(path, f"Use a currency of the EU authority table, like {CURRENCY_BASE}EUR.")
            return "EUR"
        return str(value)[len(CURRENCY_BASE) :]

    def parts(self, node: Node, predicate: URIRef, path: Path) -> list[tuple[Node, str]]:
        parts = []
        for index, part in enumerate(sorted(self.graph.objects(node, predicate), key=str)):
            identifier = self.identifier(part, (*path, index))
            if identifier is not None:
                parts.append((part, identifier))
        return self.in_order(parts)
