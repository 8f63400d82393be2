"""The rule book: a country's entities, variables and parameters, checked together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from civitas.core.errors import NotFound
from civitas.core.i18n import N_
from civitas.rules.entities import Entities
from civitas.rules.expressions import references
from civitas.rules.parameters import ParameterNode
from civitas.rules.variables import Variable


@dataclass(frozen=True)
class RuleBook:
    """Everything both evaluators need, with every formula already checked."""

    entities: Entities
    variables: Mapping[str, Variable]  # formulas elaborated by the checker
    parameters: ParameterNode
    written: Mapping[str, Variable] = field(default_factory=dict)  # as declared, for reforms

    def variable(self, name: str) -> Variable:
        found = self.variables.get(name)
        if found is None:
            raise NotFound(
                N_("There is no variable called {name}."),
                hint=N_("Run 'civitas rules graph' to list the variables."),
                params={"name": name},
            )
        return found

    def uses(self, name: str) -> tuple[str, ...]:
        """The variables any version of ``name``'s formula refers to, in name order."""
        return self._uses[name]

    @cached_property
    def _uses(self) -> dict[str, tuple[str, ...]]:
        return {
            name: tuple(
                sorted(
                    {
                        ref.name
                        for formula in declared.formulas
                        if formula.expression is not None
                        for ref in references(formula.expression)
                    }
                )
            )
            for name, declared in self.variables.items()
        }

    def inputs_for(self, names: Iterable[str]) -> tuple[str, ...]:
        """Every input variable the given variables may need, in name order."""
        seen: set[str] = set()
        stack = list(names)
        inputs: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            declared = self.variable(name)
            if declared.is_input:
                inputs.add(name)
            stack.extend(self.uses(name))
        return tuple(sorted(inputs))

    def benefits(self) -> tuple[Variable, ...]:
        """The computed variables linked to a catalogue service, in name order."""
        return tuple(
            declared
            for name, declared in sorted(self.variables.items())
            if declared.service and not declared.is_input
        )
