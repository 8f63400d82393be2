"""A portal that trusts the development identity provider, both in-process, and the
population table the provider reads its people from.

The portal's calls to the provider (discovery, keys, token) go to the provider app over
an in-process transport; the test plays the browser, carrying each redirect across.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx2
import pyarrow as pa
from fastapi import FastAPI
from pydantic import SecretStr

from civitas.app import build_platform, create_app
from civitas.config import IdentityProviderSetting, Settings
from civitas.core.clock import Clock
from civitas.identity.provider import Client, ProviderConfig, create_provider_app
from tests.registries.fixtures import formatted_ids

ISSUER = "http://127.0.0.1:8090"
PORTAL = "http://testserver"
SECRET = "portal-test-secret"

# (given name, family name, born, died, mother row, father row)
Person = tuple[str, str, dt.date, dt.date | None, int | None, int | None]


def population_table(people: Sequence[Person], numbers: Sequence[int]) -> pa.Table:
    """The demo pack's population columns for ``people``, ``numbers`` their national ids."""

    def ids(rows: list[int | None]) -> pa.Array:
        return pa.array([int(numbers[r]) if r is not None else None for r in rows], pa.int64())

    return pa.table(
        {
            "citizen_number": formatted_ids(numbers),
            "national_id": pa.array(numbers, pa.int64()),
            "first_name": [p[0] for p in people],
            "family_name": [p[1] for p in people],
            "sex": ["F"] * len(people),
            "birth_date": pa.array([p[2] for p in people], pa.date32()),
            "death_date": pa.array([p[3] for p in people], pa.date32()),
            "mother_national_id": ids([p[4] for p in people]),
            "father_national_id": ids([p[5] for p in people]),
            "partner_national_id": ids([None] * len(people)),
            "municipality": ["VLD-SV"] * len(people),
        }
    )


def trusting_provider(country_dir: Path, key_file: Path, clock: Clock) -> FastAPI:
    """The development provider, with the portal as its one client."""
    client = Client("civitas-portal", SECRET, (f"{PORTAL}/sign-in/callback",), (f"{PORTAL}/",))
    return create_provider_app(
        ProviderConfig(ISSUER, (client,), country_dir, key_file), clock=clock
    )


def portal_settings(data_dir: Path, **settings: Any) -> Settings:
    """The portal's settings, signing people in at the development provider."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        public_url=PORTAL,
        identity_providers=[
            IdentityProviderSetting(
                id="valdoria-id",
                name="Valdoria ID",
                issuer=ISSUER,
                client_id="civitas-portal",
                client_secret=SecretStr(SECRET),
            )
        ],
        **settings,
    )


def portal_app(settings: Settings, provider: FastAPI, clock: Clock) -> FastAPI:
    """The portal, calling ``provider`` in-process."""
    transport = httpx2.ASGITransport(app=provider)
    platform = build_platform(settings, clock=clock, identity_transport=transport)
    return create_app(settings, platform)
