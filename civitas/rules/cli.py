"""``civitas rules ...``: look at the rules of the country pack."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated

import pyarrow.parquet as pq
import typer

from civitas.config import load_settings
from civitas.core.clock import SystemClock
from civitas.core.content import YamlProblem, read_yaml
from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import pick
from civitas.rules.explanation import Explanation, explain
from civitas.rules.interpreter import Interpreter
from civitas.rules.parameter_pack import load_parameters
from civitas.rules.parameters import (
    Bracket,
    Brackets,
    Parameter,
    ParameterNode,
    Scale,
    ScaleKind,
)
from civitas.rules.periods import Period
from civitas.rules.reforms import find_reform, load_reforms
from civitas.rules.rule_pack import RULES_FOLDER, load_rules
from civitas.rules.rule_tests import find_test_files, load_tests
from civitas.rules.rule_tests import run as run_test
from civitas.rules.rulebook import RuleBook
from civitas.rules.situation import read_situation

rules_app = typer.Typer(
    help="Work with the rules of the country pack: test, explain, graph, parameters."
)


@rules_app.command("test")
def run_tests(
    path: Annotated[
        Path | None,
        typer.Argument(help="A test file or folder; default: the pack's rules/tests."),
    ] = None,
) -> None:
    """Run the YAML rule tests and report each failure with its file and line."""
    pack = load_settings().country_pack
    rules = load_rules(pack)
    target = path or pack / RULES_FOLDER / "tests"
    files = find_test_files(target)
    if not files:
        raise InvalidInput(
            N_("There are no test files at {path}."),
            hint=N_("Give a .yaml test file or a folder holding some."),
            params={"path": str(target)},
        )
    tests = load_tests(rules, files, root=pack)
    failed = 0
    for outcome in (run_test(rules, case) for case in tests):
        if outcome.passed:
            continue
        failed += 1
        typer.echo(f"FAIL {outcome.test.where}  {outcome.test.name}")
        for failure in outcome.failures:
            typer.echo(f"     {failure}")
    typer.echo(f"{len(tests) - failed} passed, {failed} failed, in {len(files)} file(s).")
    if failed:
        raise typer.Exit(1)


@rules_app.command("explain")
def explain_command(
    variable: Annotated[str, typer.Argument(help="The variable to explain, e.g. child_benefit.")],
    situation: Annotated[
        Path, typer.Option("--situation", help="A YAML or JSON file: persons and groups.")
    ],
    period: Annotated[str, typer.Option(help="The period, e.g. 2026-03.")],
    member: Annotated[
        str | None, typer.Option(help="The person or group id; default: each one.")
    ] = None,
    language: Annotated[str, typer.Option(help="Language of the labels, e.g. pt.")] = "en",
) -> None:
    """Explain a variable's value: every formula, parameter and input it used."""
    rules = load_rules(load_settings().country_pack)
    declared = rules.variable(variable)
    when = Period.parse(period)
    interpreter = Interpreter(rules, read_situation(rules, _read_data(situation)))
    for who in (member,) if member else interpreter.members_of(declared.entity):
        _print_explanation(explain(interpreter, variable, who, when), language, depth=0)


@rules_app.command("graph")
def graph(
    variable: Annotated[
        str | None, typer.Argument(help="A variable; default: list every variable.")
    ] = None,
) -> None:
    """Which variables a variable uses, and which inputs it may need (for screeners)."""
    rules = load_rules(load_settings().country_pack)
    if variable is None:
        for name, declared in sorted(rules.variables.items()):
            kind = "input" if declared.is_input else "formula"
            typer.echo(f"{name}  [{declared.entity}, {declared.period}, {declared.type}, {kind}]")
        return
    declared = rules.variable(variable)
    typer.echo(f"{variable}: {pick(declared.label, 'en')}")
    _print_uses(rules, variable, depth=1, trail=(variable,))
    typer.echo("Inputs it may need:")
    for name in rules.inputs_for([variable]):
        typer.echo(f"  {name}  ({rules.variable(name).entity})")


