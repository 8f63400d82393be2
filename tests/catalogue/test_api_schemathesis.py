"""The JSON API keeps the promises of its own OpenAPI, under generated input.

Schemathesis reads /api/v1/openapi.json from the real application (demo pack, a fresh
SQLite database in a temporary data folder), generates valid and invalid requests for
every operation and runs all its default checks on each answer: no server error,
status code, content type and body as documented, invalid input rejected, valid input
accepted, unsupported methods refused.

The schema is loaded when the module is imported because schemathesis needs it to
generate the tests at collection; its fixture-based loader
(``schemathesis.pytest.from_fixture``) does not run under pytest 9.2, which removed the
``Node._nodeid`` attribute it rewrites.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from civitas.app import create_app
from civitas.config import Settings

OPENAPI = "/api/v1/openapi.json"

_DATA_DIR = Path(tempfile.mkdtemp(prefix="civitas-api-"))
_APP = create_app(Settings(data_dir=_DATA_DIR, _env_file=None))

schema = schemathesis.openapi.from_asgi(OPENAPI, _APP)


@pytest.fixture(scope="module", autouse=True)
def _remove_the_data_dir() -> Iterator[None]:
    yield
    _APP.state.platform.engine.dispose()
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=50, deadline=None)
def test_every_operation_keeps_its_openapi_promises(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


# Generated ids almost never exist, so the fuzzing above mostly sees 404s on the detail
# operations; these cases check the 200 answer for every real id, in every language.
_CATALOGUE = _APP.state.platform.catalogue
_REAL_IDS = [
    *(("/api/v1/services/{service_id}", "service_id", i) for i in _CATALOGUE.services),
    *(("/api/v1/life-events/{event_id}", "event_id", i) for i in _CATALOGUE.events),
    *(
        ("/api/v1/organisations/{organisation_id}", "organisation_id", i)
        for i in _CATALOGUE.organisations
    ),
]


@pytest.mark.parametrize("language", _CATALOGUE.country.languages)
@pytest.mark.parametrize(("path", "name", "value"), _REAL_IDS)
def test_every_published_item_matches_its_openapi_schema(
    path: str, name: str, value: str, language: str
) -> None:
    case = schema[path]["GET"].Case(path_parameters={name: value}, query={"lang": language})
    response = case.call_and_validate()
    assert response.status_code == 200
