"""A small rules pack for the screener and the rules API: four benefits, every input type.

Written into a folder by :func:`write_screener_pack`, so tests do not depend on the
demo country's rules changing. Its benefits link to demo catalogue services.
"""

from __future__ import annotations

from pathlib import Path

from tests.rules.small_pack import ENTITIES

CHILD_BENEFIT = """\
label: {en: Child benefit, pt: Abono de família}
amount:
  label: {en: Monthly amount per child, pt: Montante mensal por criança}
  type: amount
  unit: EUR
  reference: {url: "https://law.example/family-act", article: Article 7}
  values:
    - {since: 2020-01-01, value: 150.00}
    - {since: 2026-01-01, value: 165.00}
income_limit:
  label: {en: Yearly household income limit, pt: Limite de rendimento anual do agregado}
  type: amount
  unit: EUR
  reference: {url: "https://law.example/family-act", article: Article 8}
  values:
    - {since: 2020-01-01, value: 34000.00}
age_limit:
  label: {en: Age until which a child counts, pt: Idade até à qual a criança conta}
  type: integer
  unit: year
  reference: {url: "https://law.example/family-act", article: Article 4}
  values:
    - {since: 2020-01-01, value: 18}
"""

UNEMPLOYMENT = """\
label: {en: Unemployment benefit, pt: Subsídio de desemprego}
rate:
  label: {en: Share of former earnings, pt: Parte da remuneração anterior}
  type: rate
  reference: {url: "https://law.example/unemployment-act", article: Article 3}
  values:
    - {since: 2020-01-01, value: 0.65}
minimum_months:
  label: {en: Months of contributions needed, pt: Meses de descontos necessários}
  type: integer
  unit: month
  reference: {url: "https://law.example/unemployment-act", article: Article 2}
  values:
    - {since: 2020-01-01, value: 12}
"""

HOUSING = """\
label: {en: Housing allowance, pt: Subsídio de renda}
share:
  label: {en: Share of the rent paid, pt: Parte da renda paga}
  type: rate
  reference: {url: "https://law.example/housing-act", article: Article 5}
  values:
    - {since: 2020-01-01, value: 0.3}
income_limit:
  label: {en: Yearly household income limit, pt: Limite de rendimento anual do agregado}
  type: amount
  unit: EUR
  reference: {url: "https://law.example/housing-act", article: Article 4}
  values:
    - {since: 2020-01-01, value: 20000.00}
"""

