"""The rules API (/api/v1/rules): variables, calculate and explain, their errors and OpenAPI.

Values are checked on the small rule pack of ``screener_pack.py``, whose amounts are
known; the schemathesis run at the end fuzzes the operations built from the demo
country's own rules.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from httpx2 import Response
from hypothesis import settings

from civitas.app import build_platform, create_app
from civitas.config import Settings
from civitas.rules import load_rules
from tests.rules.screener_pack import write_screener_pack

API = "/api/v1/rules"
FAMILY: dict[str, Any] = {
    "persons": {
        "ana": {
            "birth_date": "1990-05-01",
            "unemployed": True,
            "contribution_months": 24,
            "former_earnings": "1000.00",
        },
        "rui": {"birth_date": "2020-02-10"},
    },
    "households": {
        "home": {"adult": ["ana"], "child": ["rui"], "household_income": "12000.00"},
    },
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The portal with the small rule pack; the API only reads."""
    folder = tmp_path_factory.mktemp("rules-api")
    rules = load_rules(write_screener_pack(folder / "pack"), ("en", "pt"))
    settings = Settings(data_dir=folder / "data", _env_file=None)  # type: ignore[call-arg]
    platform = replace(build_platform(settings), rules=rules)
    with TestClient(create_app(settings, platform), raise_server_exceptions=False) as test:
        yield test


