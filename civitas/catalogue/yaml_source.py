"""Read YAML while remembering where every value came from.

Service owners edit the country pack by hand, so every error must point at a file
and a line. PyYAML's node tree carries the positions; this module turns it into
plain Python values plus a map from each value's path to its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from civitas.core.errors import FieldError
from civitas.core.text import Path as ValuePath


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
