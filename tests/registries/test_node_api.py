"""The HTTP API of a registry node: look-ups, extract, schema, and the one error shape."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from civitas.registries.node import create_registry_app
from civitas.registries.services import money_text
from tests.registries.fixtures import BENEFITS, POPULATION, TAX, national_ids, small_country
from tests.registries.fixtures import small_tables as tables

PEOPLE = 60


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_country(tmp_path_factory.mktemp("country"), PEOPLE, events=12)


@pytest.fixture(scope="module")
def tax(country: Path) -> Iterator[TestClient]:
    with TestClient(create_registry_app(TAX, country), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def benefits(country: Path) -> Iterator[TestClient]:
    app = create_registry_app(BENEFITS, country)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def population(country: Path) -> Iterator[TestClient]:
    app = create_registry_app(POPULATION, country)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_error_shape(body: dict[str, object], status: int) -> None:
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str)
    assert body["error"]
    assert isinstance(body["hint"], str)
    assert body["hint"]
    assert isinstance(body["errors"], list)


def test_the_root_describes_the_registry(tax: TestClient) -> None:
    body = tax.get("/").json()
    assert body["id"] == "tax"
    assert body["owner"] == "tax-authority"
    assert body["rows"] == PEOPLE
    assert body["changes"] == 12
    assert body["period"] == 3
    assert body["as_of"] == "2025-04-01"


def test_the_schema_lists_columns_types_descriptions_and_ids(tax: TestClient) -> None:
    body = tax.get("/schema").json()
    assert [c["name"] for c in body["columns"]] == list(TAX.column_names)
    income = next(c for c in body["columns"] if c["name"] == "annual_income")
    assert income["type"] == "money"
    assert income["description"]["en"]
    assert body["record_id"] == "tax_id"
    assert body["national_id"] == "national_id"
    assert body["id_example"] == "TX-123456789"


def test_a_record_is_served_with_money_as_a_decimal_string_and_iso_dates(
    tax: TestClient, benefits: TestClient
) -> None:
    expected = tables(PEOPLE)["tax"].slice(3, 1).to_pylist()[0]
    body = tax.get(f"/records/{expected['tax_id']}").json()
    assert body["record"] == {**expected, "annual_income": money_text(expected["annual_income"])}
    assert body["record"]["annual_income"] == "37.07"
    enrolment = tables(PEOPLE)["benefits"].slice(0, 1).to_pylist()[0]
    served = benefits.get(f"/records/{enrolment['enrolment_id'].lower()}").json()["record"]
    assert served["start_date"] == enrolment["start_date"].isoformat()


def test_all_records_of_a_person_are_served(benefits: TestClient) -> None:
    person = f"{national_ids(PEOPLE)[11]:09d}"  # 11 % 4 = 3 enrolments
    body = benefits.get(f"/people/{person}").json()
    assert body["national_id"] == person
    assert len(body["records"]) == 3
    assert {r["national_id"] for r in body["records"]} == {int(person)}


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/records/TX-12345", 400, "is not written like an identifier"),
        ("/records/BN-100000185", 400, "is not written like an identifier"),
        ("/records/TX-100000186", 400, "wrong check digit"),
        ("/records/TX-123456789", 404, "No record of the tax registry has the id TX-123456789"),
        ("/people/12345678X", 400, "is not written like an identifier"),
        ("/people/123456788", 400, "wrong check digit"),
        ("/people/123456789", 404, "holds no record of the person 123456789"),
        ("/records/" + "9" * 41, 400, "cannot be used"),
        ("/no-such-thing", 404, "cannot find"),
    ],
)
def test_bad_and_unknown_ids_get_the_one_error_shape(
    tax: TestClient, path: str, status: int, words: str
) -> None:
    response = tax.get(path)
    assert response.status_code == status
    assert_error_shape(response.json(), status)
    assert words in response.json()["error"]


def test_a_malformed_id_names_the_field(tax: TestClient) -> None:
    errors = tax.get("/records/TX-12345").json()["errors"]
    assert errors == [{"path": "path.record_id", "message": "Malformed identifier."}]


def test_the_extract_round_trips_through_parquet(tax: TestClient) -> None:
    response = tax.get("/extract.parquet")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    assert pq.read_table(pa.BufferReader(response.content)).equals(tables(PEOPLE)["tax"])


def test_the_extract_can_be_limited_to_some_columns(tax: TestClient) -> None:
    response = tax.get("/extract.parquet", params={"columns": "national_id,tax_id"})
    table = pq.read_table(pa.BufferReader(response.content))
    assert table.column_names == ["national_id", "tax_id"]
    assert table.num_rows == PEOPLE


def test_an_extract_of_unknown_columns_is_refused(tax: TestClient) -> None:
    response = tax.get("/extract.parquet", params={"columns": "tax_id,salary"})
    assert response.status_code == 400
    assert_error_shape(response.json(), 400)
    assert "no column salary" in response.json()["error"]
    assert "annual_income" in response.json()["hint"]


def test_the_openapi_describes_every_operation(tax: TestClient) -> None:
    spec = tax.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/",
        "/schema",
        "/records/{record_id}",
        "/people/{national_id}",
        "/related/{national_id}",
        "/extract.parquet",
        "/changes",
    }
    assert "404" in spec["paths"]["/records/{record_id}"]["get"]["responses"]
    assert tax.get("/docs").status_code == 200


def test_the_population_node_finds_a_person_by_either_path(country: Path) -> None:
    with TestClient(create_registry_app(POPULATION, country)) as client:
        person = f"{national_ids(PEOPLE)[2]:09d}"
        record = client.get(f"/records/{person}").json()["record"]
        assert client.get(f"/people/{person}").json()["records"] == [record]
        assert record["citizen_number"] == person


def test_a_parent_s_children_are_served_by_relation(population: TestClient) -> None:
    ids = national_ids(PEOPLE)
    parent = f"{ids[2]:09d}"  # the first parent of rows 6 to 11
    response = population.get(f"/related/{parent}")
    assert response.status_code == 200
    body = response.json()
    assert (body["registry"], body["national_id"]) == ("population", parent)
    assert [r["national_id"] for r in body["records"]] == ids[6:12].tolist()
    assert {r["mother_national_id"] for r in body["records"]} == {int(parent)}
    first_child = tables(PEOPLE)["population"].slice(6, 1).to_pylist()[0]
    assert body["records"][0]["birth_date"] == first_child["birth_date"].isoformat()


def test_a_person_without_children_gets_an_empty_list_not_an_error(
    population: TestClient,
) -> None:
    childless = f"{national_ids(PEOPLE)[PEOPLE - 1]:09d}"
    response = population.get(f"/related/{childless}")
    assert response.status_code == 200
    assert response.json()["records"] == []


@pytest.mark.parametrize(
    ("path", "words", "field_message"),
    [
        ("/related/12345678X", "is not written like an identifier", "Malformed identifier."),
        ("/related/123456788", "wrong check digit", "Wrong check digit."),
    ],
)
def test_a_malformed_id_asked_by_relation_is_refused_naming_the_field(
    population: TestClient, path: str, words: str, field_message: str
) -> None:
    response = population.get(path)
    assert response.status_code == 400
    assert_error_shape(response.json(), 400)
    assert words in response.json()["error"]
    assert response.json()["errors"] == [{"path": "path.national_id", "message": field_message}]


def test_a_registry_without_related_by_columns_says_it_keeps_no_relations(
    tax: TestClient,
) -> None:
    response = tax.get(f"/related/{national_ids(PEOPLE)[2]:09d}")
    assert response.status_code == 404
    assert_error_shape(response.json(), 404)
    assert response.json()["error"] == "The tax registry cannot look people up by relation."
    assert "/people/" in response.json()["hint"]


def test_the_schema_names_the_columns_a_look_up_by_relation_searches(
    population: TestClient, tax: TestClient
) -> None:
    assert population.get("/schema").json()["related_by"] == [
        "mother_national_id",
        "father_national_id",
    ]
    assert tax.get("/schema").json()["related_by"] == []


def test_a_serving_node_keeps_what_it_loaded_out_of_the_collectors_way(country: Path) -> None:
    with TestClient(create_registry_app(TAX, country)):
        assert gc.get_freeze_count() > 0  # full collections skip it: no pause in answers
    assert gc.get_freeze_count() == 0  # given back when the node stops