@rules_app.command("batch")
def batch(
    variables: Annotated[list[str], typer.Argument(help="The variables to compute.")],
    period: Annotated[str, typer.Option(help="The period, e.g. 2026-03.")],
    inputs: Annotated[
        list[str],
        typer.Option("--input", help="ENTITY=PATH of a Parquet file or folder, once per entity."),
    ],
    out: Annotated[Path, typer.Option(help="Folder for <entity>.parquet results.")],
    backend: Annotated[str, typer.Option(help="duckdb (default) or pyspark.")] = "duckdb",
) -> None:
    """Compute variables for a whole population, from Parquet inputs to Parquet results."""
    from civitas.rules.batch import compute_to_parquet  # Ibis loads slowly; only here

    rules = load_rules(load_settings().country_pack)
    started = time.perf_counter()
    written = compute_to_parquet(
        rules, Period.parse(period), variables, _inputs(inputs), out, backend=_backend(backend)
    )
    seconds = time.perf_counter() - started
    for entity, path in written.items():
        typer.echo(f"{entity}: {pq.read_metadata(path).num_rows} rows in {path}")
    typer.echo(f"Computed in {seconds:.1f} s.")


@rules_app.command("reform")
def reform_command(
    name: Annotated[
        str | None, typer.Argument(help="The reform; default: list the pack's reforms.")
    ] = None,
    period: Annotated[str, typer.Option(help="The month to compare, e.g. 2026-03.")] = "",
    inputs: Annotated[
        list[str] | None,
        typer.Option("--input", help="ENTITY=PATH of a Parquet file or folder, once per entity."),
    ] = None,
    income: Annotated[
        str, typer.Option(help="The group's income variable, for deciles.")
    ] = "household_yearly_income",
    by: Annotated[
        list[str] | None,
        typer.Option(help="Group households by a column of their table, or income_decile."),
    ] = None,
    backend: Annotated[str, typer.Option(help="duckdb (default) or pyspark.")] = "duckdb",
    language: Annotated[str, typer.Option(help="Language of the labels, e.g. pt.")] = "en",
) -> None:
    """What a reform would cost, and who would gain or lose, over a whole population."""
    from civitas.rules.reform_report import print_reform  # Ibis loads slowly; only here
    from civitas.rules.what_if import DECILE, compare_reform

    pack = load_settings().country_pack
    if name is None:
        for found in load_reforms(pack).values():
            typer.echo(f"{found.name}  {pick(found.label, language)}")
        return
    change = find_reform(pack, name)
    if not period or not inputs:
        raise InvalidInput(
            N_("Comparing a reform needs a period and the population's tables."),
            hint=N_("Add --period 2026-03 and --input person=... --input household=..."),
            errors=(FieldError(("period",), N_("Give the month to compare.")),),
        )
    report = compare_reform(
        load_rules(pack),
        change,
        Period.parse(period),
        _inputs(inputs),
        income=income,
        dimensions=by or [DECILE],
        backend=backend,
    )
    print_reform(report, language)


