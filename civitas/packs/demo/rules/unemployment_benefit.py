"""Unemployment benefit (Unemployment Protection Act 2017): pay while looking for
work, for people who paid social security for long enough.

From January 2025 fewer months of contributions are needed (Article 22: 12 became 9).
"""

from civitas.rules import (
    BOOL,
    MONEY,
    maximum,
    minimum,
    months_between,
    p,
    period_start,
    v,
    variable,
    where,
)

LAW = "https://legislacao.gov.vd.example/unemployment-protection-act-2017"
SINCE = "2017-01-01"

is_unemployed = variable(
    "is_unemployed",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Is unemployed and signed up as a jobseeker",
        "pt": "Está desempregado e inscrito como candidato a emprego",
    },
    reference=f"{LAW}#article-20",
    formula=v("employment_status") == "unemployed",
)

# Article 22: contributions in at least the minimum number of the last 24 months.
unemployment_contributions_met = variable(
    "unemployment_contributions_met",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Has paid social security for enough months in the last 24",
        "pt": "Descontou para a segurança social meses suficientes nos últimos 24",
    },
    reference=f"{LAW}#article-22",
    formulas={
        SINCE: v("contribution_months")
        >= p("benefits.unemployment_benefit.minimum_contribution_months")
    },
)

# Article 37: the benefit is paid for a number of months after the job ended.
job_ended_within_benefit_period = variable(
    "job_ended_within_benefit_period",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "The last job ended less than 12 months before this month",
        "pt": "O último trabalho terminou há menos de 12 meses",
    },
    reference=f"{LAW}#article-37",
    formulas={
        SINCE: (v("job_end_date") < period_start())
        & (
            months_between(v("job_end_date"), period_start())
            < p("benefits.unemployment_benefit.duration_months")
        )
    },
)

unemployment_benefit_eligible = variable(
    "unemployment_benefit_eligible",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Can get unemployment benefit",
        "pt": "Tem direito ao subsídio de desemprego",
    },
    reference=f"{LAW}#article-20",
    formulas={
        SINCE: v("is_unemployed")
        & v("unemployment_contributions_met")
        & v("job_ended_within_benefit_period")
    },
)

# Articles 28 and 29: a share of the average earnings, between a lowest and a highest amount.
unemployment_benefit = variable(
    "unemployment_benefit",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Unemployment benefit", "pt": "Subsídio de desemprego"},
    reference=f"{LAW}#article-28",
    service="unemployment-benefit",
    formulas={
        SINCE: where(
            v("unemployment_benefit_eligible"),
            minimum(
                maximum(
                    v("reference_earnings") * p("benefits.unemployment_benefit.rate"),
                    p("benefits.unemployment_benefit.monthly_minimum"),
                ),
                p("benefits.unemployment_benefit.monthly_maximum"),
            ),
            0,
        )
    },
)
