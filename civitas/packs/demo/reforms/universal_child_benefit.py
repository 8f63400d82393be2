"""A proposal: child benefit for every child at the first tier's amount, with no income
test (what-if; not law). It replaces the formula of the amount per child."""

from civitas.rules import MONEY, money, p, variable
from civitas.rules.reforms import reform

universal_child_benefit = reform(
    "universal-child-benefit",
    label={
        "en": "Child benefit for every child, whatever the income",
        "pt": "Abono de família para todas as crianças, seja qual for o rendimento",
    },
    variables=[
        variable(
            "child_benefit_per_child",
            entity="household",
            type=MONEY,
            period="month",
            unit="EUR",
            label={"en": "Child benefit for each child", "pt": "Abono de família por cada criança"},
            reference="https://legislacao.gov.vd.example/family-benefits-act-2018#article-7",
            formulas={
                "2024-01-01": p("benefits.child_benefit.amount_by_income").calc(money(0)),
            },
        )
    ],
)
