"""A tiny population with the families the provider looks for, and a relying party's steps.

The population is written with the demo pack's population columns through
``write_country``, so the provider reads and verifies it exactly like a generated one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyarrow as pa
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from civitas.core.clock import FixedClock
from civitas.identity.provider import Client, ProviderConfig, create_provider_app
from civitas.identity.provider.identities import IdentityBook
from tests.registries.fixtures import formatted_ids, national_ids, write_country
from tests.support.live_server import free_port, server_environment, stop, wait_until_answering

ISSUER = "http://127.0.0.1:8090"
CLIENT_ID = "civitas-portal"
SECRET = "test-secret"
REDIRECT_URI = "http://127.0.0.1:8000/sign-in/callback"
AFTER_LOGOUT = "http://127.0.0.1:8000/"
LOW, SUBSTANTIAL, HIGH = (f"http://eidas.europa.eu/LoA/{k}" for k in ("low", "substantial", "high"))
Process = subprocess.Popen[bytes]
CLIENT = Client(CLIENT_ID, SECRET, (REDIRECT_URI,), (AFTER_LOGOUT,))

# (given name, family name, born, died, mother row, father row); the country's date
# (tests.registries.fixtures.AS_OF) is 2025-01-01.
PEOPLE: list[tuple[str, str, dt.date, dt.date | None, int | None, int | None]] = [
    ("Ana", "Costa", dt.date(1994, 5, 10), None, 11, None),  # 0: mother of the baby
    ("Bruno", "Costa", dt.date(1992, 2, 1), None, None, None),  # 1: father of the baby
    ("Carla", "Costa", dt.date(2024, 6, 1), None, 0, 1),  # 2: the baby
    ("Diana", "Lopes", dt.date(1988, 3, 3), None, None, None),  # 3: mother of a 3-year-old
    ("Eva", "Lopes", dt.date(2021, 7, 7), None, 3, None),  # 4
    ("Filipe", "Lopes", dt.date(2014, 1, 20), None, 3, None),  # 5
    ("Gil", "Lopes", dt.date(2012, 9, 9), None, 3, None),  # 6
    ("Helena", "Reis", dt.date(1980, 4, 4), None, None, None),  # 7: mother of a 16-year-old
    ("Igor", "Reis", dt.date(2008, 3, 15), None, 7, None),  # 8
    ("Joana", "Dias", dt.date(2005, 8, 8), None, None, None),  # 9: 19
    ("Luís", "Matos", dt.date(1985, 10, 10), None, None, None),  # 10: 39, no children
    ("Marta", "Costa", dt.date(1965, 1, 15), None, None, None),  # 11: grandmother of the baby
    ("Nuno", "Pires", dt.date(1962, 6, 6), None, None, None),  # 12: 62
    ("Olga", "Pires", dt.date(1950, 2, 2), None, None, None),  # 13: 74
    ("Paulo", "Sousa", dt.date(1940, 12, 12), None, None, None),  # 14: 84
    ("Rui", "Antunes", dt.date(1950, 1, 1), dt.date(2020, 1, 1), None, None),  # 15: died
    ("Sara", "Nunes", dt.date(1990, 1, 1), None, None, None),  # 16: three children
    ("Tiago", "Nunes", dt.date(2017, 5, 5), None, 16, None),  # 17
    ("Ulisses", "Nunes", dt.date(2015, 5, 5), None, 16, None),  # 18
    ("Vera", "Nunes", dt.date(2010, 5, 5), None, 16, None),  # 19
]
NUMBERS = national_ids(len(PEOPLE))


def number(row: int) -> str:
    """The national number of ``PEOPLE[row]``, as the provider's ``sub``."""
    return f"{NUMBERS[row]:09d}"


def write_population(data_dir: Path) -> Path:
    """A country folder in ``data_dir/country`` holding only the population register."""

    def ids(rows: list[int | None]) -> pa.Array:
        return pa.array([int(NUMBERS[r]) if r is not None else None for r in rows], pa.int64())

    table = pa.table(
        {
            "citizen_number": formatted_ids(NUMBERS),
            "national_id": pa.array(NUMBERS, pa.int64()),
            "first_name": [p[0] for p in PEOPLE],
            "family_name": [p[1] for p in PEOPLE],
            "sex": ["F"] * len(PEOPLE),
            "birth_date": pa.array([p[2] for p in PEOPLE], pa.date32()),
            "death_date": pa.array([p[3] for p in PEOPLE], pa.date32()),
            "mother_national_id": ids([p[4] for p in PEOPLE]),
            "father_national_id": ids([p[5] for p in PEOPLE]),
            "partner_national_id": ids([None] * len(PEOPLE)),
            "municipality": ["VLD-SV"] * len(PEOPLE),
        }
    )
    return write_country(data_dir / "country", {"population": table})


def config(data_dir: Path, issuer: str = ISSUER) -> ProviderConfig:
    return ProviderConfig(
        issuer=issuer,
        clients=(CLIENT,),
        country_dir=data_dir / "country",
        key_file=data_dir / "idp" / "signing-key.json",
    )


def start(
    settings: ProviderConfig, clock: FixedClock, book: IdentityBook, key: RSAKey
) -> TestClient:
    """The provider app in-process, as a client at ``ISSUER`` that shows errors as answers."""
    app = create_provider_app(settings, clock=clock, book=book, key=key)
    return TestClient(app, base_url=ISSUER, raise_server_exceptions=False, follow_redirects=False)


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge), computed here independently of the provider."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorization_parameters(challenge: str, **changes: str | None) -> dict[str, str]:
    """A valid authorization request; ``changes`` replace values, None leaves one out."""
    parameters: dict[str, str | None] = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile",
        "state": "state-123",
        "nonce": "nonce-456",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **changes,
    }
    return {name: value for name, value in parameters.items() if value is not None}


def request_id_in(page: str) -> str:
    found = re.search(r'name="request_id" value="([^"]+)"', page)
    assert found, "the sign-in page has no request_id field"
    return found.group(1)


def query_of(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def sign_in(
    browser: httpx.Client,
    challenge: str,
    identity: str,
    level: str = "substantial",
    **changes: str | None,
) -> dict[str, str]:
    """Go through the sign-in page as a person would; the answer's query parameters."""
    page = browser.get("/authorize", params=authorization_parameters(challenge, **changes))
    assert page.status_code == 200, page.text
    form = {"request_id": request_id_in(page.text), "identity": identity, "level": level}
    answer = browser.post("/authorize", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    return query_of(location)


def redeem(
    client: httpx.Client,
    code: str,
    verifier: str,
    auth: tuple[str, str] | None = (CLIENT_ID, SECRET),
    **changes: str,
) -> httpx.Response:
    """The token request, with ``client_secret_basic`` unless ``auth`` is None."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
        **changes,
    }
    return client.post("/token", data=form, auth=auth)


@contextmanager
def running_provider(data_dir: Path, *arguments: str) -> Iterator[tuple[str, Process]]:
    """``python -m civitas.identity.provider serve`` on a free loopback port: (issuer, process)."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    stderr_path = data_dir / "idp.err"
    env = server_environment(data_dir)
    env["CIVITAS_IDP_CLIENT_SECRET"] = SECRET
    command = [sys.executable, "-m", "civitas.identity.provider", "serve", "--port", str(port)]
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, *arguments],
            cwd=data_dir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        wait_until_answering(process, issuer, stderr_path)
        yield issuer, process
    finally:
        stop(process)
