"""Housing allowance (Housing Support Act 2021): part of the rent of households
with a low income whose rent is high for them."""

from civitas.rules import BOOL, MONEY, minimum, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/housing-support-act-2021"
SINCE = "2021-06-01"

# Article 3: only homes rented from a private landlord; social housing has its own rent.
rents_privately = variable(
    "rents_privately",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household rents its home from a private landlord",
        "pt": "O agregado arrenda a casa a um senhorio privado",
    },
    reference=f"{LAW}#article-3",
    formula=v("tenure") == "renter",
)

# Article 4: the highest yearly income that qualifies.
housing_allowance_income_within_limit = variable(
    "housing_allowance_income_within_limit",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household's yearly income is within the housing allowance limit",
        "pt": "O rendimento anual do agregado está dentro do limite do apoio à renda",
    },
    reference=f"{LAW}#article-4",
    formulas={
        SINCE: v("household_yearly_income") <= p("housing.housing_allowance.income_threshold")
    },
)

# Article 5: the rent takes more than a set share of the household's income.
rent_is_high_for_income = variable(
    "rent_is_high_for_income",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The rent takes more than 35% of the household's income",
        "pt": "A renda leva mais de 35% do rendimento do agregado",
    },
    reference=f"{LAW}#article-5",
    formulas={
        SINCE: v("monthly_rent")
        > v("household_monthly_income") * p("housing.housing_allowance.rent_burden_share")
    },
)

housing_allowance_eligible = variable(
    "housing_allowance_eligible",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household can get the housing allowance",
        "pt": "O agregado tem direito ao apoio à renda",
    },
    reference=f"{LAW}#article-3",
    formulas={
        SINCE: v("rents_privately")
        & v("housing_allowance_income_within_limit")
        & v("rent_is_high_for_income")
    },
)

# Article 8: a share of the rent, up to a monthly cap.
housing_allowance = variable(
    "housing_allowance",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Housing allowance", "pt": "Apoio à renda"},
    reference=f"{LAW}#article-8",
    service="housing-allowance",
    formulas={
        SINCE: where(
            v("housing_allowance_eligible"),
            minimum(
                v("monthly_rent") * p("housing.housing_allowance.share_of_rent"),
                p("housing.housing_allowance.monthly_cap"),
            ),
            0,
        )
    },
)
