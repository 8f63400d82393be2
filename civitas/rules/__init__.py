"""Rules as code. First brick: the law's dated parameters and bracket scales."""

from __future__ import annotations

from civitas.rules.parameter_pack import PARAMETERS_FOLDER, ParametersInvalid, load_parameters
from civitas.rules.parameters import (
    Bracket,
    Brackets,
    Dated,
    LegalReference,
    Parameter,
    ParameterNode,
    ParameterValue,
    Provenance,
    Scale,
    ScaleKind,
    Value,
    ValueType,
)

__all__ = [
    "PARAMETERS_FOLDER",
    "Bracket",
    "Brackets",
    "Dated",
    "LegalReference",
    "Parameter",
    "ParameterNode",
    "ParameterValue",
    "ParametersInvalid",
    "Provenance",
    "Scale",
    "ScaleKind",
    "Value",
    "ValueType",
    "load_parameters",
]
