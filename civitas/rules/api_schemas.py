"""Request and response models of the rules API: the OpenAPI contract of calculate and explain.

Texts are in the language the request chose (``lang``). Values are written the way
the catalogue API writes money: exact decimal strings for money ("165.00") and rates
("0.65"), ``YYYY-MM-DD`` strings for dates, JSON booleans and integers for yes/no and
counts, and the value itself for an enumeration.

The situation a calculation is about is described from the country pack's own rules
when the application starts (:func:`request_models`): every variable of a person or
a group is a property with its exact type, so the OpenAPI tells an app precisely what
it may send, and anything else is refused with a field error before a rule runs.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from civitas.rules.entities import PERSON
from civitas.rules.periods import Unit
from civitas.rules.rulebook import RuleBook
from civitas.rules.situation import plural
from civitas.rules.values import Kind, Type
from civitas.rules.variables import Variable

YEAR = r"(19[0-9]{2}|20[0-9]{2}|2100)"
MONTH = r"(0[1-9]|1[0-2])"
MONTH_PATTERN = rf"^{YEAR}-{MONTH}$"
PERIOD_KEY_PATTERN = rf"^({YEAR}(-{MONTH})?|eternity)$"
MEMBER_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,99}$"
MONEY_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
RATE_PATTERN = r"^-?[0-9]{1,6}(\.[0-9]{1,6})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_MEMBERS = 50  # persons, and groups of each kind, in one situation
MAX_VARIABLES = 100  # variables calculated in one request
LIMIT = 10**12  # the largest whole number or amount accepted
MAX_PERIODS = 240  # values of one variable given period by period


def _month(value: object) -> str:
    if isinstance(value, str) and re.fullmatch(MONTH_PATTERN, value):
        return value
    raise PydanticCustomError(
        "period", "Expected a month from 1900-01 to 2100-12, such as 2026-03."
    )


MonthText = Annotated[
    str,
    PlainValidator(_month),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONTH_PATTERN,
            "description": "The month to calculate, from 1900-01 to 2100-12. Yearly "
            "variables take the year holding it; variables that never change, their one value.",
            "examples": ["2026-03"],
        }
    ),
]
MemberId = Annotated[
    str,
    Field(
        pattern=MEMBER_PATTERN,
        description="The id of a person or group in the situation.",
        examples=["ana"],
    ),
]
Value = str | int | bool | None
_VALUE_DESCRIPTION = (
    "Money and rates are exact decimal strings (165.00, 0.65), dates YYYY-MM-DD, "
    "yes/no a boolean, counts an integer, enumerations one of their values; "
    "null when the value is unknown."
)


class _Model(BaseModel):
    # additionalProperties: false in the OpenAPI, so clients and tests see any stray field.
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------- variables


class TypeInfo(_Model):
    kind: Kind
    choices: list[str] = Field(description="The values an enumeration may take.")


class VariableSummary(_Model):
    name: str = Field(pattern=NAME_PATTERN, examples=["child_benefit"])
    entity: str = Field(description="person, or a kind of group such as household.")
    type: TypeInfo
    period: Unit = Field(description="How often its value can change.")
    label: str
    unit: str | None = Field(description="e.g. EUR, year, month.")
    reference: str = Field(description="Where the law defining it can be read.")
    is_input: bool = Field(description="True when no formula computes it: it is given.")
    service: str | None = Field(description="Id of the catalogue service it belongs to.")
    question: str | None = Field(description="How a screener asks for it (inputs).")


class VariableList(_Model):
    lang: str
    count: int = Field(ge=0)
    items: list[VariableSummary]


class FormulaVersion(_Model):
    since: date | None = Field(description="The day this version applies from; null: always.")
    ended: bool = Field(description="True when the variable ends on that day (law repealed).")
    reference: str = Field(description="The law of this version, when not the variable's own.")


class VariableDetail(VariableSummary):
    lang: str
    documentation: str | None
    formulas: list[FormulaVersion]
    uses: list[str] = Field(description="Variables any version of its formula refers to.")
    inputs: list[str] = Field(description="Every input it may need, directly or not.")


# ---------------------------------------------------------------- calculate and explain


class NeedModel(_Model):
    """An input still missing: a variable, for one person or group, in one period."""

    variable: str
    entity: str
    member: str
    period: str


class MemberValue(_Model):
    value: Value = Field(description=_VALUE_DESCRIPTION)
    unknown: bool = Field(description="True when inputs are missing; see needs.")
    needs: list[NeedModel] = Field(description="The inputs that would decide it.")


class CalculatedVariable(_Model):
    entity: str
    type: Kind
    unit: str | None
    values: dict[str, MemberValue] = Field(description="One value per person or group id.")


class Calculation(_Model):
    period: str
    variables: dict[str, CalculatedVariable] = Field(description="One entry per variable asked.")


class LegalReferenceModel(_Model):
    url: str
    article: str


class ParameterUseModel(_Model):
    """A parameter a formula read, its value on the day, and the law that sets it."""

    path: str = Field(examples=["benefits.birth_grant"])
    label: str
    value: str = Field(description='As written in the law: 750.00, 0.65, 18; "scale" for a table.')
    unit: str | None
    since: date = Field(description="The first day the value applies.")
    until: date | None = Field(description="The last day it applies; null while in force.")
    reference: LegalReferenceModel


class ExplanationNode(_Model):
    """Why one variable has its value for one person or group, and what decided it."""

    variable: str
    label: str
    entity: str
    member: str
    period: str
    type: Kind
    value: Value = Field(description=_VALUE_DESCRIPTION)
    unknown: bool
    source: Literal["formula", "input", "missing", "default"] = Field(
        description="formula: computed; input: given; missing: an input not given; "
        "default: no formula is in force on the day (a benefit not yet or no longer law)."
    )
    since: date | None = Field(description="The day the formula version used applies from.")
    reference: str = Field(description="The law of that version.")
    parameters: list[ParameterUseModel]
    needs: list[NeedModel]
    repeated: bool = Field(description="Explained above already; its children are left out.")
    children: list[ExplanationNode] = Field(description="The values it used, in order.")


class Explanations(_Model):
    lang: str
    period: str
    variable: str
    explanations: list[ExplanationNode] = Field(
        description="One tree per person or group asked about."
    )


# ---------------------------------------------------------------- requests, from the rules


def _schema(kind: Type) -> dict[str, Any]:
    """The JSON Schema of one value of a kind, exactly as :func:`_checker` accepts it."""
    whole = {"type": "integer", "minimum": -LIMIT, "maximum": LIMIT}
    match kind.kind:
        case Kind.BOOL:
            return {"type": "boolean"}
        case Kind.INTEGER:
            return whole
        case Kind.MONEY:
            return {"anyOf": [{"type": "string", "pattern": MONEY_PATTERN}, whole]}
        case Kind.RATE:
            return {"anyOf": [{"type": "string", "pattern": RATE_PATTERN}, whole]}
        case Kind.DATE:
            return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if kind.choices:
        return {"type": "string", "enum": list(kind.choices)}
    return {"type": "string", "maxLength": 200}


_EXPECTED = {
    Kind.BOOL: "Expected true or false.",
    Kind.INTEGER: f"Expected a whole number between -{LIMIT} and {LIMIT}.",
    Kind.MONEY: 'Expected an amount as a string such as "900.00", or a whole number.',
    Kind.RATE: 'Expected a rate as a string such as "0.65", or a whole number.',
    Kind.DATE: 'Expected a date such as "2026-03-15".',
}


def _fits(kind: Type, value: object) -> bool:
    whole = isinstance(value, int) and not isinstance(value, bool) and abs(value) <= LIMIT
    match kind.kind:
        case Kind.BOOL:
            return isinstance(value, bool)
        case Kind.INTEGER:
            return whole
        case Kind.MONEY:
            return whole or (
                isinstance(value, str) and re.fullmatch(MONEY_PATTERN, value) is not None
            )
        case Kind.RATE:
            return whole or (
                isinstance(value, str) and re.fullmatch(RATE_PATTERN, value) is not None
            )
        case Kind.DATE:
            if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value):
                return False
            try:
                date.fromisoformat(value)
            except ValueError:
                return False
            return True
    if kind.choices:
        return isinstance(value, str) and value in kind.choices
    return isinstance(value, str) and len(value) <= 200


def _checker(declared: Variable) -> Any:
    """Checks a value given for a variable: one value, or one per period (or null)."""
    kind = declared.type
    expected = _EXPECTED.get(
        kind.kind, f"Expected one of: {', '.join(kind.choices)}." if kind.choices else ""
    )

    def check(value: object) -> object:
        if value is None or _fits(kind, value):
            return value
        if isinstance(value, dict):
            if len(value) > MAX_PERIODS:
                raise PydanticCustomError("too_long", f"Give at most {MAX_PERIODS} periods.")
            for period, item in value.items():
                if not isinstance(period, str) or not re.fullmatch(PERIOD_KEY_PATTERN, period):
                    raise PydanticCustomError(
                        "period", "Each key is a period such as 2026-03, 2026 or eternity."
                    )
                if item is not None and not _fits(kind, item):
                    raise PydanticCustomError("value", f"{period}: {expected}")
            return value
        raise PydanticCustomError("value", expected + " Or give one value per period.")

    return check


def _input(declared: Variable) -> tuple[Any, Any]:
    """A variable as a property of a person or group: a value, or one per period."""
    one = _schema(declared.type)
    per_period = {
        "type": "object",
        "patternProperties": {PERIOD_KEY_PATTERN: {"anyOf": [one, {"type": "null"}]}},
        "additionalProperties": False,
        "maxProperties": MAX_PERIODS,
    }
    label = declared.label.get("en") or declared.name
    schema = {
        "anyOf": [one, per_period, {"type": "null"}],
        "description": f"{label} ({declared.type}, per {declared.period}).",
    }
    annotation = Annotated[Any, PlainValidator(_checker(declared)), WithJsonSchema(schema)]
    return annotation, Field(None, alias=declared.name)


def _inputs(rules: RuleBook, entity: str) -> dict[str, Any]:
    found = [v for v in rules.variables.values() if v.entity == entity]
    return {f"v{position}": _input(declared) for position, declared in enumerate(found)}


def _variable_name(rules: RuleBook) -> Any:
    """A variable's name: one of the rule book's, with a short message when it is not."""
    names = tuple(rules.variables)

    def check(value: object) -> str:
        if isinstance(value, str) and value in rules.variables:
            return value
        raise PydanticCustomError(
            "variable",
            "No rule has a variable with this name; GET /api/v1/rules/variables lists them.",
        )

    schema = {"type": "string", "enum": list(names)} if names else {"type": "string"}
    return Annotated[str, PlainValidator(check), WithJsonSchema(schema)]


_STRICT = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


# Generic types applied to models made at run time (mypy cannot check those as types).
_DICT: Any = dict
_LIST: Any = list
_MEMBER_KEY = Annotated[str, StringConstraints(pattern=MEMBER_PATTERN)]


def _title(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def request_models(rules: RuleBook) -> tuple[type[BaseModel], type[BaseModel], type[BaseModel]]:
    """(Situation, CalculateRequest, ExplainRequest) for the rule book's entities and variables."""
    person = create_model("PersonInputs", __config__=_STRICT, **_inputs(rules, PERSON))
    members: dict[str, Any] = {
        "persons": (
            Annotated[
                _DICT[_MEMBER_KEY, person],
                Field(
                    min_length=1,
                    max_length=MAX_MEMBERS,
                    json_schema_extra={"additionalProperties": False},
                ),
            ],
            Field(description="Each person by id, with what is known about them."),
        )
    }
    for group, kind in rules.entities.groups.items():
        roles: dict[str, Any] = {
            f"r{position}": (
                Annotated[list[MemberId], Field(max_length=MAX_MEMBERS)],
                Field(None, alias=role, description=f"The persons who are {role} in it."),
            )
            for position, role in enumerate(kind.roles)
        }
        instance = create_model(
            f"{_title(group)}Members", __config__=_STRICT, **roles, **_inputs(rules, group)
        )
        members[f"g_{group}"] = (
            Annotated[
                _DICT[_MEMBER_KEY, instance],
                Field(max_length=MAX_MEMBERS, json_schema_extra={"additionalProperties": False}),
            ],
            Field(
                None,
                alias=plural(group),
                description=f"Each {group} by id: its members by role, and what is known "
                "about it. Left out: everyone together, in its first role.",
            ),
        )
    situation = create_model("Situation", __config__=_STRICT, **members)
    variable_name = _variable_name(rules)
    calculate = create_model(
        "CalculateRequest",
        __config__=_STRICT,
        period=(MonthText, ...),
        situation=(situation, ...),
        variables=(
            Annotated[_LIST[variable_name], Field(min_length=1, max_length=MAX_VARIABLES)],
            Field(description="The variables to calculate, for every person or group."),
        ),
    )
    explain = create_model(
        "ExplainRequest",
        __config__=_STRICT,
        period=(MonthText, ...),
        situation=(situation, ...),
        variable=(variable_name, Field(description="The variable to explain.")),
        member=(
            MemberId | None,
            Field(
                None,
                description="The person or group; left out: each one of the variable's entity.",
            ),
        ),
    )
    return situation, calculate, explain
