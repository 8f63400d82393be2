"""Reforms: what if the law changed? New parameter values and formulas, checked like law.

A reform lives in the pack's ``reforms/`` folder, one Python file each::

    double_birth_grant = reform(
        "double-birth-grant",
        label={"en": "Double the birth grant", "pt": "Duplicar o subsídio de nascimento"},
        parameters={"benefits.birth_grant.amount": {"2026-01-01": "1500.00"}},
        variables=[variable("child_benefit", ...)],  # replaces the formula of that name
    )

A parameter change replaces the parameter's values from its earliest date on and
keeps the history before it. A scale's value is a list of ``(threshold, amount or
rate)`` pairs. A variable replaces the variable of the same name, or adds one.
Applying a reform checks the whole rule book again, so a reform that breaks the
rules is refused with the same clear errors as the law itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from civitas.core.errors import FieldError, NotFound
from civitas.core.i18n import N_
from civitas.core.text import LocalText
from civitas.rules.checker import check
from civitas.rules.parameters import (
    CENT,
    Bracket,
    Dated,
    LegalReference,
    Parameter,
    ParameterNode,
    Scale,
    ScaleKind,
    Value,
    ValueType,
)
from civitas.rules.rule_pack import RulesInvalid, run_rules_file
from civitas.rules.rulebook import RuleBook
from civitas.rules.variables import Variable

REFORMS_FOLDER = "reforms"
ParameterChange = Mapping[str, str | int | bool | Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Reform:
    """A named set of parameter and formula changes to compare with the law in force."""

    name: str
    label: LocalText
    parameters: Mapping[str, ParameterChange] = field(default_factory=dict)
    variables: tuple[Variable, ...] = ()
    reference: str = ""  # the proposal's text, if published


def reform(
    name: str,
    *,
    label: Mapping[str, str],
    parameters: Mapping[str, ParameterChange] | None = None,
    variables: Sequence[Variable] = (),
    reference: str = "",
) -> Reform:
    """Declare a reform in a pack's ``reforms/`` file."""
    return Reform(name, dict(label), dict(parameters or {}), tuple(variables), reference)


def load_reforms(pack_dir: Path) -> dict[str, Reform]:
    """Every reform the pack declares, by name."""
    folder = pack_dir / REFORMS_FOLDER
    errors: list[FieldError] = []
    found: dict[str, Reform] = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
        for value in run_rules_file(path, pack_dir, errors):
            if isinstance(value, Reform):
                found[value.name] = value
    if errors:
        raise RulesInvalid(
            N_("The reforms of the country pack have {count} problem(s)."),
            hint=N_("Fix each problem listed, then try again."),
            params={"count": len(errors)},
            errors=tuple(errors),
        )
    return found


def find_reform(pack_dir: Path, name: str) -> Reform:
    reforms = load_reforms(pack_dir)
    if name not in reforms:
        raise NotFound(
            N_("There is no reform called {name}."),
            hint=N_("The pack's reforms are: {known}."),
            params={"name": name, "known": ", ".join(sorted(reforms)) or "none"},
        )
    return reforms[name]


def apply_reform(rules: RuleBook, change: Reform) -> RuleBook:
    """The rule book as the reform would make it, checked again as a whole."""
    errors: list[FieldError] = []
    parameters = _changed_parameters(rules.parameters, change, errors)
    written = {**rules.written, **{v.name: v for v in change.variables}}
    checked = check(rules.entities, written, parameters)
    errors.extend(checked.errors)
    if errors:
        raise RulesInvalid(
            N_("The reform {name} cannot be applied: {count} problem(s)."),
            hint=N_("Fix each problem listed in the reform, then try again."),
            params={"name": change.name, "count": len(errors)},
            errors=tuple(errors),
        )
    variables = {name: replace(v, formulas=checked.formulas[name]) for name, v in written.items()}
    return RuleBook(rules.entities, variables, parameters, written)


def _changed_parameters(
    root: ParameterNode, change: Reform, errors: list[FieldError]
) -> ParameterNode:
    replaced: dict[str, Parameter | Scale] = {}
    for path, dated in change.parameters.items():
        where = ("parameters", path)
        try:
            leaf = root.find(path)
        except NotFound:
            errors.append(
                FieldError(
                    where,
                    f"The reform {change.name} changes '{path}', which the pack does not define.",
                )
            )
            continue
        if isinstance(leaf, ParameterNode):
            errors.append(FieldError(where, f"'{path}' is a group; change one parameter in it."))
            continue
        try:
            replaced[path] = _with_values(leaf, dated, change)
        except (ValueError, ArithmeticError) as problem:
            errors.append(FieldError(where, f"The reform {change.name}: {problem}"))
    return _rebuilt(root, replaced)


def _with_values(
    leaf: Parameter | Scale, dated: ParameterChange, change: Reform
) -> Parameter | Scale:
    entries = []
    reference = LegalReference(change.reference) if change.reference else None
    for since, content in sorted(dated.items()):
        day = date.fromisoformat(since)
        entries.append(Dated(day, _content(leaf, content), reference, f"reform {change.name}"))
    first = entries[0].since if entries else date.max
    kept = tuple(entry for entry in leaf.values if entry.since < first)
    return replace(leaf, values=kept + tuple(entries))


def _content(leaf: Parameter | Scale, content: object) -> Value | tuple[Bracket, ...]:
    if isinstance(leaf, Scale):
        if not isinstance(content, Sequence) or isinstance(content, str):
            raise ValueError(f"'{leaf.path}' is a scale: give a list of (threshold, value) pairs.")
        marginal = leaf.kind is ScaleKind.MARGINAL_RATE
        return tuple(
            Bracket(
                Decimal(threshold).quantize(CENT),
                Decimal(value) if marginal else Decimal(value).quantize(CENT),
            )
            for threshold, value in content
        )
    if leaf.type is ValueType.BOOLEAN:
        if not isinstance(content, bool):
            raise ValueError(f"'{leaf.path}' is yes or no: give True or False.")
        return content
    if leaf.type is ValueType.INTEGER:
        return int(str(content))
    exact = Decimal(str(content))
    return exact.quantize(CENT) if leaf.type is ValueType.AMOUNT else exact


def _rebuilt(node: ParameterNode, replaced: Mapping[str, Parameter | Scale]) -> ParameterNode:
    if not replaced:
        return node
    children = tuple(
        _rebuilt(child, replaced)
        if isinstance(child, ParameterNode)
        else replaced.get(child.path, child)
        for child in node.children
    )
    return replace(node, children=children)
