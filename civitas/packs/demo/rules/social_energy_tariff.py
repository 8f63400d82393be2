"""Social energy tariff (Social Energy Tariff Act 2020): a discount on the
electricity bill of households with a low income or a means-tested benefit.

A temporary winter supplement (Article 4A) was paid from October 2022 and ended
in April 2024.
"""

from civitas.rules import BOOL, MONEY, RATE, members, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/social-energy-tariff-act-2020"
SINCE = "2020-01-01"

# Article 2(1): the highest yearly income that qualifies.
energy_income_within_limit = variable(
    "energy_income_within_limit",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household's yearly income is within the social energy tariff limit",
        "pt": "O rendimento anual do agregado está dentro do limite da tarifa social",
    },
    reference=f"{LAW}#article-2",
    formulas={
        SINCE: v("household_yearly_income") <= p("energy.social_energy_tariff.income_threshold")
    },
)

# Article 2(2): households that get minimum income or a pension supplement qualify too.
gets_means_tested_benefit = variable(
    "gets_means_tested_benefit",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "Someone in the household gets minimum income or the pension supplement",
        "pt": "Alguém no agregado recebe o rendimento mínimo ou o complemento de pensão",
    },
    reference=f"{LAW}#article-2",
    formula=v("minimum_income_eligible")
    | members("household").any(v("pension_supplement_eligible")),
)

social_energy_tariff_eligible = variable(
    "social_energy_tariff_eligible",
    entity="household",
    type=BOOL,
    period="month",
    label={
        "en": "The household can get the social energy tariff",
        "pt": "O agregado tem direito à tarifa social de energia",
    },
    reference=f"{LAW}#article-2",
    formulas={SINCE: v("energy_income_within_limit") | v("gets_means_tested_benefit")},
)

# Article 4: the discount on the electricity bill.
social_energy_tariff = variable(
    "social_energy_tariff",
    entity="household",
    type=RATE,
    period="month",
    label={
        "en": "Social energy tariff discount",
        "pt": "Desconto da tarifa social de energia",
    },
    reference=f"{LAW}#article-4",
    service="social-energy-tariff",
    formulas={
        SINCE: where(
            v("social_energy_tariff_eligible"), p("energy.social_energy_tariff.discount"), 0
        )
    },
)

# Article 4A: an extra amount each month, from October 2022 to March 2024.
social_energy_winter_supplement = variable(
    "social_energy_winter_supplement",
    entity="household",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Winter supplement of the social energy tariff",
        "pt": "Suplemento de inverno da tarifa social de energia",
    },
    reference=f"{LAW}#article-4a",
    formulas={
        "2022-10-01": where(
            v("social_energy_tariff_eligible"),
            p("energy.social_energy_tariff.winter_supplement"),
            0,
        ),
        "2024-04-01": None,  # ended by the law
    },
)
