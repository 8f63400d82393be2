"""The country pack's dated parameters, written out as OpenFisca parameter YAML.

One source of truth for the numbers: the pack's ``parameters/**.yaml`` are read with
Civitas's loader (so they are checked) and each parameter or scale becomes one
OpenFisca YAML file at the same dotted path, e.g. ``benefits.child_benefit.age_limit``
becomes ``benefits/child_benefit/age_limit.yaml``::

    description: Age until which a child counts
    reference: https://legislacao.gov.vd.example/family-benefits-act-2018
    values:
      2018-01-01:
        value: 18

Amounts are written in euros and rates as fractions, as OpenFisca models write them;
a value that ends a parameter is ``null``, as in OpenFisca. Scales become OpenFisca
scales (``single_amount`` or marginal ``rate`` brackets) whose every bracket carries
the dated thresholds of the pack's versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from civitas.rules import load_parameters
from civitas.rules.parameters import Bracket, Dated, Parameter, Scale, ScaleKind, ValueType


def write_parameters(pack: Path, folder: Path) -> list[Path]:
    """Write every parameter of the pack under ``folder``; the files written."""
    written = []
    for leaf in _leaves(pack):
        path = folder.joinpath(*leaf.path.split(".")).with_suffix(".yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        document = _scale(leaf) if isinstance(leaf, Scale) else _parameter(leaf)
        text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=200)
        path.write_text(text)
        written.append(path)
    return written


class _Dumper(yaml.SafeDumper):
    """Writes every date in full, without YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _leaves(pack: Path) -> Iterator[Parameter | Scale]:
    yield from load_parameters(pack).leaves()


def _header(leaf: Parameter | Scale) -> dict[str, Any]:
    header: dict[str, Any] = {
        "description": leaf.label.get("en", leaf.path),
        "reference": str(leaf.reference),
    }
    if leaf.unit:
        header["metadata"] = {"unit": "currency" if leaf.unit == "EUR" else leaf.unit}
    return header


def _parameter(leaf: Parameter) -> dict[str, Any]:
    values = {
        entry.since: {"value": _plain(entry.content, leaf.type), **_reference(entry)}
        for entry in leaf.values
    }
    return {**_header(leaf), "values": values}


def _scale(leaf: Scale) -> dict[str, Any]:
    widest = max(len(entry.content or ()) for entry in leaf.values)  # type: ignore[arg-type]
    key = "amount" if leaf.kind is ScaleKind.SINGLE_AMOUNT else "rate"
    brackets = []
    for position in range(widest):
        thresholds: dict[Any, Any] = {}
        results: dict[Any, Any] = {}
        for entry in leaf.values:
            rows: tuple[Bracket, ...] = entry.content or ()  # type: ignore[assignment]
            row = rows[position] if position < len(rows) else None
            thresholds[entry.since] = {"value": None if row is None else float(row.threshold)}
            results[entry.since] = {"value": None if row is None else float(row.value)}
        brackets.append({"threshold": thresholds, key: results})
    header = _header(leaf)
    header.setdefault("metadata", {})["type"] = leaf.kind.value
    if leaf.kind is ScaleKind.SINGLE_AMOUNT:
        header["metadata"].update(threshold_unit="currency", amount_unit="currency")
    return {**header, "brackets": brackets}


def _plain(value: object, kind: ValueType) -> float | int | bool | None:
    if value is None:
        return None
    if kind is ValueType.BOOLEAN:
        return bool(value)
    if kind is ValueType.INTEGER:
        return int(value)  # type: ignore[call-overload,no-any-return]
    assert isinstance(value, Decimal | int)
    return float(value)


def _reference(entry: Dated) -> dict[str, str]:
    return {"reference": str(entry.reference)} if entry.reference else {}
