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

MUNICIPALITY_NAMES = {
    "VLD-SV": "São Valério", "VLD-PA": "Porto Alto", "VLD-MF": "Monte Formoso",
    "VLD-RV": "Ribeira Verde",  # Capital region
    "VLD-BR": "Braços do Rio", "VLD-VF": "Vila Franca do Norte", "VLD-SM": "Serra Mourão",
    "VLD-AN": "Águeda Nova",  # North
    "VLD-PL": "Praia Longa", "VLD-CB": "Cabo Bravo", "VLD-SA": "Salinas",  # Coast
    "VLD-CL": "Castelo Leão", "VLD-PV": "Pedra Velha", "VLD-AL": "Aldeia Longe",  # Interior
    "VLD-FR": "Fronteira", "VLD-PN": "Ponte Nova",  # Border
}  # fmt: skip
MUNICIPALITIES = tuple(MUNICIPALITY_NAMES)

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
    choices={
        "owner": {"en": "We own it", "pt": "É própria"},
        "renter": {
            "en": "We rent it from a private landlord",
            "pt": "Arrendada a um senhorio privado",
        },
        "social_renter": {"en": "We rent social housing", "pt": "Habitação social arrendada"},
    },
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
    reference=CIVIL_REGISTRATION,
    choices={code: {"en": name, "pt": name} for code, name in MUNICIPALITY_NAMES.items()},
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
