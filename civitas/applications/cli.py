"""``civitas applications burden``: the fields registers filled in and people typed, per service."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from civitas.applications.services import burden
from civitas.applications.store import SqlApplicationStore
from civitas.config import load_settings
from civitas.db import create_engine_for, migrate

applications_app = typer.Typer(help="Once-only applications: what prefilling spared people.")
out = Console(highlight=False)


@applications_app.callback()
def applications() -> None:
    """Once-only applications: what prefilling spared people."""  # keeps `burden` a subcommand


@applications_app.command("burden")
def show_burden() -> None:
    """Per service: applications sent, fields prefilled and kept, corrected, and typed."""
    engine = create_engine_for(load_settings().resolved_database_url)
    migrate(engine)
    rows = burden(SqlApplicationStore(engine))
    engine.dispose()
    if not rows:
        out.print("No applications have been sent yet.")
        return
    table = Table(title="Burden saved by prefilling", title_justify="left")
    table.add_column("Service", no_wrap=True)
    for heading in ("Sent", "Prefilled", "Corrected", "Typed", "Prefilled %"):
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(
            row.service_id,
            str(row.applications),
            str(row.prefilled),
            str(row.corrected),
            str(row.typed),
            f"{row.share_prefilled:.0%}",
        )
    out.print(table)
