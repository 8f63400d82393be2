"""The access guard hears of every request before data leaves and of what left after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from civitas.core.errors import NotAllowed
from civitas.core.i18n import N_
from civitas.registries.node import create_registry_app, load_registry
from civitas.registries.ports import AccessRequest, Grant, OpenAccessLog, Operation, Served
from tests.registries.fixtures import (
    BENEFITS,
    POPULATION,
    TAX,
    national_ids,
    small_country,
    small_tables,
)

PEOPLE = 40


class RefusingGuard:
    """Refuses one operation; grants some columns; remembers what it was told."""

    def __init__(self, refuse: Operation | None = None, columns: set[str] | None = None) -> None:
        self.refuse = refuse
        self.columns = frozenset(columns) if columns is not None else None
        self.asked: list[AccessRequest] = []
        self.served: list[tuple[AccessRequest, Served]] = []

    def before(self, request: AccessRequest) -> Grant:
        self.asked.append(request)
        if request.operation is self.refuse:
            raise NotAllowed(N_("Not allowed."), hint=N_("Ask for access."))
        return Grant(self.columns)

    def after(self, request: AccessRequest, served: Served) -> None:
        self.served.append((request, served))


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_country(tmp_path_factory.mktemp("country"), PEOPLE, events=6)


@pytest.fixture
def client_for(country: Path) -> Iterator[object]:
    clients: list[TestClient] = []

    def make(guard: object, definition: object = TAX) -> TestClient:
        data = load_registry(definition, country)  # type: ignore[arg-type]
        app = create_registry_app(data.definition, country, guard, data)  # type: ignore[arg-type]
        clients.append(TestClient(app, raise_server_exceptions=False))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        (Operation.LOOKUP, "/records/{tax_id}"),
        (Operation.LOOKUP, "/people/{national_id}"),
        (Operation.RELATED, "/related/{national_id}"),
        (Operation.EXTRACT, "/extract.parquet"),
        (Operation.CHANGES, "/changes"),
        (Operation.SCHEMA, "/schema"),
    ],
)
def test_a_refusing_guard_stops_the_request_before_data_leaves(
    client_for: object, operation: Operation, path: str
) -> None:
    guard = RefusingGuard(refuse=operation)
    row = small_tables(PEOPLE)["tax"].slice(1, 1).to_pylist()[0]
    url = path.format(tax_id=row["tax_id"], national_id=f"{row['national_id']:09d}")
    response = client_for(guard).get(url)  # type: ignore[operator]
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert response.json()["error"] == "Not allowed."
    assert row["tax_id"] not in response.text
    assert guard.served == []


def test_the_guard_sees_the_identifiers_and_headers_and_hears_what_was_served(
    client_for: object,
) -> None:
    guard = RefusingGuard()
    person = int(national_ids(PEOPLE)[7])
    response = client_for(guard, BENEFITS).get(  # type: ignore[operator]
        f"/people/{person:09d}", headers={"X-Purpose": "child-benefit-check"}
    )
    assert response.status_code == 200
    (request,) = guard.asked
    assert request.registry == "benefits"
    assert request.operation is Operation.LOOKUP
    assert request.identifiers == (f"{person:09d}",)
    assert request.headers["x-purpose"] == "child-benefit-check"
    ((told, served),) = guard.served
    assert told is request
    assert served.record_ids == tuple(r["enrolment_id"] for r in response.json()["records"])
    assert served.rows == 3


def test_a_look_up_by_relation_is_its_own_operation_and_names_whose_records_left(
    client_for: object,
) -> None:
    guard = RefusingGuard(columns={"national_id", "mother_national_id"})
    ids = national_ids(PEOPLE)
    parent = f"{ids[0]:09d}"  # the mother of rows 1 to 5
    response = client_for(guard, POPULATION).get(f"/related/{parent}")  # type: ignore[operator]
    assert response.status_code == 200
    assert [set(r) for r in response.json()["records"]] == [
        {"national_id", "mother_national_id"}
    ] * 5
    (request,) = guard.asked
    assert (request.operation, request.identifiers) == (Operation.RELATED, (parent,))
    ((_told, served),) = guard.served
    assert served.people == tuple(f"{n:09d}" for n in ids[1:6])
    assert (served.rows, served.columns) == (5, ("national_id", "mother_national_id"))


def test_the_guard_hears_of_a_look_up_by_relation_that_found_nobody(client_for: object) -> None:
    guard = RefusingGuard()
    childless = f"{national_ids(PEOPLE)[PEOPLE - 1]:09d}"
    assert client_for(guard, POPULATION).get(f"/related/{childless}").json()["records"] == []  # type: ignore[operator]
    assert guard.served[0][1].rows == 0
    assert guard.served[0][1].people == ()


def test_only_granted_columns_leave_the_node(client_for: object) -> None:
    guard = RefusingGuard(columns={"tax_id", "annual_income"})
    client = client_for(guard)  # type: ignore[operator]
    row = small_tables(PEOPLE)["tax"].slice(2, 1).to_pylist()[0]
    assert set(client.get(f"/records/{row['tax_id']}").json()["record"]) == {
        "tax_id",
        "annual_income",
    }
    extract = pq.read_table(pa.BufferReader(client.get("/extract.parquet").content))
    assert extract.column_names == ["tax_id", "annual_income"]
    refused = client.get("/extract.parquet", params={"columns": "family_name"})
    assert refused.status_code == 403
    assert "family_name" in refused.json()["error"]


def test_the_change_feed_shows_identifiers_only_where_their_columns_are_granted(
    client_for: object,
) -> None:
    without_national_id = client_for(RefusingGuard(columns={"tax_id"}))  # type: ignore[operator]
    events = without_national_id.get("/changes").json()["events"]
    assert events
    assert all(e["national_id"] is None and e["record_id"] for e in events)
    everything = client_for(RefusingGuard())  # type: ignore[operator]
    assert any(e["national_id"] is not None for e in everything.get("/changes").json()["events"])


def test_the_guard_hears_of_an_extract_once_it_is_sent(client_for: object) -> None:
    guard = RefusingGuard()
    client_for(guard).get("/extract.parquet")  # type: ignore[operator]
    ((_request, served),) = guard.served
    assert served.rows == PEOPLE
    assert served.complete


def test_an_unknown_id_is_still_reported_with_nothing_served(client_for: object) -> None:
    guard = RefusingGuard()
    assert client_for(guard).get("/records/TX-123456789").status_code == 404  # type: ignore[operator]
    assert guard.served[0][1] == Served()


def test_the_open_access_log_allows_and_records_every_access(
    client_for: object, caplog: pytest.LogCaptureFixture
) -> None:
    log = OpenAccessLog(keep=2)
    client = client_for(log)  # type: ignore[operator]
    row = small_tables(PEOPLE)["tax"].slice(5, 1).to_pylist()[0]
    with caplog.at_level("INFO", logger="civitas.registries.access"):
        for path in ("/schema", f"/records/{row['tax_id']}", "/changes"):
            assert client.get(path).status_code == 200
    assert [r.request.operation for r in log.records] == [Operation.LOOKUP, Operation.CHANGES]
    assert log.records[0].served.record_ids == (row["tax_id"],)
    assert f"registry=tax operation=lookup asked={row['tax_id']}" in caplog.text
