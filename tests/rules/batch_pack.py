# ruff: noqa: E501  (rule sources are quoted as written)
"""A rule pack using every construct of the rule language, for the batch compiler's
tests, and helpers to run it on a population given as plain rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from civitas.rules import RuleBook, load_rules
from civitas.rules.batch import compute
from tests.rules.small_pack import write_pack

PARAMETERS = """\
amount:
  label: {en: Grant per child, pt: Subsídio por criança}
  type: amount
  unit: EUR
  reference: {url: https://law.example.org/grants}
  values:
    - {since: 2020-01-01, value: 100.00}
    - {since: 2026-01-01, value: 120.00}
    - {since: 2026-05-01, value: 125.50}
rate:
  label: {en: Share, pt: Parte}
  type: rate
  reference: {url: https://law.example.org/grants}
  values:
    - {since: 2020-01-01, value: 0.5}
    - {since: 2026-04-01, value: 0.335}
age_limit:
  label: {en: Age limit, pt: Idade limite}
  type: integer
  reference: {url: https://law.example.org/grants}
  values:
    - {since: 2020-01-01, value: 18}
counts_disability:
  label: {en: Disability counts, pt: A deficiência conta}
  type: boolean
  reference: {url: https://law.example.org/grants}
  values:
    - {since: 2020-01-01, value: false}
    - {since: 2026-03-01, value: true}
tiers:
  label: {en: Tiers, pt: Escalões}
  scale: single_amount
  unit: EUR
  reference: {url: https://law.example.org/grants}
  values:
    - since: 2020-01-01
      brackets:
        - {threshold: 0, amount: 50.00}
        - {threshold: 10000.00, amount: 20.00}
        - {threshold: 20000.00, amount: 0}
tax:
  label: {en: Tax, pt: Imposto}
  scale: marginal_rate
  unit: EUR
  reference: {url: https://law.example.org/tax}
  values:
    - since: 2020-01-01
      brackets:
        - {threshold: 0, rate: 0.125}
        - {threshold: 8400.00, rate: 0.157}
        - {threshold: 12800.00, rate: 0.3275}
        - {threshold: 42000.00, rate: 0.48}
"""

RULES = """\
# -- person inputs
birth_date = person("birth_date", DATE, period="eternity")
contract_end = person("contract_end", DATE, period="eternity")
income = person("income", MONEY)
status = person("status", enumeration("employed", "unemployed", "retired"))
hours = person("hours", INTEGER)
disabled = person("disabled", BOOL)
work_share = person("work_share", RATE)

# -- household inputs
rent = household("rent", MONEY)
region = household("region", enumeration("north", "south"))

# -- person formulas
age = person("age", INTEGER, formula=age_on(v("birth_date")))
months_old = person("months_old", INTEGER, formula=months_between(v("birth_date"), period_end()))
days_left = person("days_left", INTEGER, formula=days_between(v("birth_date"), v("contract_end")))
is_child = person("is_child", BOOL, formula=v("age") < p("grant.age_limit"))
toddler = person("toddler", BOOL, formula=months_between(v("birth_date"), period_start()) < 36)
ends_soon = person("ends_soon", BOOL, formula=days_between(period_end(), v("contract_end")) <= 30)
years_to_go = person("years_to_go", BOOL, formula=years_between(period_start(), v("contract_end")) > 1)
half_income = person("half_income", MONEY, formula=v("income") * p("grant.rate"))
last_income = person("last_income", MONEY, formula=v("income").last_month())
quarter_income = person("quarter_income", MONEY, formula=v("income").sum_of_last_months(3))
yearly_income = person("yearly_income", MONEY, period="year", formula=v("income").sum_of_year())
jobless = person("jobless", BOOL, formula=one_of(v("status"), ["unemployed"]))
poor = person("poor", BOOL, formula=v("income") < 500)
both = person("both", BOOL, formula=v("jobless") & v("poor"))
either = person("either", BOOL, formula=v("jobless") | v("poor"))
neither = person("neither", BOOL, formula=~v("either"))
counted = person("counted", BOOL, formula=v("disabled") & p("grant.counts_disability"))
band = person("band", INTEGER, formula=select((v("income") < 100, 1), (v("income") < 1000, 2), default=3))
share = person("share", RATE, formula=v("income") / v("last_income"))
per_hour = person("per_hour", MONEY, formula=v("income") / v("hours"))
hours_share = person("hours_share", RATE, formula=v("hours") * Decimal("0.25") + v("work_share") * 3)
mixed = person("mixed", RATE, formula=v("work_share") + v("hours"))
shares = person("shares", RATE, formula=v("work_share") * v("work_share") / v("hours"))
capped = person("capped", MONEY, formula=minimum(v("income"), 800) + maximum(0, money("0.01")))
earliest = person("earliest", DATE, formula=minimum(v("birth_date"), v("contract_end")))
whole = person("whole", MONEY, formula=rounded(v("income") * Decimal("0.5")))
tenth = person("tenth", MONEY, formula=rounded(v("income") * Decimal("0.37"), 1))
owed = person("owed", MONEY, formula=-v("income") + money("0.05"))
tax = person("tax", MONEY, period="year", formula=p("grant.tax").calc(v("yearly_income")))
months_jobless = person("months_jobless", INTEGER, formulas={
    "2025-11-01": where(v("jobless"), v("months_jobless").last_month() + 1, 0),
})
my_grant = person("my_grant", MONEY, formula=from_group("household", v("grant")))
rent_share = person("rent_share", MONEY, formula=from_group("household", v("rent") / v("household_size")))
in_north = person("in_north", BOOL, formula=from_group("household", v("region") == "north"))

# -- household formulas
household_income = household("household_income", MONEY, formula=members("household").sum(v("income")))
household_size = household("household_size", INTEGER, formula=members("household").count())
children = household("children", INTEGER, formula=members("household", "child").count())
young_children = household("young_children", INTEGER, formula=members("household", "child").count(v("is_child")))
any_jobless = household("any_jobless", BOOL, formula=members("household").any(v("jobless")))
all_jobless = household("all_jobless", BOOL, formula=members("household").all(v("jobless")))
top_income = household("top_income", MONEY, formula=members("household", "child").max(v("income")))
yearly_total = household("yearly_total", MONEY, period="year", formula=members("household").sum(v("yearly_income")))
grant = household("grant", MONEY, formulas={
    "2020-01-01": v("young_children") * p("grant.amount"),
    "2026-06-01": None,
})
last_grant = household("last_grant", MONEY, formula=v("grant").last_month())
support = household("support", MONEY, formulas={
    "2020-01-01": v("rent") * Decimal("0.3"),
    "2026-04-01": rounded(v("rent") * Decimal("0.35")),
})
tier = household("tier", MONEY, formula=p("grant.tiers").calc(v("household_income") * 12))
grants_paid = household("grants_paid", MONEY, formula=members("household").sum(v("my_grant")))
after_rent = household("after_rent", MONEY, formula=v("household_income") - v("rent") + v("grant"))
"""

INPUTS = {
    "person": ("birth_date", "contract_end", "income", "status", "hours", "disabled", "work_share"),
    "household": ("rent", "region"),
}


def load_pack(folder: Path, rules: str = RULES) -> RuleBook:
    """The rule book of this pack (or of other ``rules`` on its parameters)."""
    return load_rules(write_pack(folder, rules, PARAMETERS))


def computed(rules: RuleBook) -> list[str]:
    """Every variable with a formula, in name order."""
    return sorted(name for name, declared in rules.variables.items() if not declared.is_input)


def table(rows: Sequence[Mapping[str, Any]], types: Mapping[str, pa.DataType]) -> pa.Table:
    """Rows as an Arrow table with these column types (a missing key is NULL)."""
    return pa.table(
        {name: pa.array([row.get(name) for row in rows], type=kind) for name, kind in types.items()}
    )


def by_id(result: pa.Table, key: str) -> dict[int, dict[str, Any]]:
    """A result table as {id: {variable: value}}."""
    return {row.pop(key): row for row in result.to_pylist()}


def run(
    rules: RuleBook,
    period: str,
    variables: Sequence[str],
    persons: pa.Table | None = None,
    households: pa.Table | None = None,
    backend: Any = "duckdb",
) -> dict[str, dict[int, dict[str, Any]]]:
    """The batch results per entity, by id."""
    inputs = {"person": persons, "household": households}
    given = {entity: found for entity, found in inputs.items() if found is not None}
    results = compute(rules, period, variables, given, backend=backend)
    return {entity: by_id(found, f"{entity}_id") for entity, found in results.items()}
