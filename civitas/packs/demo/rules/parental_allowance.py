"""Parental allowance (Parental Leave Act 2020): pay while a parent is on leave
with a new baby, as a share of the parent's earnings before the leave."""

from civitas.rules import (
    BOOL,
    MONEY,
    days_between,
    minimum,
    p,
    period_end,
    period_start,
    v,
    variable,
    where,
)

LAW = "https://legislacao.gov.vd.example/parental-leave-act-2020"
SINCE = "2020-07-01"

# Article 9: the paid leave lasts 150 days from the birth. The allowance is paid for
# every month the leave reaches.
has_baby_in_leave_period = variable(
    "has_baby_in_leave_period",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Has a baby at home born less than 150 days before this month",
        "pt": "Tem em casa um bebé nascido há menos de 150 dias",
    },
    reference=f"{LAW}#article-9",
    formulas={
        SINCE: v("has_child_at_home")
        & (v("youngest_child_birth_date") <= period_end())
        & (
            days_between(v("youngest_child_birth_date"), period_start())
            < p("benefits.parental_allowance.duration_days")
        )
    },
)

# Article 8: enough months of social security contributions.
parental_allowance_contributions_met = variable(
    "parental_allowance_contributions_met",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Has paid social security for long enough",
        "pt": "Descontou para a segurança social durante tempo suficiente",
    },
    reference=f"{LAW}#article-8",
    formulas={
        SINCE: v("contribution_months")
        >= p("benefits.parental_allowance.minimum_contribution_months")
    },
)

parental_allowance_eligible = variable(
    "parental_allowance_eligible",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Can get parental allowance",
        "pt": "Tem direito ao subsídio parental",
    },
    reference=f"{LAW}#article-8",
    formulas={SINCE: v("has_baby_in_leave_period") & v("parental_allowance_contributions_met")},
)

# Article 15: a share of the average earnings of the 12 months before, up to a ceiling.
parental_allowance = variable(
    "parental_allowance",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Parental allowance", "pt": "Subsídio parental"},
    reference=f"{LAW}#article-15",
    service="parental-allowance",
    formulas={
        SINCE: where(
            v("parental_allowance_eligible"),
            minimum(
                v("reference_earnings") * p("benefits.parental_allowance.rate"),
                p("benefits.parental_allowance.monthly_ceiling"),
            ),
            0,
        )
    },
)
