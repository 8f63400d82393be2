"""The pack's parameters folder: the demo loads, and each mistake names its file, line and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from civitas.config import DEMO_PACK
from civitas.rules import ParametersInvalid, Scale, load_parameters

GOOD = """\
label:
  en: Birth grant
  pt: Subsídio de nascimento
type: amount
unit: EUR
reference:
  url: https://legislacao.gov.vd.example/family-benefits-act-2018
values:
  - since: 2024-01-01
    value: 500.00
  - since: 2026-01-01
    value: 750.00
"""


def pack_with(tmp_path: Path, files: dict[str, str]) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir(parents=True)
    (pack / "country.yaml").write_text("languages: [en, pt]\n", encoding="utf-8")
    for name, text in files.items():
        path = pack / "parameters" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pack


def problems(pack: Path) -> list[str]:
    with pytest.raises(ParametersInvalid) as raised:
        load_parameters(pack)
    return [f"{error.location()}: {error.message}" for error in raised.value.errors]


def test_the_demo_pack_parameters_load() -> None:
    tree = load_parameters(DEMO_PACK)
    paths = {leaf.path for leaf in tree.leaves()}
    assert {
        "benefits.child_benefit.amount_by_income",
        "benefits.birth_grant",
        "benefits.parental_allowance.rate",
        "benefits.parental_allowance.monthly_ceiling",
        "benefits.childcare_subsidy.share_of_fee",
        "benefits.unemployment_benefit.minimum_contribution_months",
        "benefits.minimum_income.child",
        "pensions.pension_supplement.income_threshold",
        "housing.housing_allowance.monthly_cap",
        "energy.social_energy_tariff.income_threshold",
        "education.free_school_meals.income_threshold",
        "tax.income_tax.rates",
    } <= paths
    for leaf in tree.leaves():
        assert set(leaf.label) == {"en", "pt"}
        assert leaf.reference.url.startswith("https://legislacao.gov.vd.example/")


def test_demo_child_benefit_changes_on_the_reform_day() -> None:
    tree = load_parameters(DEMO_PACK)
    before = tree.at("benefits.child_benefit.amount_by_income", date(2025, 12, 31))
    after = tree.at("benefits.child_benefit.amount_by_income", date(2026, 1, 1))
    assert isinstance(before.calc(Decimal("12000.00")), Decimal)
    assert before.calc(Decimal("12000.00")) == Decimal("110.00")
    assert after.calc(Decimal("12000.00")) == Decimal("165.00")
    assert "as amended" in after.provenance.reference.article


def test_a_file_that_is_one_parameter_takes_the_files_path(tmp_path: Path) -> None:
    tree = load_parameters(pack_with(tmp_path, {"benefits/birth_grant.yaml": GOOD}))
    found = tree.at("benefits.birth_grant", date(2026, 1, 1))
    assert found.value == Decimal("750.00")
    assert found.provenance.source == "parameters/benefits/birth_grant.yaml:11"


def test_keys_inside_a_file_extend_its_path_and_groups_keep_their_label(tmp_path: Path) -> None:
    nested = "label:\n  en: Family\n  pt: Família\ngrant:\n" + "".join(
        f"  {line}\n" for line in GOOD.splitlines()
    )
    tree = load_parameters(pack_with(tmp_path, {"benefits/family.yaml": nested}))
    assert tree.at("benefits.family.grant", date(2025, 1, 1)).value == Decimal("500.00")
    assert tree.find("benefits.family").label == {"en": "Family", "pt": "Família"}


def test_a_pack_without_parameters_has_an_empty_tree(tmp_path: Path) -> None:
    assert load_parameters(pack_with(tmp_path, {})).children == ()


def test_an_unknown_field_names_its_file_line_and_path(tmp_path: Path) -> None:
    text = GOOD.replace("unit: EUR", "unti: EUR")
    found = problems(pack_with(tmp_path, {"grant.yaml": text}))
    assert found[0].startswith("parameters/grant.yaml:5: unti: Unknown field.")


def test_values_out_of_date_order_are_reported(tmp_path: Path) -> None:
    text = GOOD.replace("2026-01-01", "2023-01-01")
    assert problems(pack_with(tmp_path, {"grant.yaml": text})) == [
        "parameters/grant.yaml:11: values[1].since: The values must be in date order: "
        "2023-01-01 comes before 2024-01-01."
    ]


def test_two_values_on_the_same_date_are_reported(tmp_path: Path) -> None:
    text = GOOD.replace("2026-01-01", "2024-01-01")
    assert problems(pack_with(tmp_path, {"grant.yaml": text})) == [
        "parameters/grant.yaml:11: values[1].since: Another value already starts on "
        "2024-01-01; keep one."
    ]


def test_a_scale_whose_thresholds_decrease_is_reported(tmp_path: Path) -> None:
    scale = """\
