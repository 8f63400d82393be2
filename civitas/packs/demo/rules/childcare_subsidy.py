"""Childcare subsidy (Porto Alto Nursery Rules 2022): the municipality pays part of
the crèche fee of young children of Porto Alto households with a modest income."""

from civitas.rules import BOOL, MONEY, from_group, minimum, p, v, variable, where

LAW = "https://legislacao.gov.vd.example/municipal/porto-alto/childcare-rules-2022"
SINCE = "2022-09-01"
PORTO_ALTO = "VLD-PA"

childcare_fee = variable(
    "childcare_fee",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Monthly crèche fee", "pt": "Mensalidade da creche"},
    question={
        "en": "How much is the crèche fee for this child each month?",
        "pt": "Quanto custa a creche desta criança por mês?",
    },
    reference=f"{LAW}#rule-5",
)

attends_childcare = variable(
    "attends_childcare",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Goes to a crèche", "pt": "Frequenta a creche"},
    reference=f"{LAW}#rule-2",
    formula=v("school_level") == "childcare",
)

# Rule 2: children under 3.
under_childcare_age_limit = variable(
    "under_childcare_age_limit",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Is under 3", "pt": "Tem menos de 3 anos"},
    reference=f"{LAW}#rule-2",
    formulas={SINCE: v("age") < p("benefits.childcare_subsidy.age_limit")},
)

# Rule 1: the rules apply to households living in Porto Alto.
lives_in_porto_alto = variable(
    "lives_in_porto_alto",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Lives in Porto Alto", "pt": "Vive em Porto Alto"},
    reference=f"{LAW}#rule-1",
    formula=from_group("household", v("municipality") == PORTO_ALTO),
)

# Rule 3: the highest yearly household income that qualifies.
childcare_income_within_limit = variable(
    "childcare_income_within_limit",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "The household's yearly income is within the childcare subsidy limit",
        "pt": "O rendimento anual do agregado está dentro do limite do apoio à creche",
    },
    reference=f"{LAW}#rule-3",
    formulas={
        SINCE: from_group(
            "household",
            v("household_yearly_income") <= p("benefits.childcare_subsidy.income_threshold"),
        )
    },
)

childcare_subsidy_eligible = variable(
    "childcare_subsidy_eligible",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Can get the childcare subsidy",
        "pt": "Tem direito ao apoio à creche",
    },
    reference=f"{LAW}#rule-1",
    formulas={
        SINCE: v("attends_childcare")
        & v("under_childcare_age_limit")
        & v("lives_in_porto_alto")
        & v("childcare_income_within_limit")
    },
)

# Rules 5 and 6: a share of the fee, up to a monthly cap per child.
childcare_subsidy = variable(
    "childcare_subsidy",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Childcare subsidy", "pt": "Apoio à creche"},
    reference=f"{LAW}#rule-5",
    service="childcare-place",
    formulas={
        SINCE: where(
            v("childcare_subsidy_eligible"),
            minimum(
                v("childcare_fee") * p("benefits.childcare_subsidy.share_of_fee"),
                p("benefits.childcare_subsidy.monthly_cap"),
            ),
            0,
        )
    },
)
