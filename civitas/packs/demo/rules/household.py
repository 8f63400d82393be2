"""Facts about a household: its home, its members and its income.

Means tests compare the household's income with a limit. Family Benefits Act,
Article 5: the household's income is what its adults earn or get as a pension
(children under 18 living with a parent do not count), and the yearly reference
income is 12 times this month's. The other acts that test means use the same
definition.
"""

from civitas.rules import INTEGER, MONEY, enumeration, maximum, members, v, variable

CIVIL_REGISTRATION = "https://legislacao.gov.vd.example/civil-registration-act-2019"
FAMILY = "https://legislacao.gov.vd.example/family-benefits-act-2018"
HOUSING = "https://legislacao.gov.vd.example/housing-support-act-2021"

# fmt: off
MUNICIPALITIES = (
    "VLD-SV", "VLD-PA", "VLD-MF", "VLD-RV",  # Capital region
    "VLD-BR", "VLD-VF", "VLD-SM", "VLD-AN",  # North
    "VLD-PL", "VLD-CB", "VLD-SA",  # Coast
    "VLD-CL", "VLD-PV", "VLD-AL",  # Interior
    "VLD-FR", "VLD-PN",  # Border
)
# fmt: on

# -- inputs -------------------------------------------------------------------------

tenure = variable(
    "tenure",
    entity="household",
    type=enumeration("owner", "renter", "social_renter"),
    period="month",
    label={"en": "How the household holds its home", "pt": "Regime de ocupação da casa"},
    question={
        "en": "Do you own your home, rent it from a private landlord, or rent social housing?",
        "pt": "A sua casa é própria, arrendada a um senhorio privado, ou é habitação social?",
    },
    reference=f"{HOUSING}#article-3",
)

monthly_rent = variable(
    "monthly_rent",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Monthly rent", "pt": "Renda mensal"},
    question={
        "en": "How much rent do you pay each month?",
        "pt": "Quanto paga de renda por mês?",
    },
    reference=f"{HOUSING}#article-3",
)

municipality = variable(
    "municipality",
    entity="household",
    type=enumeration(*MUNICIPALITIES),
    period="month",
    label={"en": "Municipality of the home", "pt": "Concelho da habitação"},
    question={"en": "In which municipality do you live?", "pt": "Em que concelho vive?"},
    documentation={
        "en": "The municipality's code, e.g. VLD-PA for Porto Alto.",
        "pt": "O código do concelho, por exemplo VLD-PA para Porto Alto.",
    },
    reference=CIVIL_REGISTRATION,
)

# -- members ------------------------------------------------------------------------

adult_count = variable(
    "adult_count",
    entity="household",
    type=INTEGER,
    period="month",
    label={"en": "Number of adults", "pt": "Número de adultos"},
    reference=f"{FAMILY}#article-4",
    formula=members("household", "adult").count(),
)

# Family Benefits Act, Article 4: children under 18 who live with a parent.
child_count = variable(
    "child_count",
    entity="household",
    type=INTEGER,
    period="month",
    label={"en": "Number of children under 18", "pt": "Número de crianças com menos de 18 anos"},
    reference=f"{FAMILY}#article-4",
    formula=members("household", "child").count(v("is_child")),
)

other_adult_count = variable(
    "other_adult_count",
    entity="household",
    type=INTEGER,
    period="month",
    label={"en": "Number of adults after the first", "pt": "Número de adultos além do primeiro"},
    reference=f"{FAMILY}#article-4",
    formula=maximum(v("adult_count") - 1, 0),
)

# -- income -------------------------------------------------------------------------

# Article 5: the income of the adults.
household_monthly_income = variable(
    "household_monthly_income",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Household income this month (what the adults earn)",
        "pt": "Rendimento do agregado este mês (o que os adultos ganham)",
    },
    reference=f"{FAMILY}#article-5",
    formula=members("household", "adult").sum(v("monthly_income")),
)

household_yearly_income = variable(
    "household_yearly_income",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Yearly household income (12 times this month's)",
        "pt": "Rendimento anual do agregado (12 vezes o deste mês)",
    },
    documentation={
        "en": "Article 5: 12 times the adults' income this month.",
        "pt": "Artigo 5.º: 12 vezes o rendimento dos adultos neste mês.",
    },
    reference=f"{FAMILY}#article-5",
    formula=v("household_monthly_income") * 12,
)
