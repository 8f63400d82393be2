"""A node with the exchange on answers only verified calls, gives each the columns its
right grants, and logs every data use; plain routes are refused whatever they claim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.core.errors import InvalidInput
from civitas.exchange import Consumer, Outgoing, Provider, ensure_keys, load_exchange
from civitas.registries import load_registry_definitions
from civitas.registries.exchange_guard import ROUTES, exchange_data_items, exchange_services
from civitas.registries.inbox_web import INBOX_ROUTES
from civitas.registries.node import create_registry_app
from tests.exchange.support import BENEFITS, NOW, consumer, provider
from tests.registries.fixtures import national_ids, registry_table, write_country

DEFINITIONS = {d.id: d for d in load_registry_definitions(DEMO_PACK)}
PEOPLE = 20
PERSON = f"{national_ids(PEOPLE)[3]:09d}"


RELATIVES = (
    "national_id",
    "first_name",
    "family_name",
    "birth_date",
    "death_date",
    "mother_national_id",
    "father_national_id",
)


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tax = registry_table(DEFINITIONS["tax"], national_ids(PEOPLE))
    population = registry_table(DEFINITIONS["population"], national_ids(PEOPLE))
    return write_country(tmp_path_factory.mktemp("country"), {"tax": tax, "population": population})


@pytest.fixture
def node(
    tmp_path: Path, country: Path
) -> Iterator[tuple[TestClient, Provider, Consumer, FixedClock]]:
    data = tmp_path / "data"
    ensure_keys(data, load_exchange(DEMO_PACK).member_codes)
    clock = FixedClock(NOW)
    gate, portal = provider(data, clock), consumer(data, clock)
    app = create_registry_app(DEFINITIONS["tax"], country, exchange=gate)
    with TestClient(app, raise_server_exceptions=False) as client:  # stopping it seals the log
        yield client, gate, portal, clock
    portal.close()


def send(client: TestClient, outgoing: Outgoing) -> Any:
    return client.get(outgoing.target, headers=outgoing.headers)


def uses(gate: Provider) -> list[dict[str, Any]]:
    return [e for _o, e in gate.messages.entries() if e["kind"] == "use"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/schema",
        f"/people/{PERSON}",
        f"/related/{PERSON}",
        "/records/TX-100000290",
        "/extract.parquet",
        "/changes",
    ],
)
def test_plain_routes_are_refused_even_with_exchange_headers(
    node: tuple[TestClient, Provider, Consumer, FixedClock], path: str
) -> None:
    client, _gate, portal, _clock = node
    forged = portal.prepare(
        "tax-authority/tax/person", PERSON, purpose="own-data", user="u", case="c"
    )
    response = client.get(path, headers={**forged.headers, "X-Civitas-Verified": "yes"})
    assert response.status_code == 403
    assert (
        response.json()["error"] == "The tax registry answers only through the once-only exchange."
    )
    assert "/r1/VLD/GOV/tax-authority/tax/person/<national id>" in response.json()["hint"]


def test_a_verified_call_gets_the_columns_of_its_right_and_the_use_is_logged(
    node: tuple[TestClient, Provider, Consumer, FixedClock],
) -> None:
    client, gate, portal, _clock = node
    everything = send(
        client,
        portal.prepare(
            "tax-authority/tax/person", PERSON, purpose="own-data", user="VLD1", case="c-1"
        ),
    )
    assert set(everything.json()["records"][0]) == set(DEFINITIONS["tax"].column_names)
    prefill = portal.prepare(
        "tax-authority/tax/person", PERSON, purpose="prefill-application", user="VLD1", case="c-2"
    )
    response = send(client, prefill)
    assert response.status_code == 200
    assert set(response.json()["records"][0]) == {
        "national_id",
        "income_source",
        "annual_income_cents",
    }
    use = uses(gate)[-1]
    assert use["people"] == [PERSON]
    assert use["columns"] == ["national_id", "income_source", "annual_income_cents"]
    assert (use["purpose"], use["case"], use["user"], use["organisation"]) == (
        "prefill-application",
        "c-2",
        "VLD1",
        "civil-registry",
    )
    assert use["legal_basis"].endswith("#article-5")
    assert use["hide_until"] is None


def test_a_person_the_registry_does_not_know_is_not_a_data_use(
    node: tuple[TestClient, Provider, Consumer, FixedClock],
) -> None:
    client, gate, portal, _clock = node
    unknown = portal.prepare(
        "tax-authority/tax/person", "123456789", purpose="own-data", user="u", case="c"
    )
    response = send(client, unknown)
    assert (response.status_code, response.headers["x-road-error"]) == (404, "Service.NotFound")
    assert uses(gate) == []


def test_a_hidden_use_is_logged_with_its_date(
    node: tuple[TestClient, Provider, Consumer, FixedClock],
    tmp_path: Path,
) -> None:
    client, gate, _portal, clock = node
    benefits = consumer(tmp_path / "data", clock, BENEFITS)
    try:
        outgoing = benefits.prepare(
            "tax-authority/tax/person",
            PERSON,
            purpose="fraud-investigation",
            user="inspector-7",
            case="inquiry-3",
            hide_until=dt.date(2025, 6, 1),
        )
        response = send(client, outgoing)
        assert response.status_code == 200
        assert set(response.json()["records"][0]) == {
            "national_id",
            "income_source",
            "annual_income_cents",
            "street",
            "postcode",
            "municipality",
        }
    finally:
        benefits.close()
    assert uses(gate)[-1]["hide_until"] == "2025-06-01"


def test_a_node_refuses_the_exchange_identity_of_another_registry(
    tmp_path: Path, country: Path
) -> None:
    data = tmp_path / "data"
    ensure_keys(data, load_exchange(DEMO_PACK).member_codes)
    population = provider(data, FixedClock(NOW), ("civil-registry", "population"))
    try:
        with pytest.raises(InvalidInput, match="served as tax-authority/tax in the exchange"):
            create_registry_app(DEFINITIONS["tax"], country, exchange=population)
    finally:
        population.close()


def test_every_registry_of_the_demo_pack_is_an_exchange_subsystem() -> None:
    items = exchange_data_items(DEFINITIONS.values())
    setup = load_exchange(DEMO_PACK, data_items=items)
    for definition in DEFINITIONS.values():
        assert setup.address(f"{definition.organisation}/{definition.id}/person") is not None


def test_a_registry_subsystem_offers_only_services_its_node_serves() -> None:
    setup = load_exchange(DEMO_PACK)
    for definition in DEFINITIONS.values():
        member = setup.members[definition.organisation]
        (subsystem,) = (s for s in member.subsystems if s.code == definition.id)
        looked_up = set(subsystem.services) - set(INBOX_ROUTES)  # the inbox serves the rest
        assert looked_up == set(exchange_services(definition)), definition.id
        assert set(subsystem.services) <= set(ROUTES)
    assert exchange_services(DEFINITIONS["population"]) == ("person", "related", "changes")
    assert exchange_services(DEFINITIONS["tax"]) == ("person", "changes")
    assert "civil-registry/population/related" in exchange_data_items(DEFINITIONS.values())
    assert "tax-authority/tax/related" not in exchange_data_items(DEFINITIONS.values())
    assert "business-agency/business/changes" in exchange_data_items(DEFINITIONS.values())


@pytest.fixture
def population_node(
    tmp_path: Path, country: Path
) -> Iterator[tuple[TestClient, Provider, Consumer]]:
    data = tmp_path / "data"
    ensure_keys(data, load_exchange(DEMO_PACK).member_codes)
    clock = FixedClock(NOW)
    gate = provider(data, clock, ("civil-registry", "population"))
    portal = consumer(data, clock)
    app = create_registry_app(DEFINITIONS["population"], country, exchange=gate)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, gate, portal
    portal.close()


def test_a_look_up_by_relation_gets_its_rights_columns_and_each_child_sees_the_use(
    population_node: tuple[TestClient, Provider, Consumer],
) -> None:
    client, gate, portal = population_node
    parent = f"{national_ids(PEOPLE)[0]:09d}"  # the mother of rows 1 to 5
    response = send(
        client,
        portal.prepare(
            "civil-registry/population/related",
            parent,
            purpose="representation",
            user=f"VLD{parent}",
            case="acting-for-1",
        ),
    )
    assert response.status_code == 200
    children = [f"{n:09d}" for n in national_ids(PEOPLE)[1:6]]
    records = response.json()["records"]
    assert [f"{r['national_id']:09d}" for r in records] == children
    assert set(records[0]) == set(RELATIVES)
    use = uses(gate)[-1]
    assert use["people"] == [parent, *children]
    assert (use["service"], use["purpose"], use["rows"]) == (
        "civil-registry/population/related",
        "representation",
        5,
    )
    assert use["columns"] == list(RELATIVES)


def test_a_right_to_look_a_person_up_is_no_right_to_look_up_by_relation(
    population_node: tuple[TestClient, Provider, Consumer],
) -> None:
    client, gate, portal = population_node
    parent = f"{national_ids(PEOPLE)[0]:09d}"
    own = portal.prepare(
        "civil-registry/population/related", parent, purpose="own-data", user="u", case="c"
    )
    refused = send(client, own)
    assert (refused.status_code, refused.headers["x-road-error"]) == (403, "Server.AccessDenied")
    assert (
        "may not call civil-registry/population/related for the purpose 'own-data'"
        in (refused.json()["error"])
    )
    assert "representation" in refused.json()["hint"]
    assert uses(gate) == []