label: {en: Tax, pt: Imposto}
scale: marginal_rate
reference: {url: "https://legislacao.gov.vd.example/general-tax-code-2015"}
values:
  - since: 2025-01-01
    brackets:
      - {threshold: 0, rate: 0.1}
      - {threshold: 9000, rate: 0.2}
      - {threshold: 8000, rate: 0.3}
"""
    assert problems(pack_with(tmp_path, {"tax.yaml": scale})) == [
        "parameters/tax.yaml:9: values[0].brackets[2].threshold: Thresholds must increase: "
        "8000 is not above 9000."
    ]


def test_a_missing_translation_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("  pt: Subsídio de nascimento\n", "")
    assert problems(pack_with(tmp_path, {"grant.yaml": text})) == [
        "parameters/grant.yaml:1: label: The 'pt' translation is missing or empty; write it."
    ]


def test_a_legal_reference_that_is_not_a_web_address_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace(
        "https://legislacao.gov.vd.example/family-benefits-act-2018", "Family Benefits Act"
    )
    found = problems(pack_with(tmp_path, {"grant.yaml": text}))
    assert found == [
        "parameters/grant.yaml:7: reference.url: 'Family Benefits Act' is not a web address; "
        "write the law's full address, starting with https://."
    ]


def test_every_problem_in_every_file_is_reported_together(tmp_path: Path) -> None:
    files = {
        "a.yaml": GOOD.replace("value: 500.00", "value: 500.005"),
        "b/c.yaml": GOOD.replace("type: amount", "type: boolean"),
        "d.yaml": "grant: [unclosed\n",
        "e.yaml": GOOD.replace("type: amount", "type: amount\nscale: single_amount"),
    }
    found = problems(pack_with(tmp_path, files))
    assert found == [
        "parameters/a.yaml:10: values[0].value: An amount has at most two decimal places.",
        "parameters/b/c.yaml:10: values[0].value: Expected true or false.",
        "parameters/b/c.yaml:12: values[1].value: Expected true or false.",
        "parameters/d.yaml:2: This is not valid YAML: expected ',' or ']', but got '<stream end>'.",
        "parameters/e.yaml:1: Give either 'type' (amount, rate, integer or boolean) for a "
        "parameter or 'scale' (marginal_rate or single_amount) for a scale, not both.",
    ]


def test_an_ended_scale_and_a_bracket_with_the_wrong_field_are_checked(tmp_path: Path) -> None:
    scale = """\
label: {en: Tiers, pt: Escalões}
scale: single_amount
unit: EUR
reference: {url: "https://legislacao.gov.vd.example/family-benefits-act-2018"}
values:
  - since: 2025-01-01
    brackets:
      - {threshold: 0, rate: 0.1}
  - since: 2026-01-01
    value: null
"""
    assert problems(pack_with(tmp_path, {"tiers.yaml": scale})) == [
        "parameters/tiers.yaml:8: values[0].brackets[0]: Each bracket of a single_amount scale "
        "needs a 'amount'.",
        "parameters/tiers.yaml:8: values[0].brackets[0].rate: A single_amount scale has no "
        "'rate'; remove it.",
    ]
    fixed = scale.replace("rate: 0.1", "amount: 150")
    tree = load_parameters(pack_with(tmp_path / "fixed", {"tiers.yaml": fixed}))
    tiers = tree.find("tiers")
    assert isinstance(tiers, Scale)
    assert tiers.at(date(2025, 6, 1)).calc(Decimal(1)) == Decimal("150.00")


def test_a_path_defined_twice_is_reported(tmp_path: Path) -> None:
    nested = "birth_grant:\n" + "".join(f"  {line}\n" for line in GOOD.splitlines())
    found = problems(
        pack_with(tmp_path, {"benefits.yaml": nested, "benefits/birth_grant.yaml": GOOD})
    )
    assert found == [
        "parameters/benefits.yaml:1: birth_grant: The parameter path 'benefits.birth_grant' "
        "is already defined."
    ]
