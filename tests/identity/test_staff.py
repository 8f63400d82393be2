"""Staff roles give the least privilege each job needs, granted and revoked from the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civitas.core.errors import InvalidInput, NotAllowed
from civitas.identity.cli import staff_app
from civitas.identity.staff import Permission, Role, StaffMember, StaffRole

NOW = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def member(*roles: tuple[Role, str]) -> StaffMember:
    return StaffMember("9", tuple(StaffRole("9", r, o, "setup", NOW) for r, o in roles))


def test_a_desk_agent_finds_and_acts_for_people_but_decides_no_case() -> None:
    agent = member((Role.DESK_AGENT, "civil-registry"))
    assert agent.may(Permission.FIND_PERSON)
    assert agent.may(Permission.ACT_FOR_PERSON)
    assert not agent.may(Permission.HANDLE_CASES)
    assert not agent.may(Permission.GRANT_ROLES)


def test_an_administrator_grants_roles_but_reads_no_ones_data() -> None:
    admin = member((Role.ADMINISTRATOR, "civil-registry"))
    assert admin.permissions == {Permission.GRANT_ROLES}


def test_a_role_counts_only_in_its_own_organisation() -> None:
    worker = member((Role.CASE_WORKER, "tax-authority"))
    assert worker.may(Permission.HANDLE_CASES, "tax-authority")
    assert not worker.may(Permission.HANDLE_CASES, "social-security")
    with pytest.raises(NotAllowed, match="does not allow this"):
        worker.require(Permission.HANDLE_CASES, "social-security")


def test_several_roles_add_up() -> None:
    both = member((Role.DESK_AGENT, "x"), (Role.SERVICE_OWNER, "x"))
    assert both.may(Permission.FIND_PERSON)
    assert both.may(Permission.VIEW_SERVICE_FIGURES)


def test_an_unknown_role_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="no staff role called 'boss'"):
        Role.named("boss")


def test_roles_are_granted_listed_and_revoked_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIVITAS_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    granted = runner.invoke(
        staff_app, ["grant", "900000011", "desk-agent", "--organisation", "tax"]
    )
    assert granted.exit_code == 0, granted.output
    assert "900000011 is now desk-agent at tax." in granted.output
    again = runner.invoke(staff_app, ["grant", "900000011", "desk-agent", "--organisation", "tax"])
    assert "already is desk-agent" in again.output
    listed = runner.invoke(staff_app, ["list"], env={"COLUMNS": "200"})
    assert "900000011" in listed.output
    assert "act-for-person, find-person" in listed.output
    revoked = runner.invoke(
        staff_app, ["revoke", "900000011", "desk-agent", "--organisation", "tax"]
    )
    assert "is no longer desk-agent" in revoked.output
    assert "No staff roles yet" in runner.invoke(staff_app, ["list"]).output
