"""``civitas catalogue ...``: check, lint, export and import the catalogue."""

from __future__ import annotations

import typer
from rich.console import Console

from civitas.catalogue.pack import load_catalogue
from civitas.config import Settings

catalogue_app = typer.Typer(help="Work with the service catalogue of the country pack.")
out = Console(highlight=False)


@catalogue_app.command("validate")
def validate() -> None:
    """Load the country pack and report every problem with file, line and field."""
    settings = Settings()
    catalogue = load_catalogue(settings.country_pack)
    out.print(
        f"[green]The pack is valid:[/] {len(catalogue.events)} events, "
        f"{len(catalogue.services)} services, {len(catalogue.organisations)} organisations."
    )
