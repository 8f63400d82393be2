"""``civitas exchange ...``: make the members' keys, check a message log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from civitas.config import load_settings
from civitas.exchange.audit import audit_log
from civitas.exchange.keys import ensure_keys, load_trust_list, trust_list_path
from civitas.exchange.logfile import head_path
from civitas.exchange.pack import load_exchange

exchange_app = typer.Typer(help="The once-only exchange: members' keys and message logs.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@exchange_app.command("keys")
def keys(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data folder; default: the setting.")
    ] = None,
) -> None:
    """Make a signing key for every member of the exchange that lacks one, and the trust list."""
    settings = load_settings()
    folder = data_dir or settings.data_dir
    setup = load_exchange(settings.country_pack)
    made = ensure_keys(folder, setup.member_codes)
    for member in made.created:
        out.print(f"  made a key for [bold]{member}[/]")
    if made.kept:
        out.print(f"  kept the keys of {len(made.kept)} member(s) that had one")
    out.print(f"Trust list written to {escape(str(made.trust_list))}")


@exchange_app.command("verify-log")
def verify_log(
    path: Annotated[Path, typer.Argument(help="The message log (.jsonl) to check.")],
    trust_list: Annotated[
        Path | None,
        typer.Option(
            "--trust-list",
            help="Default: exchange/trust-list.json above the log, or in the data dir.",
        ),
    ] = None,
) -> None:
    """Check that no entry of a message log was altered, removed, reordered or cut off.

    Exits with 1 when the log was tampered with, naming each entry concerned.
    """
    if not path.is_file():
        err.print(f"[bold red]Error:[/] There is no message log at {escape(str(path))}.")
        raise typer.Exit(1)
    trust = load_trust_list(trust_list or _trust_list_near(path))
    head = head_path(path)
    report = audit_log(
        path.read_bytes(),
        trust,
        head.read_bytes() if head.is_file() else None,
        head.name,
    )
    party = report.party or "unknown party"
    out.print(
        f"{escape(str(path))}: the log of {escape(party)}, {report.entries} entries, "
        f"{report.seals} valid seal(s)"
        + (f", sealed up to entry {report.sealed_up_to}" if report.sealed_up_to else "")
        + ".",
        soft_wrap=True,
    )
    for finding in report.findings:
        label = "[bold red]Tampered:[/]" if finding.tampered else "[yellow]Note:[/]"
        out.print(f"  {label} {escape(finding.text())}", soft_wrap=True)
    if report.tampered:
        count = sum(f.tampered for f in report.findings)
        err.print(
            f"[bold red]Error:[/] The log was tampered with ({count} problem(s) above).\n"
            "[bold]Hint:[/] Keep this file as evidence and compare it with your backups."
        )
        raise typer.Exit(1)
    out.print("[green]The log is intact.[/]")


def _trust_list_near(log: Path) -> Path:
    """The trust list of the data dir the log lives in (logs/<member>/<subsystem>.jsonl)."""
    for folder in log.resolve().parents:
        if folder.name == "exchange" and (folder / "trust-list.json").is_file():
            return folder / "trust-list.json"
    return trust_list_path(load_settings().data_dir)
