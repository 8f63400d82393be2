"""The rules API (``/api/v1/rules``): the variables, calculate and explain, in OpenAPI.

Like the catalogue API, every answer is in the one language asked with ``?lang=``
(the pack's first language by default) and errors use the one JSON error shape.
Requests are checked against models built from the country pack's rules, so a wrong
type or an unknown variable is a field error before any rule runs; what JSON Schema
cannot say (every person in exactly one household) is checked by
:func:`civitas.rules.situation.read_situation`, with the same field paths.
"""

from __future__ import annotations

import inspect
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path
from pydantic import BaseModel

from civitas.core.errors import NotFound
from civitas.core.i18n import N_
from civitas.core.text import pick
from civitas.rules import api_schemas as s
from civitas.rules.explanation import Explanation, calculate, explain
from civitas.rules.interpreter import Interpreter
from civitas.rules.parameters import ParameterNode
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.situation import Situation, read_situation, show_value
from civitas.rules.values import Kind, Need, Unknown
from civitas.rules.variables import Variable
from civitas.web import ErrorBody
from civitas.web.languages import language_parameter

_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "The request is too large."},
}
_BAD: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter or field cannot be used; see `errors`."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **_BAD,
    404: {"model": ErrorBody, "description": "Nothing has that name."},
}
_NOT_COMPUTABLE: dict[int | str, dict[str, Any]] = {
    **_BAD,
    404: {
        "model": ErrorBody,
        "description": "The member asked about is not in the situation, or the law sets "
        "no value for a parameter in that month.",
    },
}

NamePath = Annotated[str, Path(pattern=s.NAME_PATTERN, max_length=100)]


def rules_api_router(rules: RuleBook, languages: tuple[str, ...]) -> APIRouter:
    router = APIRouter(prefix="/api/v1/rules", tags=["rules"], responses=_TOO_LARGE)
    language = language_parameter(languages)
    fallback = languages[0]
    _, calculate_request, explain_request = s.request_models(rules)

    def summary(declared: Variable, lang: str) -> dict[str, Any]:
        return {
            "name": declared.name,
            "entity": declared.entity,
            "type": s.TypeInfo(kind=declared.type.kind, choices=list(declared.type.choices)),
            "period": declared.period,
            "label": pick(declared.label, lang, fallback),
            "unit": declared.unit or None,
            "reference": declared.reference,
            "is_input": declared.is_input,
            "service": declared.service,
            "question": pick(declared.question, lang, fallback) or None,
        }

    @router.get("/variables", responses=_BAD)
    def variables(lang: str = Depends(language)) -> s.VariableList:
        """Every variable of the rules: inputs a situation may give, and what formulas
        compute from them, with their types, periods, labels and legal references."""
        items = [s.VariableSummary(**summary(v, lang)) for v in rules.variables.values()]
        return s.VariableList(lang=lang, count=len(items), items=items)

    @router.get("/variables/{name}", responses=_NOT_FOUND)
    def variable(name: NamePath, lang: str = Depends(language)) -> s.VariableDetail:
        """One variable, with its dated formula versions, the variables it uses and every
        input it may need (what a screener may have to ask)."""
        declared = rules.variable(name)
        return s.VariableDetail(
            **summary(declared, lang),
            lang=lang,
            documentation=pick(declared.documentation, lang, fallback) or None,
            formulas=[
                s.FormulaVersion(
                    since=None if f.since == date.min else f.since,
                    ended=f.expression is None,
                    reference=f.reference,
                )
                for f in declared.formulas
            ],
            uses=list(rules.uses(name)),
            inputs=list(rules.inputs_for([name])),
        )

    def calculate_values(body: Any, lang: str) -> s.Calculation:
        """Calculate variables for every person or group of a situation in one month.

        A value the situation does not give enough to know is ``null`` with
        ``unknown: true`` and the inputs that would decide it (never taken as zero)."""
        period, situation = _read(rules, body)
        names = list(dict.fromkeys(body.variables))
        _, values = calculate(rules, situation, period, names)
        result: dict[str, s.CalculatedVariable] = {}
        for name in names:
            declared = rules.variable(name)
            members = {
                member: _member_value(declared, found)
                for (variable_name, member), found in values.items()
                if variable_name == name
            }
            result[name] = s.CalculatedVariable(
                entity=declared.entity,
                type=declared.type.kind,
                unit=declared.unit or None,
                values=members,
            )
        return s.Calculation(period=str(period), variables=result)

    def explain_value(body: Any, lang: str) -> s.Explanations:
        """Explain a variable's value: every formula version, parameter (with its value and
        legal reference) and input that decided it, as a tree, in the language asked."""
        period, situation = _read(rules, body)
        declared = rules.variable(body.variable)
        interpreter = Interpreter(rules, situation)
        members = interpreter.members_of(declared.entity)
        if body.member is not None and body.member not in members:
            raise NotFound(
                N_("There is no {entity} called '{member}' in the situation."),
                hint=N_("Give the id of one of its {entity}s, or leave member out."),
                params={"entity": declared.entity, "member": body.member},
            )
        asked = (body.member,) if body.member is not None else members
        trees = [
            _node(
                rules.parameters, explain(interpreter, declared.name, who, period), lang, fallback
            )
            for who in asked
        ]
        return s.Explanations(
            lang=lang, period=str(period), variable=declared.name, explanations=trees
        )

    _post(router, "/calculate", calculate_values, calculate_request, language, s.Calculation)
    _post(router, "/explain", explain_value, explain_request, language, s.Explanations)
    return router


