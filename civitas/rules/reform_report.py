"""A reform's population report printed as tables: cost by benefit, gains and losses."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from civitas.core.text import pick
from civitas.rules.values import Kind, to_decimal
from civitas.rules.what_if import ReformReport


def euros(cents: int) -> str:
    return f"{to_decimal(cents, Kind.MONEY):,.2f}"


def print_reform(report: ReformReport, language: str, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    console.print(
        f"[bold]{pick(report.reform.label, language)}[/] ({report.reform.name}), {report.period}"
    )
    cost = Table(title="Monthly cost by benefit", title_justify="left")
    for header in ("benefit", "law in force", "reform", "change", "recipients", "unknown"):
        cost.add_column(header, justify="left" if header == "benefit" else "right")
    for benefit in report.benefits:
        cost.add_row(
            pick(benefit.label, language),
            euros(benefit.before),
            euros(benefit.after),
            euros(benefit.change),
            f"{benefit.recipients_before:,} -> {benefit.recipients_after:,}",
            f"{benefit.unknown:,}",
        )
    cost.add_row("[bold]total[/]", "", "", f"[bold]{euros(report.total_change)}[/]", "", "")
    console.print(cost)
    gains = Table(title=f"Who gains or loses ({report.group}s)", title_justify="left")
    for header in ("by", "group", report.group + "s", "gaining", "losing", "change a month"):
        gains.add_column(header, justify="left" if header in ("by", "group") else "right")
    for row in report.groups:
        gains.add_row(
            row.dimension,
            row.group,
            f"{row.households:,}",
            f"{row.gaining:,}",
            f"{row.losing:,}",
            euros(row.change),
        )
    console.print(gains)
