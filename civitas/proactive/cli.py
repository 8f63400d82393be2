"""``civitas proactive ...``: what the proactive services did, and what they could not do.

The worker itself (``worker``, ``run-once``) and the take-up scan (``scan``) are added
to this group by the composition root, which wires them (``civitas.proactive_worker``).
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from civitas.config import load_settings
from civitas.core.clock import SystemClock
from civitas.db import create_engine_for, migrate
from civitas.proactive.store import SqlDecisionStore

proactive_app = typer.Typer(
    help="Proactive services: benefits found and given from life events, and the take-up scan."
)
out = Console(highlight=False)


@proactive_app.callback()
def proactive() -> None:
    """Proactive services: benefits found and given from life events, and the take-up scan."""


def _store() -> SqlDecisionStore:
    engine = create_engine_for(load_settings().resolved_database_url)
    migrate(engine)
    return SqlDecisionStore(engine, SystemClock().now)


@proactive_app.command("status")
def status() -> None:
    """How many register events were received and handled, and how many left a problem."""
    counts = _store().counts()
    out.print(
        f"{counts['received']:,} events received, {counts['handled']:,} handled, "
        f"{counts['problems']:,} with a problem (civitas proactive problems)."
    )


@proactive_app.command("problems")
def problems(
    limit: int = typer.Option(50, min=1, max=1000, help="How many to show, newest first."),
) -> None:
    """Events that could not be fully handled (an unknown person, nobody to tell), and why."""
    found = _store().problems(limit)
    if not found:
        out.print("No problems: every event received was handled.")
        return
    table = Table(title="Events with a problem", title_justify="left")
    for heading in ("Handled", "Registry", "Event", "National number", "Problem"):
        table.add_column(heading)
    for event, problem, handled_at in found:
        table.add_row(
            f"{handled_at:%Y-%m-%d %H:%M}",
            event.registry,
            f"{event.kind} #{event.seq}",
            event.national_id or "-",
            problem,
        )
    out.print(table)
