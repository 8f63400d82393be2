"""Valdoria's demo law written as an OpenFisca country package, for comparison.

The same law as ``civitas/packs/demo/rules/*.py``, written by hand as an OpenFisca
user would: entities Person and Household (roles adult and child), one ``Variable``
class per variable with a formula per date, and OpenFisca YAML parameters (exported at
run time from the pack's ``parameters/`` folder, so the numbers have one source).

Used by ``benchmarks/rules_vs_openfisca.py`` (speed and memory, side by side) and by
``tests/rules/test_openfisca_agreement.py`` (the two engines agree within a cent)::

    system = ValdoriaTaxBenefitSystem(DEMO_PACK)
    results = compute(system, "2025-12", BENEFITS, persons, households)
"""

from __future__ import annotations

from .benefits import BENEFITS
from .simulation import compute, simulation
from .system import ValdoriaTaxBenefitSystem

__all__ = ["BENEFITS", "ValdoriaTaxBenefitSystem", "compute", "simulation"]
