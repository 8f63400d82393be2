"""The parts of the consent story: the school's command, people signed in in their own
browsers, the consents page's forms, and what the health register keeps."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from httpx2 import Response
from typer.testing import CliRunner

from civitas.config import DEMO_PACK
from civitas.consents.cli import consent_app
from civitas.registries.inbox_store import SqlInboxStore, inbox_path
from tests.applications.support import Nodes, World
from tests.identity.portal_support import sign_in
from tests.identity.provider_support import number
from tests.support.forms import post_form

SCHOOL = "education-ministry/education"
CHECK = "school-health-check"
HEALTH = "health-service/health"
PAGE = "/en/account/consents"


def school(data_dir: Path, nodes: Nodes, *args: str) -> tuple[int, str]:
    """``civitas consent ...`` as the school's operator runs it; (exit code, output)."""
    result = CliRunner().invoke(
        consent_app,
        list(args),
        env={
            "CIVITAS_COUNTRY_PACK": str(DEMO_PACK),
            "CIVITAS_DATA_DIR": str(data_dir),
            "CIVITAS_REGISTRY_URLS": json.dumps(nodes),
        },
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def request_consent(data_dir: Path, nodes: Nodes, row: int) -> str:
    """The school asks for consent about ``PEOPLE[row]``; the consent's reference."""
    code, output = school(
        data_dir, nodes, "request", "--client", SCHOOL, "--purpose", CHECK, number(row)
    )
    assert code == 0, output
    found = re.search(r"Consent (cns-[0-9a-f]+)", output)
    assert found, output
    return found.group(1)


def read_with(data_dir: Path, nodes: Nodes, row: int, consent_id: str) -> tuple[int, str]:
    """The school reads ``PEOPLE[row]``'s health data naming ``consent_id``."""
    return school(
        data_dir,
        nodes,
        "use",
        "--client",
        SCHOOL,
        "--purpose",
        CHECK,
        "--consent",
        consent_id,
        number(row),
    )


def signed_in(world: World, row: int) -> TestClient:
    """The portal's browser, now signed in as ``PEOPLE[row]`` (whoever was before is gone).

    One browser for everyone: the portal runs in its test client's event loop, and its
    exchange connections belong to that loop."""
    browser = world.portal
    browser.cookies.clear()
    back = sign_in(browser, world.provider, row, "substantial", typed=True)
    assert back.status_code == 303, back.text
    return browser


def answer(
    browser: TestClient,
    consent_id: str,
    action: str,
    about: str,
    last_day: dt.date | None = None,
    **more: str,
) -> Response:
    """Press a button of the consents page (not following the redirect)."""
    fields = {"register": HEALTH, "about": about, **more}
    if last_day is not None:
        fields |= {
            "day": str(last_day.day),
            "month": str(last_day.month),
            "year": str(last_day.year),
        }
    return post_form(browser, f"/en/account/consents/{consent_id}/{action}", fields, follow=False)


def state_kept(data_dir: Path, consent_id: str) -> str:
    """The state the health register keeps for the consent, read from its own file."""
    store = SqlInboxStore.open(inbox_path(data_dir, "health"))
    try:
        consent = store.consent(consent_id)
        assert consent is not None
        return consent.state.value
    finally:
        store.close()
