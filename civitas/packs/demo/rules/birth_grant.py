"""Birth grant (Family Benefits Act 2018, Article 12): one payment for each baby."""

from civitas.rules import BOOL, INTEGER, MONEY, members, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/family-benefits-act-2018"

births_this_month = variable(
    "births_this_month",
    entity="household",
    type=INTEGER,
    period="month",
    label={"en": "Babies born this month", "pt": "Bebés nascidos este mês"},
    reference=f"{LAW}#article-12",
    formula=members("household").count(v("born_this_month")),
)

birth_grant_eligible = variable(
    "birth_grant_eligible",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "A baby was born in the household this month",
        "pt": "Nasceu um bebé no agregado este mês",
    },
    reference=f"{LAW}#article-12",
    formula=v("births_this_month") > 0,
)

# Article 12: the grant is paid once for each child born.
birth_grant = variable(
    "birth_grant",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Birth grant", "pt": "Subsídio de nascimento"},
    reference=f"{LAW}#article-12",
    service="birth-grant",
    formulas={
        "2018-01-01": where(
            v("birth_grant_eligible"), v("births_this_month") * p("benefits.birth_grant"), 0
        )
    },
)
