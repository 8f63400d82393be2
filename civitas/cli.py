"""The one command line: ``civitas ...``. Each block mounts its own command group."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from civitas.applications.cli import applications_app
from civitas.catalogue.cli import catalogue_app
from civitas.checks import run_checks
from civitas.config import load_settings
from civitas.consents.cli import consent_app
from civitas.core.errors import CivitasError, InvalidInput
from civitas.exchange import ensure_keys, load_exchange
from civitas.exchange.cli import exchange_app
from civitas.identity.cli import staff_app
from civitas.identity.provider.cli import idp_app
from civitas.notifications.cli import notifications_app
from civitas.proactive.cli import proactive_app
from civitas.proactive.scan.command import build_scan_command
from civitas.proactive_worker import run_once, run_worker, scan_offers
from civitas.registries import MANIFEST_NAME, load_registry_definitions
from civitas.registries.cli import registry_app
from civitas.rules.cli import rules_app
from civitas.supervisor import Service, Supervisor, civitas_command
from civitas.synthetic import generate_country
from civitas.synthetic.cli import country_app

app = typer.Typer(
    help="Civitas: public services organised around people's lives.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(catalogue_app, name="catalogue")
app.add_typer(registry_app, name="registry")
app.add_typer(country_app, name="country")
app.add_typer(rules_app, name="rules")
app.add_typer(exchange_app, name="exchange")
app.add_typer(staff_app, name="staff")
app.add_typer(applications_app, name="applications")
app.add_typer(consent_app, name="consent")
app.add_typer(notifications_app, name="notifications")
app.add_typer(proactive_app, name="proactive")
app.add_typer(idp_app, name="idp", help="A development OpenID provider with test people.")

err = Console(stderr=True, highlight=False)
LOOPBACK = "http://127.0.0.1:"
MAIL_SINK_OFFSET = 25  # the development mail sink listens on the portal's port + 25
out = Console(highlight=False)


def report(error: CivitasError) -> None:
    """Print an error the house way: ``Error: ...`` then each field problem, then ``Hint: ...``."""
    message, hint = error.render()
    err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
    if isinstance(error, InvalidInput):
        for problem in error.errors:
            err.print(f"  {problem.location()}: {problem.message}", soft_wrap=True, markup=False)
    if hint:
        err.print(f"[bold]Hint:[/] {escape(hint)}", soft_wrap=True)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to listen on."),
    port: int | None = typer.Option(None, help="Port to listen on."),
) -> None:
    """Start the citizen portal and the JSON API."""
    import uvicorn

    from civitas.app import create_app

    overrides: dict[str, Any] = {}
    if host:
        overrides["host"] = host
    if port:
        overrides["port"] = port
    settings = load_settings(**overrides)
    application = create_app(settings)
    out.print(
        f"Civitas is running at [bold]http://{settings.host}:{settings.port}/[/] (Ctrl-C stops it)"
    )
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")


@app.command("run")
def run_platform(
    people: int = typer.Option(100_000, help="People in the demo country made on first run."),
) -> None:
    """Start everything: the portal, the development identity provider and every
    registry node, each its own process; the nodes answer only through the exchange.

    On the first run it generates the synthetic demo country (seed 1) and the exchange
    keys of every organisation.
    """
    settings = load_settings()
    if not (settings.country_dir / MANIFEST_NAME).exists():
        out.print(f"First run: generating a synthetic country of {people:,} people ...")
        generated = generate_country(settings.country_pack, people, 1, settings.country_dir)
        out.print(f"Done in {generated.seconds:.1f} s, in {generated.folder}.")
    ensure_keys(settings.data_dir, load_exchange(settings.country_pack).member_codes)
    host = settings.host
    services = []
    portal_env: dict[str, str] = {}
    if settings.smtp_host is None:  # no mail server set: emails go to a local mail sink
        sink_port = settings.port + MAIL_SINK_OFFSET
        folder = settings.data_dir / "mail"
        command = civitas_command(
            "notifications", "mail-sink", "--port", str(sink_port), "--folder", str(folder)
        )
        services.append(Service("Mail sink (development)", command, f"smtp://{host}:{sink_port}"))
        portal_env = {"CIVITAS_SMTP_HOST": "127.0.0.1", "CIVITAS_SMTP_PORT": str(sink_port)}
    portal_url = f"http://{host}:{settings.port}/"
    services.append(Service("Portal", civitas_command("serve"), portal_url, portal_env))
    for provider in settings.identity_providers:
        if provider.issuer.startswith(LOOPBACK):  # a provider on this machine: the development one
            provider_port = provider.issuer.removeprefix(LOOPBACK).strip("/")
            command = civitas_command(
                "idp",
                "serve",
                "--port",
                provider_port,
                "--redirect-uri",
                f"{settings.portal_url}/sign-in/callback",
                "--post-logout-redirect-uri",
                f"{settings.portal_url}/",
            )
            services.append(Service("Identity provider (development)", command, provider.issuer))
    for position, definition in enumerate(load_registry_definitions(settings.country_pack)):
        port = settings.registry_port_base + position
        command = civitas_command(
            "registry", "serve", definition.id, "--port", str(port), "--exchange"
        )
        services.append(Service(f"Registry {definition.id}", command, f"http://{host}:{port}/"))
    worker = civitas_command("proactive", "worker", "--every", "2")
    services.append(Service("Proactive services worker", worker, "(reads the change feeds)"))
    for service in services:
        out.print(f"  {service.name:<28} {service.url}")
    out.print("Ctrl-C stops everything.")
    raise typer.Exit(Supervisor(services).run())


proactive_app.command("scan")(build_scan_command(scan_offers))


@proactive_app.command("worker")
def proactive_worker(
    every: float = typer.Option(5.0, min=0.1, help="Seconds between rounds."),
    batch: int = typer.Option(200, min=1, max=5000, help="Events handled in one transaction."),
) -> None:
    """Run the event worker: read the registers' change feeds, decide, tell (Ctrl-C stops)."""
    logging.basicConfig(format="%(name)s: %(message)s")  # each round's counts, on the console
    logging.getLogger("civitas.proactive").setLevel(logging.INFO)

    run_worker(load_settings(), every, batch)


@proactive_app.command("run-once")
def proactive_run_once() -> None:
    """Read every change feed once and handle every event waiting, then stop."""
    done = run_once(load_settings())
    out.print(
        f"Read {done.read:,} events, handled {done.handled:,}, kept {done.decisions:,} decisions."
    )


@app.command()
def check() -> None:
    """Check the configuration and the country pack; exit 1 when something needs fixing."""
    problems = run_checks(load_settings())
    if not problems:
        out.print("[green]No problems found.[/]")
        return
    for problem in problems:
        colour = "red" if problem.is_error else "yellow"
        err.print(f"[bold {colour}]{problem.id}[/] {escape(problem.message)}", soft_wrap=True)
        for detail in problem.details:
            err.print(f"    {detail}", soft_wrap=True, markup=False)
        err.print(f"    [bold]Hint:[/] {escape(problem.hint)}", soft_wrap=True)
    if any(problem.is_error for problem in problems):
        raise typer.Exit(1)


def main(argv: list[str] | None = None) -> None:
    run(lambda: app(args=argv, standalone_mode=True))


def run(command: Callable[[], Any]) -> None:
    """Run a command, turning Civitas errors into the CLI rendering and exit code 1."""
    try:
        command()
    except CivitasError as error:
        report(error)
        sys.exit(1)
