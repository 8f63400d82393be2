"""``civitas proactive scan``: the take-up scan from the command line.

    civitas proactive scan --month 2026-01 [--country DIR] [--out DIR] [--lang pt] [--send]

Writes ``report.html``, ``takeup.csv``, ``takeup.parquet``, ``gap.parquet`` and (for a
synthetic country) ``truth-check.json`` into ``--out`` (default
``<data_dir>/scans/<month>/``) and prints the summary. ``--send`` hands the gap to an
offer sink: :func:`build_scan_command` takes the factory of one (the composition root
passes the proactive decisions store's); ``scan_command`` has none and says so.
Errors (a bad month, no country, missing files) are Civitas errors, which the CLI
prints as ``Error: ... / Hint: ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from civitas.catalogue import load_catalogue
from civitas.config import Settings, load_settings
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.proactive.pack import load_proactive
from civitas.proactive.places import municipality_names, region_names
from civitas.proactive.scan.country import open_country
from civitas.proactive.scan.files import write_files
from civitas.proactive.scan.model import ScanResult
from civitas.proactive.scan.recipients import with_recipients
from civitas.proactive.scan.report import render_report
from civitas.proactive.scan.run import Scanned, scan, with_truth
from civitas.proactive.scan.send import OfferSink, send_offers
from civitas.registries import load_registry_definitions
from civitas.rules import Period, load_rules

ENGINES = ("duckdb",)
LANGUAGES = ("en", "pt")
SinkFactory = Callable[[Settings], OfferSink]
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def build_scan_command(sink: SinkFactory | None = None) -> Callable[..., None]:
    """The ``scan`` command, sending offers to the sink ``sink`` makes from the settings."""

    def scan_command(
        month: Annotated[str, typer.Option(help="The month to scan, as YYYY-MM.")],
        country: Annotated[
            Path | None,
            typer.Option(help="The country folder; default: the one in the data folder."),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(help="Folder for the report and files; default: <data>/scans/<month>."),
        ] = None,
        lang: Annotated[str, typer.Option(help="Language of the report: en or pt.")] = "en",
        send: Annotated[
            bool, typer.Option("--send", help="Offer each service to whoever is not enrolled.")
        ] = False,
        engine: Annotated[str, typer.Option(help="What runs the scan: duckdb.")] = "duckdb",
    ) -> None:
        """Find who is entitled to each service but not enrolled, and write a report."""
        period = parse_month(month)
        _check_choice("--engine", engine, ENGINES)
        _check_choice("--lang", lang, LANGUAGES)
        settings = load_settings()
        if send and sink is None:
            raise InvalidInput(
                N_("This installation has no offer sink, so --send cannot send offers."),
                hint=N_("Run the scan without --send, or use the civitas command of the platform."),
            )
        target = out or settings.data_dir / "scans" / str(period)
        scanned = scan_to_folder(settings, period, country or settings.country_dir, target, lang)
        shown = Console(highlight=False)
        shown.print(summary_table(scanned.result))
        shown.print(f"Written to [bold]{target}[/] in {scanned.result.seconds:.1f} s.")
        if send and sink is not None:
            progress = Console(stderr=True, highlight=False)
            names = municipality_names(settings.country_pack)
            gap = with_recipients(scanned.country, scanned.gap, names)
            new = send_offers(sink(settings), str(period), gap, console=progress)
            shown.print(f"{new:,} new offers sent.")

    return scan_command


scan_command = build_scan_command()


def scan_to_folder(
    settings: Settings, period: Period, country: Path, out: Path, language: str
) -> Scanned:
    """Scan ``country`` and write the report (in ``language``) and the files into ``out``."""
    open_country(country)  # before the rules load: a wrong folder is told at once
    pack = settings.country_pack
    recorded, by_parent = pack_services(pack)
    errors = Console(stderr=True, highlight=False)
    with errors.status("Scanning...") as status:
        scanned = scan(
            country,
            period,
            load_rules(pack),
            recorded,
            by_parent=by_parent,
            on_stage=lambda stage: status.update(f"Scanning: {stage}..."),
        )
        status.update("Checking against the truth...")
        scanned = with_truth(scanned)
    write_scan(scanned, out, language, pack)
    return scanned


def write_scan(scanned: Scanned, out: Path, language: str, pack: Path) -> None:
    """Write the files and the report (in ``language``, with the regions' names in
    ``pack``) into ``out``."""
    write_files(scanned.result, scanned.gap, out)
    page = render_report(scanned.result, language, region_names(pack))
    (out / "report.html").write_text(page, encoding="utf-8")


def parse_month(text: str) -> Period:
    """The month of ``--month``; InvalidInput with what to write instead."""
    if not _MONTH.match(text.strip()):
        raise InvalidInput(
            N_("'{month}' is not a month."),
            hint=N_("Write the month as YYYY-MM, for example 2026-01."),
            params={"month": text[:40]},
            errors=(FieldError(("--month",), N_("Expected a month such as 2026-01.")),),
        )
    return Period.parse(text.strip(), ("--month",))


def summary_table(result: ScanResult) -> Table:
    table = Table(title=f"Take-up, {result.month}", title_justify="left")
    for header in ("service", "entitled", "enrolled", "take-up", "not enrolled"):
        table.add_column(header, justify="left" if header == "service" else "right")
    for summary in result.services:
        total = summary.total
        rate = total.take_up_rate
        table.add_row(
            summary.service,
            f"{total.entitled:,}",
            "not recorded" if total.enrolled is None else f"{total.enrolled:,}",
            "" if rate is None else f"{rate:.1%}",
            "" if total.gap is None else f"{total.gap:,}",
        )
    if result.truth is not None:
        overall = result.truth.overall
        table.caption = (
            f"Truth check: precision {overall.precision or 0:.1%}, recall {overall.recall or 0:.1%}"
        )
    return table


def pack_services(pack: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The services the benefits register lists (its ``benefit`` codes), and the household
    services a parent claims (``proactive.yaml``, checked whole): the scan's two lists."""
    registries = load_registry_definitions(pack)
    benefits = [d.column("benefit").codes for d in registries if d.id == "benefits"]
    found = load_proactive(pack, registries, load_catalogue(pack))
    return (benefits[0] if benefits else ()), found.claimed_by_parent


def _check_choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidInput(
            N_("{option} cannot be '{value}'."),
            hint=N_("Use one of: {allowed}."),
            params={"option": option, "value": value[:40], "allowed": ", ".join(allowed)},
            errors=(FieldError((option,), N_("Not one of the choices.")),),
        )
