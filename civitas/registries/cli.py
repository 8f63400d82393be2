"""``civitas registry ...``: list the pack's registries, serve one as its own process."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from civitas.config import Settings, load_settings
from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries.domain import RegistryDefinition
from civitas.registries.manifest import MANIFEST_NAME, read_manifest, verify_country
from civitas.registries.pack import load_registry_definitions
from civitas.registries.reload import RELOAD_SECONDS

registry_app = typer.Typer(help="Serve the base registries of the synthetic country.")
out = Console(highlight=False)

CountryOption = Annotated[
    Path | None,
    typer.Option("--country", help="Country data folder; default: <data dir>/country."),
]


def country_folder(settings: Settings, country: Path | None) -> Path:
    return country or settings.country_dir


def find(definitions: tuple[RegistryDefinition, ...], name: str) -> tuple[int, RegistryDefinition]:
    for position, definition in enumerate(definitions):
        if definition.id == name:
            return position, definition
    raise InvalidInput(
        N_("The country pack has no registry called '{name}'."),
        hint=N_("Choose one of: {known}."),
        params={"name": name[:60], "known": ", ".join(d.id for d in definitions)},
        errors=(FieldError(("name",), N_("Unknown registry.")),),
    )


@registry_app.command("serve")
def serve(
    name: Annotated[str, typer.Argument(help="Id of the registry, e.g. tax.")],
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[
        int | None, typer.Option(help="Port; default: the registry port base + its place.")
    ] = None,
    country: CountryOption = None,
    exchange: Annotated[
        bool,
        typer.Option(
            "--exchange/--no-exchange",
            help="Answer only signed, allowed exchange calls under /r1/ (keys: civitas exchange "
            "keys), logging each; without it, every route is open.",
        ),
    ] = False,
    reload_seconds: Annotated[
        float,
        typer.Option(
            min=0,
            help="How often to look for a new period of the country (civitas country advance) "
            "and serve it once verified, without a restart; 0: never.",
        ),
    ] = RELOAD_SECONDS,
) -> None:
    """Run one registry as its own HTTP service (JSON API, OpenAPI at /docs).

    It follows the country: a period published by 'civitas country advance' while it runs
    is verified and served within a few seconds; one that fails a check is not served."""
    import uvicorn

    from civitas.core.clock import SystemClock
    from civitas.exchange import Provider, open_provider
    from civitas.registries.exchange_guard import exchange_data_items
    from civitas.registries.inbox import Inbox
    from civitas.registries.inbox_store import SqlInboxStore, inbox_path
    from civitas.registries.node import create_registry_app

    settings = load_settings()
    definitions = load_registry_definitions(settings.country_pack)
    position, definition = find(definitions, name)
    folder = country_folder(settings, country)
    provider: Provider | None = None
    inbox: Inbox | None = None
    if exchange:
        provider = open_provider(
            settings.country_pack,
            settings.data_dir,
            definition.organisation,
            definition.id,
            data_items=exchange_data_items(definitions),
        )
        store = SqlInboxStore.open(inbox_path(settings.data_dir, definition.id))
        inbox = Inbox(store, definition, provider.setup, provider.me, SystemClock())
    try:
        application = create_registry_app(
            definition, folder, exchange=provider, inbox=inbox, reload_seconds=reload_seconds
        )
    except BaseException:
        if provider is not None:
            provider.close()
        raise
    host = host or settings.host
    port = port or settings.registry_port_base + position
    out.print(
        f"Registry node [bold]{definition.id}[/] is running at "
        f"[bold]http://{host}:{port}/[/] (Ctrl-C stops it)"
    )
    if provider is not None:
        out.print(f"  through the exchange only: [bold]{provider.service_base}/...[/]")
    # uvicorn stops gracefully on SIGTERM, then re-raises it to the previous handler:
    # this one makes that a normal exit (status 0) for process supervisors.
    signal.signal(signal.SIGTERM, _exit_normally)
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)


def _exit_normally(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@registry_app.command("inbox")
def inbox(
    name: Annotated[str, typer.Argument(help="Id of the registry, e.g. tax.")],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 20,
) -> None:
    """What a registry node received through the exchange: reported errors and changes of
    address, newest first, for its clerks to check."""
    from civitas.registries.inbox_store import SqlInboxStore, inbox_path

    settings = load_settings()
    find(load_registry_definitions(settings.country_pack), name)
    path = inbox_path(settings.data_dir, name)
    if not path.is_file():
        out.print(f"The {name} registry has received nothing yet (no {escape(str(path))}).")
        return
    store = SqlInboxStore.open(path)
    try:
        received = store.notices(limit)
    finally:
        store.close()
    for notice in received:
        details = ", ".join(f"{k}={v}" for k, v in notice.details.items())
        out.print(
            f"{notice.received_at:%Y-%m-%d %H:%M} {notice.kind.value:<15} {notice.national_id} "
            f"from {notice.sender} (case {notice.case}): {escape(details)}",
            soft_wrap=True,
        )
    out.print(f"{len(received)} notice(s) shown.")


@registry_app.command("list")
def list_registries(country: CountryOption = None) -> None:
    """The pack's registries, their owners, and whether their files are present and intact."""
    settings = load_settings()
    definitions = load_registry_definitions(settings.country_pack)
    folder = country_folder(settings, country)
    generated = (folder / MANIFEST_NAME).is_file()
    manifest = read_manifest(folder) if generated else None
    for position, definition in enumerate(definitions):
        relative = f"registries/{definition.id}.parquet"
        if manifest is None:
            state = "[yellow]not generated[/]"
        elif relative not in manifest.files:
            state = "[red]not in the manifest[/]"
        else:
            try:
                verify_country(folder, only=[relative])
                state = f"[green]verified[/], {manifest.files[relative].rows} rows"
            except CivitasError as error:
                state = f"[red]refused[/]: {escape(error.render()[0])}"
        out.print(
            f"{definition.id:<16} port {settings.registry_port_base + position}  "
            f"owner {definition.organisation:<28} {state}",
            soft_wrap=True,
        )
    if not generated:
        out.print(
            f"No country in {escape(str(folder))}. Generate it first: civitas country generate"
        )