def _inputs(pairs: list[str]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for pair in pairs:
        entity, _, path = pair.partition("=")
        if not path or not Path(path).exists():
            raise InvalidInput(
                N_("'{pair}' is not ENTITY=PATH of an existing Parquet file or folder."),
                hint=N_("Write it as person=persons.parquet."),
                params={"pair": pair[:80]},
                errors=(FieldError(("input",), N_("Expected ENTITY=PATH.")),),
            )
        found[entity] = Path(path)
    return found


def _backend(name: str) -> str:
    if name not in ("duckdb", "pyspark"):
        raise InvalidInput(
            N_("There is no batch backend called {name}."),
            hint=N_("Use duckdb or pyspark."),
            params={"name": name[:40]},
            errors=(FieldError(("backend",), N_("Expected duckdb or pyspark.")),),
        )
    return name


def _print_uses(rules: RuleBook, name: str, depth: int, trail: tuple[str, ...]) -> None:
    for used in rules.uses(name):
        marker = " (input)" if rules.variable(used).is_input else ""
        typer.echo(f"{'  ' * depth}{used}{marker}")
        if used not in trail:
            _print_uses(rules, used, depth + 1, (*trail, used))


def _print_explanation(node: Explanation, language: str, depth: int) -> None:
    indent = "  " * depth
    value = node.value if node.known else "unknown"
    how = {"input": "given", "missing": "not given", "default": "no formula in force"}.get(
        node.source,
        f"formula since {node.since}" if node.since and node.since.year > 1 else "formula",
    )
    typer.echo(f"{indent}{node.variable} [{node.member}, {node.period}] = {value}  ({how})")
    if depth == 0 or node.source == "formula":
        typer.echo(f"{indent}  {pick(node.label, language)}; law: {node.reference}")
    for use in node.parameters:
        typer.echo(f"{indent}  parameter {use.path} = {use.value}  ({use.provenance.reference})")
    if node.needs:
        needs = ", ".join(sorted({f"{n.variable} of {n.member}" for n in node.needs}))
        typer.echo(f"{indent}  still needs: {needs}")
    if node.repeated:
        return
    for child in node.children:
        _print_explanation(child, language, depth + 1)


def _read_data(path: Path) -> object:
    try:
        return read_yaml(path, path.name).data  # JSON is YAML too
    except YamlProblem as problem:
        raise InvalidInput(
            N_("The situation file cannot be read."),
            hint=N_("Fix the file and try again."),
            errors=(problem.error,),
        ) from None
    except OSError:
        raise InvalidInput(
            N_("There is no readable file at {path}."),
            hint=N_("Check the path."),
            params={"path": str(path)},
        ) from None


@rules_app.command("parameters")
def parameters(
    path: Annotated[
        str, typer.Argument(help="A parameter or group, e.g. benefits.birth_grant; all if empty.")
    ] = "",
    on: Annotated[
        str | None, typer.Option("--on", help="The date, as YYYY-MM-DD; default: today.")
    ] = None,
    language: Annotated[str, typer.Option(help="Language of the labels, e.g. pt.")] = "en",
) -> None:
    """Show the parameter tree, or one parameter's value on a date with its legal reference."""
    day = _day(on)
    tree = load_parameters(load_settings().country_pack)
    found = tree.find(path) if path else tree
    if isinstance(found, ParameterNode):
        if not found.children:
            typer.echo("The country pack has no parameters.")
        _print_tree(found, day, language, depth=0)
        return
    _print_leaf(found, day, language)


def _day(text: str | None) -> date:
    if text is None:
        return SystemClock().now().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            N_("'{text}' is not a date."),
            hint=N_("Write the date as YYYY-MM-DD, for example 2026-01-01."),
            params={"text": text[:40]},
            errors=(FieldError(("on",), N_("Expected a date such as 2026-01-01.")),),
        ) from None


def _print_tree(node: ParameterNode, day: date, language: str, depth: int) -> None:
    indent = "  " * depth
    for child in node.children:
        label = pick(child.label, language)
        if isinstance(child, ParameterNode):
            typer.echo(f"{indent}{child.name}" + (f"  ({label})" if label else ""))
            _print_tree(child, day, language, depth + 1)
        else:
            typer.echo(f"{indent}{child.name}: {_summary(child, day)}  ({label})")


def _summary(leaf: Parameter | Scale, day: date) -> str:
    try:
        found = leaf.at(day)
    except CivitasError as error:
        return error.render()[0]
    if isinstance(found, Brackets):
        return f"{found.kind} scale, {len(found.brackets)} brackets"
    return _shown(found.value, found.unit)


def _print_leaf(leaf: Parameter | Scale, day: date, language: str) -> None:
    found = leaf.at(day)  # before printing anything: a missing value is an error
    typer.echo(f"{leaf.path}: {pick(leaf.label, language)}")
    provenance = found.provenance
    if isinstance(found, Brackets):
        typer.echo(f"On {day}: {found.kind} scale")
        for bracket in found.brackets:
            typer.echo(f"  {_bracket(bracket, found)}")
    else:
        typer.echo(f"On {day}: {_shown(found.value, found.unit)}")
    until = f" until {provenance.until}" if provenance.until else ""
    typer.echo(f"Applies from {provenance.since}{until}")
    typer.echo(f"Legal reference: {provenance.reference}")
    if provenance.source:
        typer.echo(f"Written in: {provenance.source}")
    typer.echo("History:")
    for entry in leaf.values:
        if entry.content is None:
            shown = "ended"
        elif isinstance(entry.content, tuple):
            shown = f"{len(entry.content)} brackets"
        else:
            shown = _shown(entry.content, leaf.unit)
        typer.echo(f"  since {entry.since}: {shown}")


def _bracket(bracket: Bracket, brackets: Brackets) -> str:
    if brackets.kind is ScaleKind.MARGINAL_RATE:
        return f"from {bracket.threshold}: rate {bracket.value}"
    return f"from {bracket.threshold}: {_shown(bracket.value, brackets.unit)}"


def _shown(value: object, unit: str) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"{text} {unit}" if unit else text
