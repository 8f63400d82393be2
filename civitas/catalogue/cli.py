"""``civitas catalogue ...``: check, lint, export and import the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from civitas.catalogue.lint_report import LintFormat, as_json, fails, print_text
from civitas.catalogue.pack import load_catalogue
from civitas.catalogue.plain_language import (
    catalogue_texts,
    lint_catalogue,
    readability_by_language,
)
from civitas.catalogue.rdf import RdfFormat, read_catalogue, serialize_catalogue
from civitas.catalogue.word_lists import load_language_rules
from civitas.config import load_settings
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_

catalogue_app = typer.Typer(help="Work with the service catalogue of the country pack.")
out = Console(highlight=False)


@catalogue_app.command("validate")
def validate() -> None:
    """Load the country pack and report every problem with file, line and field."""
    settings = load_settings()
    catalogue = load_catalogue(settings.country_pack)
    out.print(
        f"[green]The pack is valid:[/] {len(catalogue.events)} events, "
        f"{len(catalogue.services)} services, {len(catalogue.organisations)} organisations."
    )


@catalogue_app.command("export")
def export(
    fmt: Annotated[RdfFormat, typer.Option("--format", help="jsonld or turtle.")] = (
        RdfFormat.JSONLD
    ),
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="File to write; without it the export goes to standard output."),
    ] = None,
) -> None:
    """Export the catalogue as CPSV-AP 3.2.0 linked data (JSON-LD or Turtle)."""
    catalogue = load_catalogue(load_settings().country_pack)
    text = serialize_catalogue(catalogue, fmt)
    if out_file is None:
        typer.echo(text, nl=False)  # raw: rich would read [brackets] in the data as markup
        return
    try:
        out_file.write_text(text, encoding="utf-8")
    except OSError:
        raise InvalidInput(
            N_("Cannot write the file {file}."),
            hint=N_("Check that the folder exists and that you may write there."),
            params={"file": str(out_file)},
        ) from None
    out.print(f"[green]Exported[/] {len(catalogue.services)} services to {escape(str(out_file))}.")


@catalogue_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A CPSV-AP file: .jsonld, .json or .ttl.")],
) -> None:
    """Check that a CPSV-AP file reads as a complete, consistent catalogue."""
    catalogue = read_catalogue(file)
    out.print(
        f"[green]The file holds a valid catalogue[/] for {catalogue.country.id}: "
        f"{len(catalogue.events)} events, {len(catalogue.services)} services, "
        f"{len(catalogue.organisations)} organisations, {len(catalogue.evidence)} evidence "
        f"types, {len(catalogue.legal_resources)} legal resources."
    )


@catalogue_app.command("lint")
def lint(
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only on errors.")
    ] = False,
    fmt: Annotated[
        LintFormat, typer.Option("--format", help="text (for people) or json (for machines).")
    ] = LintFormat.TEXT,
) -> None:
    """Check every text of the catalogue for plain language, in every language of the pack.

    Exits 1 when a check finds an error (or, with --strict, a warning).
    """
    catalogue = load_catalogue(load_settings().country_pack)
    languages = catalogue.country.languages
    findings = lint_catalogue(catalogue, load_language_rules(languages), languages)
    texts = sum(1 for _ in catalogue_texts(catalogue))
    readability = readability_by_language(catalogue, languages)
    if fmt is LintFormat.JSON:
        report = as_json(
            findings, strict=strict, texts=texts, languages=languages, readability=readability
        )
        typer.echo(report, nl=False)
    else:
        print_text(out, findings, texts=texts, languages=languages, readability=readability)
    if fails(findings, strict=strict):
        raise typer.Exit(1)
