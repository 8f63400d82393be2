"""exchange.yaml: the demo pack's loads and agrees with its organisations and registries;
every problem is reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from civitas.catalogue import load_catalogue
from civitas.config import DEMO_PACK
from civitas.exchange import ExchangeInvalid, Right, load_exchange
from civitas.exchange.addresses import parse_service_path
from civitas.registries import load_registry_definitions
from civitas.registries.exchange_guard import exchange_data_items

COUNTRY = "id: test\nlanguages: [en, pt]\n"
GOOD = """\
instance: TST
members:
  - code: agency-a
    subsystems:
      - code: register
        services: [person]
  - code: agency-b
    member_class: COM
    subsystems:
      - code: desk
purposes:
  - id: checking
    label: {en: Checking, pt: Verificar}
    legal_basis:
      kind: law
      text: {en: Act 1, pt: Lei 1}
      url: https://laws.example/act-1
rights:
  - client: agency-b/desk
    services: [agency-a/register/person]
    purposes: [checking]
    columns: [name]
"""


def pack(tmp_path: Path, text: str) -> Path:
    (tmp_path / "country.yaml").write_text(COUNTRY, encoding="utf-8")
    (tmp_path / "exchange.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, text: str, **kwargs: object) -> list[str]:
    with pytest.raises(ExchangeInvalid) as refused:
        load_exchange(pack(tmp_path, text), **kwargs)  # type: ignore[arg-type]
    return [f"{e.location()}: {e.message}" for e in refused.value.errors]


def test_the_demo_exchange_names_real_organisations_and_registry_columns() -> None:
    organisations = load_catalogue(DEMO_PACK).organisations
    items = exchange_data_items(load_registry_definitions(DEMO_PACK))
    setup = load_exchange(DEMO_PACK, organisations=organisations, data_items=items)
    assert setup.instance == "VLD"
    for registry in load_registry_definitions(DEMO_PACK):
        assert setup.subsystem(registry.organisation, registry.id) is not None
    portal = setup.portal
    assert str(portal) == "VLD/GOV/civil-registry/portal"
    tax = parse_service_path("/r1/VLD/GOV/tax-authority/tax/person")
    assert setup.right(portal, tax, "own-data") == Right(columns=None)
    assert setup.purposes_allowed(portal, tax) == ("own-data", "prefill-application")


def test_the_proactive_services_ask_as_a_civil_registry_subsystem_for_their_own_purpose() -> None:
    setup = load_exchange(DEMO_PACK)
    worker = setup.subsystem("civil-registry", "proactive")
    assert str(worker) == "VLD/GOV/civil-registry/proactive"
    purpose = setup.purposes["proactive-services"]
    assert purpose.label["en"] == (
        "Find and give you the benefits you are entitled to, without you asking"
    )
    assert purpose.label["pt"].startswith("Encontrar e atribuir-lhe as prestações")
    assert purpose.legal_basis.kind.value == "law"
    assert purpose.legal_basis.url == (
        "https://legislacao.gov.vd.example/once-only-data-sharing-act-2022#article-12"
    )
    assert purpose.legal_basis.text["en"] == (
        "Once-Only Data Sharing Act 2022, article 12 (services without asking)"
    )
    rights = {s: r for (c, s, p), r in setup.rights.items() if c == "civil-registry/proactive"}
    assert {p for (c, _s, p) in setup.rights if c == "civil-registry/proactive"} == {
        "proactive-services"
    }
    children = rights["civil-registry/population/related"].columns
    assert children is not None
    assert {"mother_national_id", "birth_date"} <= children
    homes = rights["civil-registry/addresses/person"].columns
    assert homes is not None
    assert {"tenure", "monthly_rent_cents", "household_size"} <= homes
    assert all(r.columns is not None and not r.may_hide for r in rights.values())  # never all


def test_a_small_exchange_loads_with_its_member_classes(tmp_path: Path) -> None:
    setup = load_exchange(pack(tmp_path, GOOD), data_items={"agency-a/register/person": ["name"]})
    desk = setup.subsystem("agency-b", "desk")
    assert str(desk) == "TST/COM/agency-b/desk"
    assert setup.address("agency-a/register/data-use", "1") is not None  # offered by everyone
    assert setup.address("agency-a/register/nothing") is None


def test_problems_name_the_file_line_and_field(tmp_path: Path) -> None:
    broken = (
        GOOD.replace("purposes: [checking]", "purposes: [checking, spying]")
        .replace("columns: [name]", "columns: [name, salary]")
        .replace("pt: Verificar", "pt: ''")
        .replace("services: [person]", "services: [person, data-use]")
    )
    found = problems(
        tmp_path,
        broken,
        organisations=["agency-a"],
        data_items={"agency-a/register/person": ["name"]},
    )
    assert found == [
        "exchange.yaml:6: members[0].subsystems[0].services[1]: "
        "Every subsystem offers 'data-use' already; remove it.",
        "exchange.yaml:7: members[1].code: 'agency-b' names no organisation in organisations.yaml.",
        "exchange.yaml:13: purposes[0].label: The 'pt' text is missing or empty.",
        "exchange.yaml:21: rights[0].purposes[1]: 'spying' is no purpose listed above.",
        "exchange.yaml:22: rights[0].columns[1]: "
        "agency-a/register/person has no data item 'salary'.",
    ]


def test_rights_must_name_declared_parties_and_not_repeat(tmp_path: Path) -> None:
    repeated = GOOD + GOOD[GOOD.index("  - client") :].replace("[name]", "all")
    assert problems(tmp_path, repeated) == [
        "exchange.yaml:24: rights[1].services[0]: Right number 1 already lets agency-b/desk call "
        "agency-a/register/person for 'checking'."
    ]
    assert problems(tmp_path, GOOD.replace("client: agency-b/desk", "client: agency-b/x")) == [
        "exchange.yaml:19: rights[0].client: 'agency-b/x' is no member/subsystem declared under "
        "members."
    ]


def test_the_portal_must_be_a_declared_subsystem(tmp_path: Path) -> None:
    assert problems(
        tmp_path, GOOD.replace("instance: TST", "instance: TST\nportal: agency-b/web")
    ) == ["exchange.yaml:2: portal: 'agency-b/web' is no member/subsystem declared above."]


def test_a_right_without_columns_must_say_all(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("    columns: [name]\n", ""))
    assert found == [
        "exchange.yaml:19: rights[0].columns: List the data items of agency-a/register/person "
        "this right gives, or 'all'."
    ]


def test_unknown_fields_and_bad_yaml_are_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD.replace("instance: TST", "instance: TST\ninstanse: x")) == [
        "exchange.yaml:2: instanse: Unknown field. Check its spelling against "
        "docs/reference/country-pack.md, or remove it."
    ]
    assert problems(tmp_path, "members: [")[0].startswith("exchange.yaml:1: This is not valid YAML")


def test_a_pack_without_exchange_yaml_says_so(tmp_path: Path) -> None:
    (tmp_path / "country.yaml").write_text(COUNTRY, encoding="utf-8")
    with pytest.raises(ExchangeInvalid) as refused:
        load_exchange(tmp_path)
    assert refused.value.errors[0].location() == "exchange.yaml"
    assert "missing from the pack" in refused.value.errors[0].message