RULES = """\
from civitas.rules import (
    BOOL, DATE, INTEGER, MONEY, age_on, all_of, enumeration, members, p, v, variable,
    where,
)

FAMILY = "https://law.example/family-act"
JOBS = "https://law.example/unemployment-act"
HOUSING = "https://law.example/housing-act"

birth_date = variable(
    "birth_date", entity="person", type=DATE, period="eternity",
    label={"en": "Date of birth", "pt": "Data de nascimento"}, reference=FAMILY,
    question={"en": "What is the date of birth?", "pt": "Qual é a data de nascimento?"},
)
age = variable(
    "age", entity="person", type=INTEGER, period="month",
    label={"en": "Age", "pt": "Idade"}, reference=FAMILY,
    formula=age_on(v("birth_date")),
)
counts_as_child = variable(
    "counts_as_child", entity="person", type=BOOL, period="month",
    label={"en": "Is younger than 18", "pt": "Tem menos de 18 anos"}, reference=FAMILY,
    formula=v("age") < p("benefits.child_benefit.age_limit"),
)
household_income = variable(
    "household_income", entity="household", type=MONEY, period="year",
    label={"en": "Yearly household income", "pt": "Rendimento anual do agregado"},
    reference=FAMILY,
    question={
        "en": "How much does your household earn in a year, before tax?",
        "pt": "Quanto ganha o seu agregado por ano, antes de impostos?",
    },
)
eligible_children = variable(
    "eligible_children", entity="household", type=INTEGER, period="month",
    label={"en": "Children who count", "pt": "Crianças que contam"}, reference=FAMILY,
    formula=members("household", role="child").count(v("counts_as_child")),
)
has_eligible_children = variable(
    "has_eligible_children", entity="household", type=BOOL, period="month",
    label={
        "en": "A child younger than 18 lives with you",
        "pt": "Vive consigo uma criança com menos de 18 anos",
    },
    reference=FAMILY,
    formula=v("eligible_children") > 0,
)
income_below_child_limit = variable(
    "income_below_child_limit", entity="household", type=BOOL, period="month",
    label={
        "en": "Your household earns less than the limit",
        "pt": "O seu agregado ganha menos do que o limite",
    },
    reference=FAMILY,
    formula=v("household_income") < p("benefits.child_benefit.income_limit"),
)
child_benefit = variable(
    "child_benefit", entity="household", type=MONEY, period="month",
    label={"en": "Child benefit", "pt": "Abono de família"}, reference=FAMILY,
    service="child-benefit",
    formula=where(
        v("has_eligible_children") & v("income_below_child_limit"),
        v("eligible_children") * p("benefits.child_benefit.amount"),
        0,
    ),
)
contribution_months = variable(
    "contribution_months", entity="person", type=INTEGER, period="month",
    label={"en": "Months of contributions", "pt": "Meses de descontos"}, reference=JOBS,
    question={
        "en": "For how many months have contributions been paid?",
        "pt": "Durante quantos meses foram feitos descontos?",
    },
)
unemployed = variable(
    "unemployed", entity="person", type=BOOL, period="month",
    label={"en": "Out of work", "pt": "Sem trabalho"}, reference=JOBS,
    question={"en": "Is this person out of work?", "pt": "Esta pessoa está sem trabalho?"},
)
former_earnings = variable(
    "former_earnings", entity="person", type=MONEY, period="month",
    label={"en": "Former monthly earnings", "pt": "Remuneração mensal anterior"},
    reference=JOBS,
    question={
        "en": "How much did this person earn a month in their last job?",
        "pt": "Quanto ganhava esta pessoa por mês no último trabalho?",
    },
)
of_working_age = variable(
    "of_working_age", entity="person", type=BOOL, period="month",
    label={"en": "Is 18 or older", "pt": "Tem 18 anos ou mais"}, reference=JOBS,
    formula=v("age") >= 18,
)
contributed_enough = variable(
    "contributed_enough", entity="person", type=BOOL, period="month",
    label={
        "en": "Has paid contributions for long enough",
        "pt": "Fez descontos durante tempo suficiente",
    },
    reference=JOBS,
    formula=v("contribution_months") >= p("benefits.unemployment.minimum_months"),
)
unemployment_benefit = variable(
    "unemployment_benefit", entity="person", type=MONEY, period="month",
    label={"en": "Unemployment benefit", "pt": "Subsídio de desemprego"}, reference=JOBS,
    service="unemployment-benefit",
    formula=where(
        all_of(v("of_working_age"), v("unemployed"), v("contributed_enough")),
        v("former_earnings") * p("benefits.unemployment.rate"),
        0,
    ),
)
tenure = variable(
    "tenure", entity="household", type=enumeration("owner", "tenant", "other"),
    period="month", label={"en": "Housing", "pt": "Habitação"}, reference=HOUSING,
    question={"en": "Do you own or rent your home?", "pt": "A sua casa é própria ou arrendada?"},
)
monthly_rent = variable(
    "monthly_rent", entity="household", type=MONEY, period="month",
    label={"en": "Monthly rent", "pt": "Renda mensal"}, reference=HOUSING,
    question={"en": "How much rent do you pay a month?", "pt": "Quanto paga de renda por mês?"},
)
rents_home = variable(
    "rents_home", entity="household", type=BOOL, period="month",
    label={"en": "You rent your home", "pt": "Vive numa casa arrendada"}, reference=HOUSING,
    formula=v("tenure") == "tenant",
)
income_below_housing_limit = variable(
    "income_below_housing_limit", entity="household", type=BOOL, period="month",
    label={
        "en": "Your household earns less than the housing limit",
        "pt": "O seu agregado ganha menos do que o limite para a habitação",
    },
    reference=HOUSING,
    formula=v("household_income") < p("benefits.housing.income_limit"),
)
housing_allowance = variable(
    "housing_allowance", entity="household", type=MONEY, period="month",
    label={"en": "Housing allowance", "pt": "Subsídio de renda"}, reference=HOUSING,
    service="housing-allowance",
    formula=where(
        v("rents_home") & v("income_below_housing_limit"),
        v("monthly_rent") * p("benefits.housing.share"),
        0,
    ),
)
"""


def write_screener_pack(folder: Path) -> Path:
    """Write the pack's rules and parameters into ``folder`` and return it."""
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "parameters" / "benefits").mkdir(parents=True, exist_ok=True)
    (folder / "rules" / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (folder / "rules" / "screener.py").write_text(RULES, encoding="utf-8")
    parameters = folder / "parameters" / "benefits"
    (parameters / "child_benefit.yaml").write_text(CHILD_BENEFIT, encoding="utf-8")
    (parameters / "unemployment.yaml").write_text(UNEMPLOYMENT, encoding="utf-8")
    (parameters / "housing.yaml").write_text(HOUSING, encoding="utf-8")
    return folder
