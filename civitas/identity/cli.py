"""``civitas staff ...``: grant, revoke and list staff roles (least privilege, in the database)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from civitas.config import load_settings
from civitas.core.clock import SystemClock
from civitas.db import create_engine_for, migrate
from civitas.identity.staff import PERMISSIONS, Role, StaffRole
from civitas.identity.store import SqlStaffStore

staff_app = typer.Typer(help="Staff roles: who may act at the desk, decide cases or grant roles.")
out = Console(highlight=False)

NationalId = Annotated[str, typer.Argument(help="The person's national number, as on sign-in.")]
RoleName = Annotated[
    str, typer.Argument(help="desk-agent, case-worker, service-owner or administrator.")
]
Organisation = Annotated[str, typer.Option(help="Id of the organisation they work for.")]


def _store() -> SqlStaffStore:
    engine = create_engine_for(load_settings().resolved_database_url)
    migrate(engine)
    return SqlStaffStore(engine)


@staff_app.command("grant")
def grant(national_id: NationalId, role: RoleName, organisation: Organisation) -> None:
    """Give a person a staff role in an organisation."""
    held = StaffRole(national_id, Role.named(role), organisation, "setup", SystemClock().now())
    if _store().grant(held):
        out.print(f"{national_id} is now {held.role.value} at {organisation}.")
    else:
        out.print(f"{national_id} already is {held.role.value} at {organisation}.")


@staff_app.command("revoke")
def revoke(national_id: NationalId, role: RoleName, organisation: Organisation) -> None:
    """Take a staff role away."""
    named = Role.named(role)
    if _store().revoke(national_id, named, organisation):
        out.print(f"{national_id} is no longer {named.value} at {organisation}.")
    else:
        out.print(f"{national_id} was not {named.value} at {organisation}; nothing changed.")


@staff_app.command("list")
def list_roles() -> None:
    """Every staff role, and what each allows."""
    roles = _store().roles()
    table = Table(title="Staff roles", title_justify="left")
    for heading in ("Organisation", "National number", "Role", "May", "Since"):
        table.add_column(heading)
    for held in roles:
        allowed = ", ".join(sorted(permission.value for permission in PERMISSIONS[held.role]))
        since = held.granted_at.strftime("%Y-%m-%d")
        table.add_row(held.organisation, held.national_id, held.role.value, allowed, since)
    out.print(table if roles else "No staff roles yet. Grant one with: civitas staff grant")
