"""The rules reference page: the formula language and a pack's law, from the code itself."""

from __future__ import annotations

import inspect
from pathlib import Path

from civitas.core.text import pick
from civitas.rules import expressions
from civitas.rules.coercion import PRODUCTS, QUOTIENTS
from civitas.rules.rule_pack import load_rules
from civitas.rules.rulebook import RuleBook

HELPERS = (
    "v",
    "p",
    "money",
    "where",
    "select",
    "minimum",
    "maximum",
    "rounded",
    "one_of",
    "all_of",
    "any_of",
    "age_on",
    "years_between",
    "months_between",
    "days_between",
    "period_start",
    "period_end",
    "members",
    "from_group",
)
PERIOD_METHODS = ("last_month", "months_ago", "sum_of_year", "sum_of_last_months")
MEMBER_METHODS = ("sum", "count", "any", "all", "max")


def rules_reference_page(pack_dir: Path, header: str) -> str:
    rules = load_rules(pack_dir)
    lines = [
        header,
        "# Rules reference",
        "",
        "The law is written once, as variables with dated formulas, and run two ways: the",
        "interpreter explains one household; the compiler computes a whole population.",
        "Country packs declare entities in `rules/entities.yaml` and variables in",
        "`rules/*.py`; tests live in `rules/tests/*.yaml`; reforms in `reforms/*.py`.",
        "",
        "## Values",
        "",
        _first_paragraphs(inspect.getdoc(expressions) or ""),
        "",
        "| type | stored as | written as |",
        "|---|---|---|",
        "| `bool` | yes / no | `true`, `false` |",
        "| `integer` | a whole number | `3` |",
        "| `money` | whole cents | `900.00` (euros) |",
        "| `rate` | whole millionths | `0.65` |",
        "| `date` | a date | `2026-03-15` |",
        "| `enumeration` | one of the listed texts | `renter` |",
        "",
        "Every product or quotient is rounded once, half to even, to its unit; dividing by",
        "zero gives zero. A missing input makes a value *unknown*, never zero: false and",
        "unknown is false, true or unknown is true, anything else with unknown is unknown.",
        "",
        "### Products and quotients",
        "",
        "| left | operator | right | result |",
        "|---|---|---|---|",
    ]
    for operator, table in (("*", PRODUCTS), ("/", QUOTIENTS)):
        for (left, right), (result, _) in table.items():
            lines.append(f"| {left} | `{operator}` | {right} | {result} |")
    lines += ["", "## Formula helpers", ""]
    for name in HELPERS:
        lines += _function(name, getattr(expressions, name))
    lines += ["", "### Other months of a monthly variable", ""]
    for name in PERIOD_METHODS:
        lines += _function(f"v(...).{name}", getattr(expressions.VariableRef, name))
    lines += ["", "### Members of a group", ""]
    for name in MEMBER_METHODS:
        lines += _function(f"members(...).{name}", getattr(expressions.Members, name))
    lines += _law(rules)
    return "\n".join(lines).rstrip() + "\n"


def _first_paragraphs(text: str) -> str:
    return text.split("\n\n", 1)[1] if "\n\n" in text else text


def _function(name: str, function: object) -> list[str]:
    signature = str(inspect.signature(function)).replace("'", "")  # type: ignore[arg-type]
    signature = signature.replace("(self, ", "(").replace("(self)", "()")
    doc = (inspect.getdoc(function) or "").split("\n\n")[0].replace("\n", " ")
    return [f"- `{name}{signature.split(' -> ')[0]}`" + (f": {doc}" if doc else "")]


def _law(rules: RuleBook) -> list[str]:
    lines = ["", "## The demo country's law", "", "### Entities", ""]
    lines.append(f"- `person`: {pick(rules.entities.person.label, 'en')}")
    for name, group in rules.entities.groups.items():
        roles = ", ".join(f"`{role}`" for role in group.roles)
        lines.append(f"- `{name}`: {pick(group.label, 'en')}; roles {roles}")
    lines += [
        "",
        "### Benefits and obligations",
        "",
        "| variable | service | entity | type | law |",
        "|---|---|---|---|---|",
    ]
    for declared in rules.benefits():
        lines.append(
            f"| `{declared.name}` {pick(declared.label, 'en')} | `{declared.service}` "
            f"| {declared.entity} | {declared.type} | <{declared.reference}> |"
        )
    lines += [
        "",
        "### Every variable",
        "",
        "| variable | entity | period | type | kind | label | declared in |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, declared in sorted(rules.variables.items()):
        kind = "input" if declared.is_input else "formula"
        dates = [f.since.isoformat() for f in declared.formulas if f.since.year > 1]
        if dates:
            kind += " from " + ", ".join(dates)
        lines.append(
            f"| `{name}` | {declared.entity} | {declared.period} | {declared.type} | {kind} "
            f"| {pick(declared.label, 'en')} | `{declared.source.rpartition(':')[0]}` |"
        )
    return lines
