"""``civitas country ...``: generate a synthetic country and describe one on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyarrow.parquet as pq
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from civitas.config import load_settings
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries import Manifest, load_registry_definitions, verify_country
from civitas.rules import Period
from civitas.synthetic.next_period import advance_country
from civitas.synthetic.pipeline import STAGES, generate_country
from civitas.synthetic.rules_inputs import rules_inputs, with_dimensions
from civitas.synthetic.shape import load_shape

country_app = typer.Typer(
    help="Generate the synthetic country (people, households and registries) and inspect it.",
    no_args_is_help=True,
)
out = Console(highlight=False)


@country_app.command()
def generate(
    people: Annotated[int, typer.Option(help="How many people the country has.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same files.")] = 1,
    folder: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write; default: 'country' in the data folder."),
    ] = None,
) -> None:
    """Generate a synthetic country and write its Parquet files and manifest."""
    if people <= 0:
        raise InvalidInput(
            N_("A country needs at least one person; {people} were asked."),
            hint=N_("Give --people a positive whole number, like 100000."),
            params={"people": people},
            errors=(FieldError(("--people",), N_("Must be 1 or more.")),),
        )
    settings = load_settings()
    target = folder or settings.country_dir
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def on_stage(stage: str) -> None:
            for earlier in tasks.values():
                progress.update(earlier, completed=1, total=1)
            tasks[stage] = progress.add_task(stage, total=None)

        generated = generate_country(settings.country_pack, people, seed, target, on_stage)
        for task in tasks.values():
            progress.update(task, completed=1, total=1)
    out.print(_summary(generated.manifest))
    out.print(
        f"{people:,} people, seed {seed}, in {generated.seconds:.1f} s. "
        f"Written to [bold]{generated.folder}[/]"
    )


@country_app.command()
def describe(
    folder: Annotated[
        Path | None,
        typer.Argument(help="The country folder; default: 'country' in the data folder."),
    ] = None,
) -> None:
    """Show what a country folder holds, after checking every file against its manifest."""
    target = folder or load_settings().country_dir
    manifest = verify_country(target)
    out.print(_summary(manifest))
    out.print(
        f"Generator {manifest.generator} {manifest.version}, seed {manifest.seed}, "
        f"{manifest.people:,} people, period {manifest.period}, as of {manifest.as_of}. "
        "Every file matches its checksum."
    )


@country_app.command()
def advance(
    days: Annotated[int, typer.Option("--days", help="How many days time moves on.")] = 30,
    folder: Annotated[
        Path | None,
        typer.Option("--country", help="The country folder; default: the one in the data folder."),
    ] = None,
) -> None:
    """Move the country on: life events, registries updated, change events recorded."""
    settings = load_settings()
    pack = settings.country_pack
    summary = advance_country(
        folder or settings.country_dir,
        days=days,
        shape=load_shape(pack),
        definitions=load_registry_definitions(pack),
    )
    events = Table(title=f"Life events, period {summary.period}")
    events.add_column("Event")
    events.add_column("People", justify="right")
    for kind, count in summary.events.items():
        events.add_row(kind, f"{count:,}")
    changes = Table(title="Change events")
    changes.add_column("Registry")
    changes.add_column("Events", justify="right")
    for registry, count in summary.changes.items():
        changes.add_row(registry, f"{count:,}")
    out.print(events, changes)
    out.print(f"The country is now as of {summary.as_of} (period {summary.period}).")


@country_app.command("rules-inputs")
def rules_inputs_command(
    period: Annotated[str, typer.Option(help="The month, e.g. 2026-01.")],
    out: Annotated[Path, typer.Option(help="Folder for person.parquet and household.parquet.")],
    folder: Annotated[
        Path | None, typer.Option("--country", help="The country folder; default: the data one.")
    ] = None,
) -> None:
    """Write the country as batch inputs for the rules, with region and household type."""
    country = folder or load_settings().country_dir
    inputs = rules_inputs(country, Period.parse(period))
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(inputs.persons, out / "person.parquet")
    pq.write_table(with_dimensions(inputs.households, country), out / "household.parquet")
    typer.echo(
        f"{inputs.persons.num_rows:,} persons and {inputs.households.num_rows:,} households "
        f"in {out}"
    )


def _summary(manifest: Manifest) -> Table:
    table = Table(title="Country files")
    table.add_column("File")
    table.add_column("Rows", justify="right")
    table.add_column("Size", justify="right")
    for name, entry in manifest.files.items():
        table.add_row(name, f"{entry.rows:,}", f"{entry.bytes / 1_000_000:.1f} MB")
    return table


__all__ = ["STAGES", "country_app"]
