"""Cycles: variables that need themselves in the same period cannot be computed."""

from __future__ import annotations

from collections.abc import Mapping

from civitas.core.errors import FieldError
from civitas.rules.expressions import references
from civitas.rules.problems import problem_at
from civitas.rules.variables import Formula, Variable


def find_cycles(
    variables: Mapping[str, Variable], formulas: Mapping[str, tuple[Formula, ...]]
) -> list[FieldError]:
    """Variables that need themselves in the same period, found by depth-first search."""
    edges = {name: sorted(_same_period_uses(found)) for name, found in formulas.items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    errors: list[FieldError] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for used in edges.get(name, ()):
            if state.get(used) == 1:
                loop = " -> ".join([*trail[trail.index(used) :], used])
                errors.append(problem_at(variables[used], f"{used} needs itself: {loop}."))
            elif used not in state:
                visit(used, [*trail, used])
        state[name] = 2

    for name in edges:
        if name not in state:
            visit(name, [name])
    return errors


def _same_period_uses(formulas: tuple[Formula, ...]) -> set[str]:
    return {
        ref.name
        for formula in formulas
        if formula.expression is not None
        for ref in references(formula.expression)
        if ref.shift != "months_ago"
    }
