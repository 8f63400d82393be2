"""Pension supplement (Pension Supplement Act 2019): tops up a low pension so that
the pensioner's yearly income reaches the limit.

Until 2024 the income of the pensioner's children counted too (Article 7); from
January 2025 it no longer does.
"""

from civitas.rules import BOOL, MONEY, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/pension-supplement-act-2019"
SINCE = "2019-01-01"

children_yearly_income = variable(
    "children_yearly_income",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Yearly income of the person's children",
        "pt": "Rendimento anual dos filhos da pessoa",
    },
    question={
        "en": "How much do your children earn in a year, all together?",
        "pt": "Quanto ganham os seus filhos por ano, no total?",
    },
    reference=f"{LAW}#article-7",
)

is_retired = variable(
    "is_retired",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Is retired and gets a pension", "pt": "Está reformado e recebe uma pensão"},
    reference=f"{LAW}#article-3",
    formula=v("employment_status") == "retired",
)

reached_pension_supplement_age = variable(
    "reached_pension_supplement_age",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Is 66 or older", "pt": "Tem 66 ou mais anos"},
    reference=f"{LAW}#article-3",
    formulas={SINCE: v("age") >= p("pensions.pension_supplement.minimum_age")},
)

# Article 7: the income that counts; the children's income only while the law says so.
pension_supplement_income = variable(
    "pension_supplement_income",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Yearly income counted for the pension supplement",
        "pt": "Rendimento anual que conta para o complemento",
    },
    reference=f"{LAW}#article-7",
    formulas={
        SINCE: where(
            p("pensions.pension_supplement.counts_children_income"),
            v("yearly_income") + v("children_yearly_income"),
            v("yearly_income"),
        )
    },
)

pension_supplement_income_below_limit = variable(
    "pension_supplement_income_below_limit",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "The yearly income is below the pension supplement limit",
        "pt": "O rendimento anual está abaixo do limite do complemento",
    },
    reference=f"{LAW}#article-5",
    formulas={
        SINCE: v("pension_supplement_income") < p("pensions.pension_supplement.income_threshold")
    },
)

pension_supplement_eligible = variable(
    "pension_supplement_eligible",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Can get the pension supplement",
        "pt": "Tem direito ao complemento de pensão",
    },
    reference=f"{LAW}#article-3",
    formulas={
        SINCE: v("is_retired")
        & v("reached_pension_supplement_age")
        & v("pension_supplement_income_below_limit")
    },
)

# Article 8: one twelfth of the gap between the limit and the yearly income.
pension_supplement = variable(
    "pension_supplement",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Pension supplement", "pt": "Complemento de pensão"},
    reference=f"{LAW}#article-8",
    service="pension-supplement",
    formulas={
        SINCE: where(
            v("pension_supplement_eligible"),
            (p("pensions.pension_supplement.income_threshold") - v("pension_supplement_income"))
            / 12,
            0,
        )
    },
)
