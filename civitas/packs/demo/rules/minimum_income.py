"""Minimum income (Minimum Income Act 2016): tops the household's income up to a
reference amount set by who lives in it."""

from civitas.rules import BOOL, MONEY, members, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/minimum-income-act-2016"
SINCE = "2016-01-01"

# Article 10(1): the first adult, each other adult and each child add an amount.
minimum_income_reference_amount = variable(
    "minimum_income_reference_amount",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "The household's minimum income amount",
        "pt": "Montante de rendimento mínimo do agregado",
    },
    reference=f"{LAW}#article-10",
    formulas={
        SINCE: p("benefits.minimum_income.first_adult")
        + v("other_adult_count") * p("benefits.minimum_income.other_adult")
        + v("child_count") * p("benefits.minimum_income.child")
    },
)

has_adult_member = variable(
    "has_adult_member",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "An adult aged 18 or over lives in the household",
        "pt": "Vive no agregado um adulto com 18 ou mais anos",
    },
    reference=f"{LAW}#article-4",
    formula=members("household", "adult").any(v("age") >= 18),
)

minimum_income_below_reference = variable(
    "minimum_income_below_reference",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household's income is below its minimum income amount",
        "pt": "O rendimento do agregado está abaixo do seu montante de rendimento mínimo",
    },
    reference=f"{LAW}#article-9",
    formulas={SINCE: v("household_monthly_income") < v("minimum_income_reference_amount")},
)

minimum_income_eligible = variable(
    "minimum_income_eligible",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household can get minimum income",
        "pt": "O agregado tem direito ao rendimento mínimo",
    },
    reference=f"{LAW}#article-4",
    formulas={SINCE: v("has_adult_member") & v("minimum_income_below_reference")},
)

# Article 11: the benefit is the gap between the reference amount and the income.
minimum_income = variable(
    "minimum_income",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Minimum income", "pt": "Rendimento mínimo"},
    reference=f"{LAW}#article-11",
    service="minimum-income",
    formulas={
        SINCE: where(
            v("minimum_income_eligible"),
            v("minimum_income_reference_amount") - v("household_monthly_income"),
            0,
        )
    },
)
