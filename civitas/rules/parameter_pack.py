"""Load a country pack's ``parameters/`` folder into a checked :class:`ParameterNode` tree.

Every ``.yaml`` file under ``parameters/`` (any nesting) adds to one tree. The
file's path gives the start of its parameters' paths and its keys the rest:
``parameters/benefits/child_benefit.yaml`` holding ``amount:`` defines
``benefits.child_benefit.amount``. A mapping with ``values`` is a parameter (it has
a ``type``) or a scale (it has a ``scale``); any other mapping is a group, whose
optional ``label`` names it. A file that is itself one parameter takes the file's path.

Loading is all or nothing: every problem in every file is reported together with
its file, line and field path.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from civitas.core.content import YamlDocument, YamlProblem, read_yaml, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import LocalText
from civitas.core.text import Path as ValuePath
from civitas.rules.parameters import (
    CENT,
    Bracket,
    Dated,
    LegalReference,
    Parameter,
    ParameterNode,
    Scale,
    ScaleKind,
    ValueType,
)

PARAMETERS_FOLDER = "parameters"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$")


@dataclass(frozen=True)
class BracketEntry:
    """One bracket of a scale, as written in the file."""

    threshold: Decimal  # inclusive lower bound: a base equal to it falls in this bracket
    rate: Decimal | None = None  # for marginal_rate scales, e.g. 0.145
    amount: Decimal | None = None  # for single_amount scales, e.g. 150.00


@dataclass(frozen=True)
class ValueEntry:
    """One dated value; it applies from `since` until the day before the next one."""

    since: date  # first day it applies, e.g. 2026-01-01
    value: Decimal | bool | None = None  # for parameters; null ends the parameter
    brackets: tuple[BracketEntry, ...] | None = None  # for scales, thresholds increasing
    reference: LegalReference | None = None  # the law that set this value, if not the usual


@dataclass(frozen=True)
class ParameterEntry:
    """A parameter or scale: a mapping with `values` anywhere in a file under `parameters/`.

    Each file under `parameters/` is a tree of groups whose leaves are these entries; the
    file's path and the keys lead to its dotted path, e.g.
    `parameters/benefits/birth_grant.yaml` holding `amount:` is `benefits.birth_grant.amount`.
    A group may have a `label`. Money is written with at most two decimal places.
    """

    label: LocalText
    reference: LegalReference  # the law that sets it; a value may name another
    values: tuple[ValueEntry, ...]  # in date order, no date twice
    type: ValueType | None = None  # for a parameter: what its values are
    scale: ScaleKind | None = None  # for a scale: how its brackets apply
    unit: str = ""  # e.g. EUR, month, person


class ParametersInvalid(InvalidInput):
    """The pack's parameters cannot be used; ``errors`` lists every problem."""


def load_parameters(pack_dir: Path, languages: Collection[str] | None = None) -> ParameterNode:
    """The parameter tree of a pack (empty when it has no ``parameters/`` folder)."""
    loader = _Loader(pack_dir)
    if languages is None:
        languages = loader.languages()
    root = loader.load(tuple(languages))
    if loader.errors:
        raise ParametersInvalid(
            N_("The parameters of the country pack in {folder} have {count} problem(s)."),
            hint=N_("Fix each problem listed in the parameters folder, then try again."),
            params={"folder": str(pack_dir), "count": len(loader.errors)},
            errors=tuple(loader.errors),
        )
    return root


