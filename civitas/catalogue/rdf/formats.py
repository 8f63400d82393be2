"""Catalogue graphs as text: JSON-LD and Turtle, out and back in.

Output is deterministic (nodes and values sorted), so two exports of the same
catalogue are byte for byte equal and diff well. Input never reaches the network:
a JSON-LD file that points at a remote ``@context`` is refused rather than fetched.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

from rdflib import Graph

from civitas.catalogue.domain import Catalogue
from civitas.catalogue.rdf.export import export_graph
from civitas.catalogue.rdf.import_ import import_graph
from civitas.catalogue.rdf.vocabulary import DEFAULT_BASE, JSONLD_CONTEXT
from civitas.core.errors import FieldError, InvalidInput, NotFound
from civitas.core.i18n import N_


class RdfFormat(enum.StrEnum):
    JSONLD = "jsonld"
    TURTLE = "turtle"

    @property
    def rdflib_name(self) -> str:
        return "json-ld" if self is RdfFormat.JSONLD else "turtle"


SUFFIXES = {".jsonld": RdfFormat.JSONLD, ".json": RdfFormat.JSONLD, ".ttl": RdfFormat.TURTLE}


def serialize_catalogue(catalogue: Catalogue, fmt: RdfFormat, base: str = DEFAULT_BASE) -> str:
    return serialize_graph(export_graph(catalogue, base), fmt)


def serialize_graph(graph: Graph, fmt: RdfFormat) -> str:
    if fmt is RdfFormat.TURTLE:
        return graph.serialize(format="turtle")
    compact = json.loads(graph.serialize(format="json-ld", context=JSONLD_CONTEXT))
    return json.dumps(_sorted(compact), indent=2, ensure_ascii=False) + "\n"


def parse_catalogue(data: str | bytes, fmt: RdfFormat | None = None) -> Catalogue:
    """Read a catalogue from JSON-LD or Turtle text (guessed from the text when not given)."""
    return import_graph(parse_graph(data, fmt))


def read_catalogue(path: Path) -> Catalogue:
    """Read a catalogue file; the format follows the suffix (.jsonld, .json, .ttl)."""
    try:
        data = path.read_bytes()
    except OSError:
        raise NotFound(
            N_("Cannot read the file {file}."),
            hint=N_("Check the file name and that you may read it."),
            params={"file": str(path)},
        ) from None
    return parse_catalogue(data, SUFFIXES.get(path.suffix.lower()))


def parse_graph(data: str | bytes, fmt: RdfFormat | None = None) -> Graph:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")  # a byte-order mark is not content
        except UnicodeDecodeError:
            raise _unreadable(fmt, "The file is not UTF-8 text.") from None
    if fmt is None:
        fmt = RdfFormat.JSONLD if data.lstrip()[:1] in ("{", "[") else RdfFormat.TURTLE
    if fmt is RdfFormat.JSONLD:
        data = _local_jsonld(data)
    try:
        return Graph().parse(data=data, format=fmt.rdflib_name)
    except Exception as problem:
        reason = " ".join(str(problem).split())[:300] or type(problem).__name__
        raise _unreadable(fmt, reason) from None


def _local_jsonld(data: str) -> str:
    """The JSON-LD text, after checking it is JSON and needs nothing from the network."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as problem:
        raise _unreadable(RdfFormat.JSONLD, f"Not JSON: {problem}.") from None
    remote = sorted(_remote_contexts(document))
    if remote:
        raise _unreadable(
            RdfFormat.JSONLD,
            f"It refers to a remote @context ({', '.join(remote)}), which Civitas does not "
            "fetch. Put the context in the file itself.",
        )
    return data


def _remote_contexts(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "@import"):
                items = item if isinstance(item, list) else [item]
                found.update(i for i in items if isinstance(i, str))
            found |= _remote_contexts(item)
    elif isinstance(value, list):
        for item in value:
            found |= _remote_contexts(item)
    return found


def _unreadable(fmt: RdfFormat | None, reason: str) -> InvalidInput:
    name = {RdfFormat.JSONLD: "JSON-LD", RdfFormat.TURTLE: "Turtle", None: "RDF"}[fmt]
    return InvalidInput(
        N_("The file cannot be read as {format}."),
        hint=N_("Export the catalogue again, or fix the file so that it is valid {format}."),
        params={"format": name},
        errors=(FieldError((), reason),),
    )


def _sorted(value: Any) -> Any:
    """Nodes by @id and repeated values in a fixed order; @list order is kept."""
    if isinstance(value, dict):
        return {
            key: [_sorted(i) for i in item] if key == "@list" else _sorted(item)
            for key, item in sorted(value.items())
        }
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value
