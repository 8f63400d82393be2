"""Read hand-edited YAML content into dataclasses, with every problem's file and line.

Service owners edit the country pack by hand, so every error must point at a file
and a line. PyYAML's node tree carries the positions; this module turns it into
plain Python values plus a map from each value's path to its line, then validates
them into frozen dataclasses, reporting unknown fields next to every other problem.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from pydantic import TypeAdapter, ValidationError

from civitas.core.errors import FieldError
from civitas.core.text import Path as ValuePath

_T = TypeVar("_T")

_FRIENDLY = {
    "missing": "This field is required.",
    "missing_argument": "This field is required.",
    "unexpected_keyword_argument": "Unknown field. Check its spelling against "
    "docs/reference/country-pack.md, or remove it.",
    "extra_forbidden": "Unknown field. Check its spelling against "
    "docs/reference/country-pack.md, or remove it.",
    "dataclass_type": "Expected a mapping of fields (key: value lines).",
    "list_type": "Expected a list (lines starting with '- ').",
    "tuple_type": "Expected a list (lines starting with '- ').",
    "dict_type": "Expected a mapping of fields (key: value lines).",
    "string_type": "Expected text.",
    "int_type": "Expected a whole number.",
    "int_parsing": "Expected a whole number.",
    "decimal_parsing": "Expected a number such as 12.50.",
}


@dataclass
class YamlDocument:
    """A parsed file: its data, and the line (1-based) of each path within it."""

    file: str
    data: Any
    lines: dict[ValuePath, int] = field(default_factory=dict)

    def line_of(self, path: ValuePath) -> int:
        """The line of ``path``, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def error(self, path: ValuePath, message: str) -> FieldError:
        return FieldError(path=path, message=message, file=self.file, line=self.line_of(path))


class YamlProblem(Exception):
    """The file is not valid YAML, or repeats a key."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message)
        self.error = error


def read_yaml(path: Path, display_name: str) -> YamlDocument:
    """Parse one YAML file, raising :class:`YamlProblem` with file and line on bad syntax."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            FieldError((), "The file is not UTF-8 text. Save it as UTF-8.", display_name, 1)
        ) from exc
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        document = YamlDocument(display_name, None)
        if root is not None:
            document.data = _convert(loader, root, (), document)
        return document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "unreadable YAML"
        raise YamlProblem(
            FieldError((), f"This is not valid YAML: {problem}.", display_name, line)
        ) from exc
    finally:
        loader.dispose()


def read_pack_file(path: Path, errors: list[FieldError]) -> YamlDocument | None:
    """A pack file, or None with the problem added to ``errors`` (missing, unreadable,
    not YAML)."""
    if not path.is_file():
        errors.append(FieldError((), "This file is missing from the pack.", path.name))
        return None
    try:
        return read_yaml(path, path.name)
    except YamlProblem as problem:
        errors.append(problem.error)
    except OSError:
        errors.append(FieldError((), "This file cannot be read.", path.name))
    return None


def pack_languages(pack_dir: Path, errors: list[FieldError]) -> tuple[str, ...]:
    """The languages country.yaml declares; () with the problem added to ``errors``."""
    document = read_pack_file(pack_dir / "country.yaml", errors)
    data: Any = document.data if document else None
    languages = data.get("languages") if isinstance(data, dict) else None
    if isinstance(languages, list) and all(isinstance(x, str) for x in languages):
        return tuple(languages)
    if document is not None:
        errors.append(document.error(("languages",), "Expected a list of language codes."))
    return ()


def _convert(loader: yaml.SafeLoader, node: yaml.Node, path: ValuePath, doc: YamlDocument) -> Any:
    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolve YAML merge keys (<<)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise YamlProblem(
                    FieldError(
                        (*path, str(key)),
                        f"The key '{key}' appears twice here; keep only one.",
                        doc.file,
                        key_node.start_mark.line + 1,
                    )
                )
            if not isinstance(key, str | int):
                raise YamlProblem(doc.error(path, f"The key {key!r} must be plain text."))
            result[key] = _convert(loader, value_node, (*path, key), doc)
            doc.lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, (*path, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def validate(
    document: YamlDocument, data: Any, kind: type[_T], path: ValuePath = ()
) -> tuple[_T | None, list[FieldError]]:
    """``data`` (found at ``path`` in ``document``) as a ``kind``, or every problem with it."""
    try:
        value: _T = _adapter(cast(Hashable, kind)).validate_python(data)
        return value, []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = _FRIENDLY.get(error["type"], error["msg"].rstrip(".") + ".")
            problems.append(document.error((*path, *error["loc"]), message))
        return None, problems


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    """A validator that reports unknown fields next to every other problem.

    Pydantic reads ``__pydantic_config__`` from plain dataclasses; setting it here keeps
    the domain free of validation concerns.
    """
    for cls in _dataclasses_within(kind):
        cls.__pydantic_config__ = {"extra": "forbid"}  # type: ignore[attr-defined]
    return TypeAdapter(kind)


def _dataclasses_within(kind: Any, seen: set[type] | None = None) -> set[type]:
    seen = set() if seen is None else seen
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if kind in seen:
            return seen
        seen.add(kind)
        for hint in typing.get_type_hints(kind).values():
            _dataclasses_within(hint, seen)
    for argument in typing.get_args(kind):
        _dataclasses_within(argument, seen)
    return seen
