"""Load a country pack's rules: ``rules/entities.yaml``, ``rules/*.py`` and parameters.

Each Python file under ``rules/`` declares variables at module level with
:func:`civitas.rules.variable`; every such variable is collected. Loading is all
or nothing: a file that does not run, a variable declared twice, an unknown
variable or parameter, a type error, a parameter missing on a formula's date or a
cycle is reported with its file and line before anything is computed.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from civitas.core.content import YamlProblem, read_yaml, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.rules.checker import check
from civitas.rules.entities import PERSON, Entities
from civitas.rules.parameter_pack import ParametersInvalid, load_parameters
from civitas.rules.problems import problem_at
from civitas.rules.rulebook import RuleBook
from civitas.rules.variables import Variable

RULES_FOLDER = "rules"
ENTITIES_FILE = "entities.yaml"


class RulesInvalid(InvalidInput):
    """The pack's rules cannot be used; ``errors`` lists every problem."""


def load_rules(pack_dir: Path, languages: Collection[str] | None = None) -> RuleBook:
    """The pack's checked rule book, or :class:`RulesInvalid` listing every problem."""
    errors: list[FieldError] = []
    try:
        parameters = load_parameters(pack_dir, languages)
    except ParametersInvalid as invalid:
        errors.extend(invalid.errors)
        parameters = None
    folder = pack_dir / RULES_FOLDER
    entities = _entities(folder, errors)
    variables: dict[str, Variable] = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
        for declared in _declared(path, pack_dir, errors):
            if declared.name in variables:
                errors.append(
                    problem_at(
                        declared,
                        f"The variable '{declared.name}' is declared twice; the first is at "
                        f"{variables[declared.name].source}.",
                    )
                )
            variables[declared.name] = declared
    if entities is not None and parameters is not None and not errors:
        checked = check(entities, variables, parameters)
        errors.extend(checked.errors)
        checked_variables = {
            name: replace(declared, formulas=checked.formulas[name])
            for name, declared in variables.items()
        }
    if errors or entities is None or parameters is None:
        raise RulesInvalid(
            N_("The rules of the country pack in {folder} have {count} problem(s)."),
            hint=N_("Fix each problem listed, then run 'civitas rules test' again."),
            params={"folder": str(pack_dir), "count": len(errors)},
            errors=tuple(errors),
        )
    return RuleBook(entities, checked_variables, parameters, variables)


def _entities(folder: Path, errors: list[FieldError]) -> Entities | None:
    path = folder / ENTITIES_FILE
    name = f"{RULES_FOLDER}/{ENTITIES_FILE}"
    if not path.is_file():
        errors.append(FieldError((), "This file is missing from the pack.", name))
        return None
    try:
        document = read_yaml(path, name)
    except YamlProblem as problem:
        errors.append(problem.error)
        return None
    entities, problems = validate(document, document.data, Entities)
    errors.extend(problems)
    if entities is not None and PERSON in entities.groups:
        errors.append(
            document.error(("groups", PERSON), "'person' is the person entity, not a group.")
        )
        return None
    return entities


def _declared(path: Path, pack_dir: Path, errors: list[FieldError]) -> list[Variable]:
    """The variables a rules file declares."""
    shown = path.relative_to(pack_dir).as_posix()
    found = []
    for value in run_rules_file(path, pack_dir, errors):
        if isinstance(value, Variable):
            _, _, line = value.source.rpartition(":")
            found.append(replace(value, source=f"{shown}:{line}"))
    return found


def run_rules_file(path: Path, pack_dir: Path, errors: list[FieldError]) -> list[object]:
    """The module-level values of a pack's Python file, run in a module of its own."""
    shown = path.relative_to(pack_dir).as_posix()
    module_name = f"civitas_pack_rules.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as problem:  # any failure is reported with its line
        errors.append(FieldError((), _failure(problem), shown, _line(problem, path)))
        return []
    finally:
        sys.modules.pop(module_name, None)
    return list(vars(module).values())


def _failure(problem: Exception) -> str:
    kind = type(problem).__name__
    return f"This rules file does not load: {kind}: {problem}"


def _line(problem: Exception, path: Path) -> int | None:
    if isinstance(problem, SyntaxError):
        return problem.lineno
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(problem.__traceback__)
        if frame.filename == str(path)
    ]
    return lines[-1] if lines else None
