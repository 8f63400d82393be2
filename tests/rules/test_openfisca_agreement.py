"""Civitas's batch and the same law written for OpenFisca agree within a cent.

The OpenFisca model is ``benchmarks/openfisca_model`` (written by hand, as an OpenFisca
user would); both engines compute every benefit of the demo pack, and income tax, for
every person and household of a small synthetic country, in months on both sides of
the pack's reforms (2024: the energy winter supplement and the old tiers; 2025-12: the
month before the country's date, with its births; 2026: the State Budget Act 2026).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from civitas.config import DEMO_PACK
from civitas.rules import Period, RuleBook, load_rules
from civitas.rules.batch import compute
from civitas.synthetic.pipeline import generate_country

pytest.importorskip("openfisca_core", reason="pip install -e '.[dev]' installs OpenFisca")

from benchmarks.openfisca_model import BENEFITS, ValdoriaTaxBenefitSystem
from benchmarks.openfisca_model import compute as openfisca_compute
from benchmarks.openfisca_model.comparison import batch_inputs, compare

PEOPLE = 2_000
COMPARED = (*BENEFITS, "income_tax")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("openfisca") / "country"
    generate_country(DEMO_PACK, PEOPLE, 5, folder)
    return folder


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    return load_rules(DEMO_PACK)


@pytest.fixture(scope="module")
def system() -> ValdoriaTaxBenefitSystem:
    return ValdoriaTaxBenefitSystem(DEMO_PACK)


def test_the_model_has_every_benefit_of_the_pack(rules: RuleBook) -> None:
    assert set(BENEFITS) == {variable.name for variable in rules.benefits()}


@pytest.mark.parametrize("period", ["2024-03", "2025-12", "2026-03"])
def test_every_benefit_agrees_within_a_cent_for_everyone(
    country: Path, rules: RuleBook, system: ValdoriaTaxBenefitSystem, period: str
) -> None:
    persons, households = batch_inputs(country, Period.parse(period))
    ours = compute(rules, period, COMPARED, {"person": persons, "household": households})
    theirs = openfisca_compute(system, period, COMPARED, persons, households)

    found = compare(rules, ours, theirs, COMPARED)

    assert [row for row in found if not row.agrees] == []
    assert all(row.rows == persons.num_rows for row in found if row.entity == "person")
    assert all(row.rows == households.num_rows for row in found if row.entity == "household")
    paid = {row.variable for row in found if row.nonzero}
    assert len(paid) >= 7, f"too few benefits paid to anyone to compare: {sorted(paid)}"
