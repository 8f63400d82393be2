"""Funeral grant (Death Benefits Act 2017, Article 6): a one-off help with the cost
of the funeral of a person who died, paid to whoever paid for the funeral."""

from civitas.rules import BOOL, MONEY, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/death-benefits-act-2017"
SINCE = "2017-01-01"

funeral_grant_eligible = variable(
    "funeral_grant_eligible",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "A funeral grant is due for this person",
        "pt": "É devido um subsídio de funeral por esta pessoa",
    },
    reference=f"{LAW}#article-5",
    formulas={SINCE: v("died_this_month")},
)

funeral_grant = variable(
    "funeral_grant",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Funeral grant", "pt": "Subsídio de funeral"},
    reference=f"{LAW}#article-6",
    service="funeral-grant",
    formulas={SINCE: where(v("funeral_grant_eligible"), p("benefits.funeral_grant"), 0)},
)
