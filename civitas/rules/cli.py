"""``civitas rules ...``: look at the rules of the country pack."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from civitas.config import load_settings
from civitas.core.clock import SystemClock
from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import pick
from civitas.rules.parameter_pack import load_parameters
from civitas.rules.parameters import (
    Bracket,
    Brackets,
    Parameter,
    ParameterNode,
    Scale,
    ScaleKind,
)

rules_app = typer.Typer(help="Work with the rules of the country pack: parameters.")


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