def json_of(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def error_of(response: Response, status: int) -> dict[str, Any]:
    body: dict[str, Any] = json_of(response, status)
    assert set(body) == {"ok", "status", "error", "hint", "errors"}
    assert body["ok"] is False
    assert body["status"] == status
    return body


def problems(body: dict[str, Any]) -> dict[str, str]:
    return {e["path"]: e["message"] for e in body["errors"]}


def calculate(api: TestClient, situation: dict[str, Any], *names: str, **query: str) -> Any:
    body = {"period": "2026-03", "situation": situation, "variables": list(names)}
    return json_of(api.post(f"{API}/calculate", json=body, params=query))


# ---------------------------------------------------------------- variables


def test_variables_lists_inputs_and_formulas_in_the_language_asked(api: TestClient) -> None:
    body = json_of(api.get(f"{API}/variables", params={"lang": "pt"}))
    assert body["lang"] == "pt"
    by_name = {item["name"]: item for item in body["items"]}
    assert body["count"] == len(by_name) == 19
    assert by_name["child_benefit"] == {
        "name": "child_benefit",
        "entity": "household",
        "type": {"kind": "money", "choices": []},
        "period": "month",
        "label": "Abono de família",
        "unit": None,
        "reference": "https://law.example/family-act",
        "is_input": False,
        "service": "child-benefit",
        "question": None,
    }
    assert by_name["tenure"]["type"] == {
        "kind": "enumeration",
        "choices": ["owner", "tenant", "other"],
    }
    assert by_name["tenure"]["question"] == "A sua casa é própria ou arrendada?"
    assert by_name["birth_date"]["period"] == "eternity"


def test_one_variable_shows_what_it_uses_and_the_inputs_it_may_need(api: TestClient) -> None:
    body = json_of(api.get(f"{API}/variables/child_benefit"))
    assert body["uses"] == [
        "eligible_children",
        "has_eligible_children",
        "income_below_child_limit",
    ]
    assert body["inputs"] == ["birth_date", "household_income"]
    assert body["formulas"] == [{"since": None, "ended": False, "reference": ""}]
    assert body["label"] == "Child benefit"


def test_an_unknown_variable_is_not_found_in_the_error_shape(api: TestClient) -> None:
    body = error_of(api.get(f"{API}/variables/child_benefits"), 404)
    assert body["error"] == "There is no variable called child_benefits."
    error_of(api.get(f"{API}/variables/Not-A-Name"), 400)


# ---------------------------------------------------------------- calculate


def test_calculate_gives_exact_values_for_every_member(api: TestClient) -> None:
    body = calculate(
        api, FAMILY, "child_benefit", "unemployment_benefit", "age", "counts_as_child", "tenure"
    )
    assert body["period"] == "2026-03"
    found = body["variables"]
    assert found["child_benefit"] == {
        "entity": "household",
        "type": "money",
        "unit": None,
        "values": {"home": {"value": "165.00", "unknown": False, "needs": []}},
    }
    assert found["unemployment_benefit"]["values"]["ana"]["value"] == "650.00"
    assert found["unemployment_benefit"]["values"]["rui"]["value"] == "0.00"
    assert found["age"]["values"] == {
        "ana": {"value": 35, "unknown": False, "needs": []},
        "rui": {"value": 6, "unknown": False, "needs": []},
    }
    assert found["counts_as_child"]["values"]["rui"]["value"] is True


def test_an_unknown_value_is_null_with_the_inputs_it_still_needs(api: TestClient) -> None:
    situation = {"persons": {"ana": {}}}  # no household given: everyone together
    body = calculate(api, situation, "unemployment_benefit", "tenure")
    value = body["variables"]["unemployment_benefit"]["values"]["ana"]
    assert value["value"] is None
    assert value["unknown"] is True
    assert value["needs"] == [
        {"variable": "birth_date", "entity": "person", "member": "ana", "period": "eternity"},
        {
            "variable": "contribution_months",
            "entity": "person",
            "member": "ana",
            "period": "2026-03",
        },
        {"variable": "unemployed", "entity": "person", "member": "ana", "period": "2026-03"},
    ]
    assert body["variables"]["tenure"]["values"]["household"]["needs"][0]["variable"] == "tenure"


def test_a_false_condition_decides_although_other_inputs_are_missing(api: TestClient) -> None:
    situation = {"persons": {"ana": {"birth_date": "2015-01-01"}}}
    body = calculate(api, situation, "unemployment_benefit")
    assert body["variables"]["unemployment_benefit"]["values"]["ana"] == {
        "value": "0.00",
        "unknown": False,
        "needs": [],
    }


def test_inputs_may_be_given_per_period(api: TestClient) -> None:
    situation = {
        "persons": {
            "ana": {
                "birth_date": "1990-05-01",
                "unemployed": {"2026-03": True, "2026-04": False},
                "contribution_months": 24,
                "former_earnings": {"2026-03": 2000, "2026-04": "2000.00"},
            }
        }
    }
    body = calculate(api, situation, "unemployment_benefit")
    assert body["variables"]["unemployment_benefit"]["values"]["ana"]["value"] == "1300.00"


# ---------------------------------------------------------------- explain


def test_explain_gives_the_tree_with_parameters_and_their_law(api: TestClient) -> None:
    body = json_of(
        api.post(
            f"{API}/explain",
            params={"lang": "pt"},
            json={"period": "2026-03", "situation": FAMILY, "variable": "child_benefit"},
        )
    )
    assert body["lang"] == "pt"
    [tree] = body["explanations"]
    assert tree["variable"] == "child_benefit"
    assert tree["label"] == "Abono de família"
    assert tree["member"] == "home"
    assert tree["value"] == "165.00"
    assert tree["source"] == "formula"
    assert tree["reference"] == "https://law.example/family-act"
    [amount] = tree["parameters"]
    assert amount == {
        "path": "benefits.child_benefit.amount",
        "label": "Montante mensal por criança",
        "value": "165.00",
        "unit": "EUR",
        "since": "2026-01-01",
        "until": None,
        "reference": {"url": "https://law.example/family-act", "article": "Article 7"},
    }
    children = [child["variable"] for child in tree["children"]]
    assert children == ["has_eligible_children", "income_below_child_limit", "eligible_children"]
    income = tree["children"][1]["children"][0]
    assert (income["variable"], income["source"], income["value"]) == (
        "household_income",
        "input",
        "12000.00",
    )


def test_explain_of_each_member_or_of_one(api: TestClient) -> None:
    request = {"period": "2026-03", "situation": FAMILY, "variable": "age"}
    every = json_of(api.post(f"{API}/explain", json=request))
    assert [tree["member"] for tree in every["explanations"]] == ["ana", "rui"]
    one = json_of(api.post(f"{API}/explain", json={**request, "member": "rui"}))
    assert [tree["value"] for tree in one["explanations"]] == [6]


def test_explain_of_someone_not_in_the_situation_is_not_found(api: TestClient) -> None:
    request = {"period": "2026-03", "situation": FAMILY, "variable": "age", "member": "eva"}
    body = error_of(api.post(f"{API}/explain", json=request), 404)
    assert body["error"] == "There is no person called 'eva' in the situation."


def test_explain_says_what_an_unknown_value_still_needs(api: TestClient) -> None:
    request = {
        "period": "2026-03",
        "situation": {"persons": {"ana": {}}},
        "variable": "counts_as_child",
    }
    [tree] = json_of(api.post(f"{API}/explain", json=request))["explanations"]
    assert tree["value"] is None
    assert tree["unknown"] is True
    assert tree["needs"] == [
        {"variable": "birth_date", "entity": "person", "member": "ana", "period": "eternity"}
    ]


# ---------------------------------------------------------------- what cannot be used


def test_bad_fields_are_listed_with_their_paths(api: TestClient) -> None:
    request = {
        "period": "2026-13",
        "situation": {
            "persons": {
                "ana": {"birth_date": "1990-02-30", "nope": 1, "household_income": "1.00"},
                "rui": {"unemployed": "yes", "former_earnings": 12.5},
            }
        },
        "variables": ["child_benefit", "child_benfit"],
    }
    body = error_of(api.post(f"{API}/calculate", json=request), 400)
    assert body["error"] == "Some of what you sent cannot be used."
    found = problems(body)
    assert found["body.period"] == "Expected a month from 1900-01 to 2100-12, such as 2026-03."
    assert found["body.situation.persons.ana.birth_date"].startswith("Expected a date such as")
    assert found["body.situation.persons.ana.nope"] == "Extra inputs are not permitted"
    assert "body.situation.persons.ana.household_income" in found  # a household's, not a person's
    assert found["body.situation.persons.rui.unemployed"].startswith("Expected true or false.")
    assert found["body.situation.persons.rui.former_earnings"].startswith("Expected an amount")
    assert found["body.variables.1"].startswith("No rule has a variable with this name")
    assert "body.variables.0" not in found


def test_who_belongs_to_which_household_is_checked_with_paths(api: TestClient) -> None:
    situation = {
        "persons": {"ana": {}, "rui": {}},
        "households": {"home": {"adult": ["ana", "eva"]}, "other": {"child": ["ana"]}},
    }
    request = {"period": "2026-03", "situation": situation, "variables": ["age"]}
    body = error_of(api.post(f"{API}/calculate", json=request, params={"lang": "pt"}), 400)
    assert body["error"] == "A situação tem 3 problema(s)."
    assert problems(body) == {
        "body.situation.households.home.adult": "'eva' is not one of the persons.",
        "body.situation.households.other.child": (
            "'ana' is already in 'home'; a person is in one group of each kind."
        ),
        "body.situation.households": "The person 'rui' is in no household; add them to one.",
    }


def test_too_many_persons_or_variables_are_refused(api: TestClient) -> None:
    persons = {f"p{number}": {} for number in range(51)}
    request = {"period": "2026-03", "situation": {"persons": persons}, "variables": ["age"]}
    assert "body.situation.persons" in problems(
        error_of(api.post(f"{API}/calculate", json=request), 400)
    )
    request = {"period": "2026-03", "situation": FAMILY, "variables": []}
    assert "body.variables" in problems(error_of(api.post(f"{API}/calculate", json=request), 400))


def test_a_body_that_is_not_json_is_a_field_error_not_a_crash(api: TestClient) -> None:
    response = api.post(
        f"{API}/calculate", content=b"{not json", headers={"content-type": "application/json"}
    )
    error_of(response, 400)


def test_a_body_above_the_size_limit_is_refused_in_the_error_shape(api: TestClient) -> None:
    huge = {"period": "2026-03", "situation": {"persons": {"a": {}}}, "variables": ["age"] * 10}
    huge["padding"] = "x" * 1_100_000
    body = error_of(api.post(f"{API}/calculate", json=huge), 413)
    assert body["error"] == "What you sent is too large."


# ---------------------------------------------------------------- OpenAPI


def test_openapi_describes_the_rules_operations_and_their_situation(api: TestClient) -> None:
    schema = json_of(api.get("/api/v1/openapi.json"))
    paths = schema["paths"]
    assert set(paths[f"{API}/variables"]) == {"get"}
    assert set(paths[f"{API}/variables/{{name}}"]) == {"get"}
    for operation in ("calculate", "explain"):
        post = paths[f"{API}/{operation}"]["post"]
        assert post["requestBody"]["required"] is True
        assert {"200", "400", "404", "413"} <= set(post["responses"])
        assert "422" not in post["responses"]
    models = schema["components"]["schemas"]
    person = models["PersonInputs"]["properties"]
    assert person["birth_date"]["anyOf"][0] == {
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    }
    assert models["PersonInputs"]["additionalProperties"] is False
    household = models["HouseholdMembers"]["properties"]
    assert household["tenure"]["anyOf"][0] == {
        "type": "string",
        "enum": ["owner", "tenant", "other"],
    }
    assert household["adult"]["type"] == "array"
    assert "child_benefit" in models["CalculateRequest"]["properties"]["variables"]["items"]["enum"]


# ---------------------------------------------------------------- schemathesis on the demo rules

# Loaded at import, as tests/catalogue/test_api_schemathesis.py explains. The rules
# operations are built from the demo pack's rules, so their schema lists its variables.
_DATA_DIR = Path(tempfile.mkdtemp(prefix="civitas-rules-api-"))
_APP = create_app(Settings(data_dir=_DATA_DIR, _env_file=None))  # type: ignore[call-arg]
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP).include(path_regex=f"^{API}/")


@pytest.fixture(scope="module", autouse=True)
def _remove_the_data_dir() -> Iterator[None]:
    yield
    _APP.state.platform.engine.dispose()
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=60, deadline=None)
def test_the_rules_operations_keep_their_openapi_promises(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_real_household_matches_the_openapi_of_calculate_and_explain(language: str) -> None:
    rules = _APP.state.platform.rules
    situation = {
        "persons": {
            "ana": {"birth_date": "1985-04-02", "monthly_income": "950.00"},
            "rui": {"birth_date": "2024-11-20", "school_level": "childcare"},
        },
        "households": {"home": {"adult": ["ana"], "child": ["rui"], "tenure": "renter"}},
    }
    benefits = [b.name for b in rules.benefits()]
    calculated = schema[f"{API}/calculate"]["POST"].Case(
        body={"period": "2026-03", "situation": situation, "variables": benefits},
        query={"lang": language},
    )
    assert calculated.call_and_validate().status_code == 200
    for name in benefits:
        explained = schema[f"{API}/explain"]["POST"].Case(
            body={"period": "2026-03", "situation": situation, "variable": name},
            query={"lang": language},
        )
        assert explained.call_and_validate().status_code == 200