def _post(
    router: APIRouter,
    path: str,
    endpoint: Any,
    request_model: type[BaseModel],
    language: Any,
    response_model: type[BaseModel],
) -> None:
    """Mount a POST operation whose body model is built from the rules at start-up.

    The model is a run-time value, so the signature FastAPI reads is written here
    rather than as annotations (which this module keeps as strings).
    """
    endpoint.__signature__ = inspect.Signature(
        [
            inspect.Parameter(
                "body", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[request_model, Body()]
            ),
            inspect.Parameter(
                "lang", inspect.Parameter.KEYWORD_ONLY, annotation=str, default=Depends(language)
            ),
        ],
        return_annotation=response_model,
    )
    router.post(path, response_model=response_model, responses=_NOT_COMPUTABLE)(endpoint)


def _read(rules: RuleBook, body: Any) -> tuple[Period, Situation]:
    period = Period.parse(body.period, field=("body", "period"))
    plain = body.situation.model_dump(by_alias=True, exclude_none=True)
    return period, read_situation(rules, plain, at=("body", "situation"))


def _plain(text: str | None, kind: Kind) -> str | int | bool | None:
    """A value as people write it (show_value), typed for JSON."""
    if text is None or text == "":
        return None
    if kind is Kind.BOOL:
        return text == "true"
    if kind is Kind.INTEGER:
        return int(text)
    return text


def _need(need: Need) -> s.NeedModel:
    return s.NeedModel(
        variable=need.variable, entity=need.entity, member=need.member, period=need.period
    )


def _member_value(declared: Variable, found: object) -> s.MemberValue:
    if isinstance(found, Unknown):
        return s.MemberValue(
            value=None, unknown=True, needs=[_need(n) for n in sorted(found.needs)]
        )
    shown = show_value(found, declared.type)  # type: ignore[arg-type]
    return s.MemberValue(value=_plain(shown, declared.type.kind), unknown=False, needs=[])


def _node(
    parameters: ParameterNode, node: Explanation, lang: str, fallback: str
) -> s.ExplanationNode:
    uses = []
    for use in node.parameters:
        leaf = parameters.find(use.path)
        provenance = use.provenance
        uses.append(
            s.ParameterUseModel(
                path=use.path,
                label=pick(leaf.label, lang, fallback),
                value=use.value,
                unit=getattr(leaf, "unit", "") or None,
                since=provenance.since,
                until=provenance.until,
                reference=s.LegalReferenceModel(
                    url=provenance.reference.url, article=provenance.reference.article
                ),
            )
        )
    return s.ExplanationNode(
        variable=node.variable,
        label=pick(node.label, lang, fallback),
        entity=node.entity,
        member=node.member,
        period=node.period,
        type=node.kind,
        value=_plain(node.value, node.kind),
        unknown=not node.known,
        source=node.source,
        since=None if node.since is None or node.since == date.min else node.since,
        reference=node.reference,
        parameters=uses,
        needs=[_need(n) for n in node.needs],
        repeated=node.repeated,
        children=[_node(parameters, child, lang, fallback) for child in node.children],
    )
