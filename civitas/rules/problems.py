"""Rule problems located at the variable's declaration."""

from __future__ import annotations

from civitas.core.errors import FieldError
from civitas.rules.variables import Variable


def problem_at(variable: Variable, message: str) -> FieldError:
    file, _, line = variable.source.rpartition(":")
    return FieldError(
        (),
        message,
        file or None,
        int(line) if line.isdigit() else None,
    )
