"""Valdoria's tax-benefit system: the entities, the variables and the parameters."""

from __future__ import annotations

import tempfile
from pathlib import Path

from openfisca_core.parameters import ParameterNode
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from . import benefits, facts, inputs
from .entities import entities
from .parameters import write_parameters


class ValdoriaTaxBenefitSystem(TaxBenefitSystem):  # type: ignore[misc]
    """The demo law as an OpenFisca model; parameters come from the pack's folder."""

    def __init__(self, pack: Path) -> None:
        super().__init__(entities)
        self.add_variables(*inputs.variables, *facts.variables, *benefits.variables)
        with tempfile.TemporaryDirectory(prefix="valdoria-openfisca-") as folder:
            write_parameters(pack, Path(folder))
            self.parameters = ParameterNode("", directory_path=folder)
