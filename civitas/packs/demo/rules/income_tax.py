"""Income tax (General Tax Code 2015, Article 68): a marginal rate scale on the
yearly income, withheld in twelve equal monthly parts."""

from civitas.rules import MONEY, p, v, variable

LAW = "https://legislacao.gov.vd.example/general-tax-code-2015"

income_tax = variable(
    "income_tax",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Income tax withheld this month", "pt": "Imposto retido este mês"},
    documentation={
        "en": "The tax on the yearly income (12 times this month's), divided by 12.",
        "pt": "O imposto sobre o rendimento anual (12 vezes o deste mês), a dividir por 12.",
    },
    reference=f"{LAW}#article-68",
    formulas={"2024-01-01": p("tax.income_tax.rates").calc(v("yearly_income")) / 12},
)
