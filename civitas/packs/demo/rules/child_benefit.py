"""Child benefit (Family Benefits Act 2018): a monthly amount for each child.

The amount per child depends on the household's yearly income, in tiers (Article 7);
the State Budget Act 2026 raised every tier from January 2026.
"""

from civitas.rules import BOOL, MONEY, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/family-benefits-act-2018"
SINCE = "2024-01-01"  # the tiers in force since 2024 (older tiers are not kept)

# Article 4: a child under 18 who lives with a parent.
has_children = variable(
    "has_children",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "There is a child under 18 in the household",
        "pt": "Há uma criança com menos de 18 anos no agregado",
    },
    reference=f"{LAW}#article-4",
    formula=v("child_count") > 0,
)

# Article 7: the amount of the household's income tier (0 above the last limit).
child_benefit_per_child = variable(
    "child_benefit_per_child",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Child benefit for each child", "pt": "Abono de família por cada criança"},
    reference=f"{LAW}#article-7",
    formulas={
        SINCE: p("benefits.child_benefit.amount_by_income").calc(v("household_yearly_income"))
    },
)

child_benefit_income_below_limit = variable(
    "child_benefit_income_below_limit",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household's yearly income is below the child benefit limit",
        "pt": "O rendimento anual do agregado está abaixo do limite do abono de família",
    },
    reference=f"{LAW}#article-7",
    formulas={SINCE: v("child_benefit_per_child") > 0},
)

child_benefit_eligible = variable(
    "child_benefit_eligible",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household can get child benefit",
        "pt": "O agregado tem direito ao abono de família",
    },
    reference=f"{LAW}#article-3",
    formulas={SINCE: v("has_children") & v("child_benefit_income_below_limit")},
)

child_benefit = variable(
    "child_benefit",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Child benefit", "pt": "Abono de família"},
    documentation={
        "en": "The amount for each child times the number of children under 18.",
        "pt": "O montante por criança vezes o número de crianças com menos de 18 anos.",
    },
    reference=f"{LAW}#article-7",
    service="child-benefit",
    formulas={
        SINCE: where(
            v("child_benefit_eligible"),
            v("child_count") * v("child_benefit_per_child"),
            0,
        )
    },
)