class _Loader:
    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir
        self.errors: list[FieldError] = []

    def languages(self) -> tuple[str, ...]:
        document = self._read(self.pack_dir / "country.yaml")
        data: Any = document.data if document else None
        found = data.get("languages") if isinstance(data, dict) else None
        if isinstance(found, list) and found and all(isinstance(x, str) for x in found):
            return tuple(found)
        if document is not None:
            self.errors.append(document.error(("languages",), "Expected a list of languages."))
        return ()

    def load(self, languages: tuple[str, ...]) -> ParameterNode:
        self.languages_ = languages
        folder = self.pack_dir / PARAMETERS_FOLDER
        groups: dict[str, dict[str, Any]] = {"": {}}  # path -> name -> child (or dict)
        labels: dict[str, LocalText] = {}
        files = sorted(p for pattern in ("*.yaml", "*.yml") for p in folder.rglob(pattern))
        for file in files:
            relative = file.relative_to(self.pack_dir)
            names = [*relative.parent.relative_to(PARAMETERS_FOLDER).parts, file.stem]
            document = self._read(file)
            if document is None:
                continue
            bad = [name for name in names if not _NAME.match(name)]
            if bad:
                self.errors.append(
                    document.error(
                        (),
                        f"The name '{bad[0]}' in this file's path must use lowercase letters, "
                        "digits and underscores, starting with a letter, like 'child_benefit'.",
                    )
                )
                continue
            if not isinstance(document.data, dict):
                self.errors.append(document.error((), "Expected a mapping of parameters."))
                continue
            self._add(document, document.data, (), ".".join(names), groups, labels)
        return _build("", groups, labels)

    def _read(self, path: Path) -> YamlDocument | None:
        name = str(path.relative_to(self.pack_dir))
        if not path.is_file():
            self.errors.append(FieldError((), "This file is missing from the pack.", name))
            return None
        try:
            return read_yaml(path, name)
        except YamlProblem as problem:
            self.errors.append(problem.error)
            return None

    def _add(
        self,
        document: YamlDocument,
        data: dict[str, Any],
        at: ValuePath,
        path: str,
        groups: dict[str, dict[str, Any]],
        labels: dict[str, LocalText],
    ) -> None:
        """Add the mapping ``data`` (found at ``at`` in the file) as ``path`` to the tree."""
        parent, _, name = path.rpartition(".")
        if path:
            self._ensure_group(parent, groups)
            siblings = groups[parent]
            if name in siblings and not (isinstance(siblings[name], str) and "values" not in data):
                self.errors.append(
                    document.error(at, f"The parameter path '{path}' is already defined.")
                )
                return
        if "values" in data:
            leaf = self._leaf(document, data, at, path)
            if leaf is not None:
                groups[parent][name] = leaf
            return
        if path:
            groups[parent].setdefault(name, "group")
            groups.setdefault(path, {})
        for key, value in data.items():
            where = (*at, key)
            if key == "label":
                label = self._label(document, value, where)
                if label is not None:
                    labels[path] = label
            elif not isinstance(key, str) or not _NAME.match(key):
                self.errors.append(
                    document.error(
                        where,
                        f"The name '{key}' must use lowercase letters, digits and underscores, "
                        "starting with a letter, like 'child_benefit'.",
                    )
                )
            elif not isinstance(value, dict):
                self.errors.append(
                    document.error(
                        where,
                        "Expected a parameter (with 'values') or a group of parameters.",
                    )
                )
            else:
                self._add(document, value, where, f"{path}.{key}" if path else key, groups, labels)

    def _ensure_group(self, path: str, groups: dict[str, dict[str, Any]]) -> None:
        if path in groups:
            return
        parent, _, name = path.rpartition(".")
        self._ensure_group(parent, groups)
        groups[parent].setdefault(name, "group")
        groups[path] = {}

    def _label(self, document: YamlDocument, value: Any, at: ValuePath) -> LocalText | None:
        label, problems = validate(document, value, cast(Any, LocalText), at)
        self.errors.extend(problems)
        if label is not None:
            self.errors.extend(_check_text(document, label, at, self.languages_))
        return label

    def _leaf(
        self, document: YamlDocument, data: dict[str, Any], at: ValuePath, path: str
    ) -> Parameter | Scale | None:
        entry, problems = validate(document, data, ParameterEntry, at)
        self.errors.extend(problems)
        if entry is None:
            return None
        check = _Checker(document, at)
        check.entry(entry, data, self.languages_)
        self.errors.extend(check.errors)
        if check.errors:
            return None
        dated = tuple(
            Dated(value.since, _content(entry, value), value.reference, check.source(index))
            for index, value in enumerate(entry.values)
        )
        if entry.scale is not None:
            return Scale(path, entry.label, entry.reference, dated, entry.unit, kind=entry.scale)
        kind = entry.type or ValueType.AMOUNT
        return Parameter(path, entry.label, entry.reference, dated, entry.unit, type=kind)


def _content(entry: ParameterEntry, value: ValueEntry) -> Any:
    """The checked content of one dated entry, in its domain type."""
    if value.brackets is not None:
        marginal = entry.scale is ScaleKind.MARGINAL_RATE
        return tuple(
            Bracket(
                b.threshold.quantize(CENT),
                (b.rate or Decimal(0)) if marginal else (b.amount or Decimal(0)).quantize(CENT),
            )
            for b in value.brackets
        )
    if isinstance(value.value, Decimal) and entry.type is ValueType.AMOUNT:
        return value.value.quantize(CENT)
    if isinstance(value.value, Decimal) and entry.type is ValueType.INTEGER:
        return int(value.value)
    return value.value


def _check_text(
    document: YamlDocument, text: LocalText, at: ValuePath, languages: Collection[str]
) -> list[FieldError]:
    problems = []
    for language in languages:
        written = text.get(language)
        if not isinstance(written, str) or not written.strip():
            problems.append(
                document.error(at, f"The '{language}' translation is missing or empty; write it.")
            )
    for language in text:
        if language not in languages:
            problems.append(
                document.error(
                    (*at, language), f"'{language}' is not a language of this pack; remove it."
                )
            )
    return problems


def _money(value: Decimal) -> bool:
    return value == value.quantize(CENT)


class _Checker:
    """Every problem with one parameter entry that its field types alone do not catch."""

    def __init__(self, document: YamlDocument, at: ValuePath) -> None:
        self.document = document
        self.at = at
        self.errors: list[FieldError] = []

    def problem(self, path: ValuePath, message: str) -> None:
        self.errors.append(self.document.error((*self.at, *path), message))

    def source(self, index: int) -> str:
        return f"{self.document.file}:{self.document.line_of((*self.at, 'values', index))}"

    def entry(
        self, entry: ParameterEntry, data: dict[str, Any], languages: Collection[str]
    ) -> None:
        if (entry.type is None) == (entry.scale is None):
            self.problem(
                (),
                "Give either 'type' (amount, rate, integer or boolean) for a parameter or "
                "'scale' (marginal_rate or single_amount) for a scale, not both.",
            )
            return
        self.errors.extend(_check_text(self.document, entry.label, (*self.at, "label"), languages))
        self.reference(entry.reference, ("reference",))
        if not entry.values:
            self.problem(("values",), "Give at least one dated value.")
        previous: date | None = None
        for index, value in enumerate(entry.values):
            where = ("values", index)
            if previous is not None and value.since == previous:
                self.problem(
                    (*where, "since"), f"Another value already starts on {previous}; keep one."
                )
            elif previous is not None and value.since < previous:
                self.problem(
                    (*where, "since"),
                    f"The values must be in date order: {value.since} comes before {previous}.",
                )
            previous = value.since
            if value.reference is not None:
                self.reference(value.reference, (*where, "reference"))
            raw = data["values"][index]
            if entry.scale is not None:
                self.scale_value(entry.scale, value, raw, where)
            else:
                self.parameter_value(entry.type or ValueType.AMOUNT, value, raw, where)
            ended = value.value is None and value.brackets is None
            if index == 0 and ended and "value" in raw:
                self.problem((*where, "value"), "The first value cannot end the parameter.")

    def reference(self, reference: LegalReference, where: ValuePath) -> None:
        if not _URL.match(reference.url):
            self.problem(
                (*where, "url"),
                f"'{reference.url}' is not a web address; write the law's full address, "
                "starting with https://.",
            )

    def parameter_value(
        self, kind: ValueType, value: ValueEntry, raw: dict[str, Any], where: ValuePath
    ) -> None:
        if value.brackets is not None:
            self.problem((*where, "brackets"), "Only scales have brackets; remove them.")
        if "value" not in raw:
            self.problem((*where, "value"), "This field is required (null ends the parameter).")
            return
        found = value.value
        if found is None:
            return
        if kind is ValueType.BOOLEAN and not isinstance(found, bool):
            self.problem((*where, "value"), "Expected true or false.")
        elif kind is not ValueType.BOOLEAN and isinstance(found, bool):
            self.problem((*where, "value"), f"Expected a number: this parameter is {kind}.")
        elif kind is ValueType.AMOUNT and isinstance(found, Decimal) and not _money(found):
            self.problem((*where, "value"), "An amount has at most two decimal places.")
        elif kind is ValueType.INTEGER and isinstance(found, Decimal) and found % 1:
            self.problem((*where, "value"), "Expected a whole number.")

    def scale_value(
        self, kind: ScaleKind, value: ValueEntry, raw: dict[str, Any], where: ValuePath
    ) -> None:
        if value.value is not None:
            self.problem((*where, "value"), "A scale has brackets, not a value.")
        if value.brackets is None:
            if "value" not in raw:
                self.problem((*where, "brackets"), "Give the brackets, or 'value: null' to end.")
            return
        if not value.brackets:
            self.problem((*where, "brackets"), "Give at least one bracket.")
        wanted, unwanted = (
            ("rate", "amount") if kind is ScaleKind.MARGINAL_RATE else ("amount", "rate")
        )
        previous: Decimal | None = None
        for number, bracket in enumerate(value.brackets):
            at = (*where, "brackets", number)
            if getattr(bracket, wanted) is None:
                self.problem(at, f"Each bracket of a {kind} scale needs a '{wanted}'.")
            if getattr(bracket, unwanted) is not None:
                self.problem((*at, unwanted), f"A {kind} scale has no '{unwanted}'; remove it.")
            if bracket.amount is not None and not _money(bracket.amount):
                self.problem((*at, "amount"), "An amount has at most two decimal places.")
            if not _money(bracket.threshold):
                self.problem((*at, "threshold"), "A threshold has at most two decimal places.")
            if previous is not None and bracket.threshold <= previous:
                self.problem(
                    (*at, "threshold"),
                    f"Thresholds must increase: {bracket.threshold} is not above {previous}.",
                )
            previous = bracket.threshold


def _build(
    path: str, groups: dict[str, dict[str, Any]], labels: dict[str, LocalText]
) -> ParameterNode:
    children: list[ParameterNode | Parameter | Scale] = []
    for name, child in sorted(groups.get(path, {}).items()):
        child_path = f"{path}.{name}" if path else name
        children.append(_build(child_path, groups, labels) if child == "group" else child)
    return ParameterNode(path, tuple(children), labels.get(path))
