"""Free school meals (School Support Act 2021): a free lunch for pupils from
households with a low income."""

from civitas.rules import BOOL, from_group, one_of, p, v, variable

LAW = "https://legislacao.gov.vd.example/school-support-act-2021"
SINCE = "2021-09-01"

# Article 10: pupils of primary and secondary schools.
attends_school = variable(
    "attends_school",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Goes to primary or secondary school",
        "pt": "Frequenta a escola primária ou secundária",
    },
    reference=f"{LAW}#article-10",
    formula=one_of(v("school_level"), ["primary", "secondary"]),
)

# Article 11: the highest yearly household income that qualifies.
school_meals_income_within_limit = variable(
    "school_meals_income_within_limit",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "The household's yearly income is within the free school meals limit",
        "pt": "O rendimento anual do agregado está dentro do limite das refeições gratuitas",
    },
    reference=f"{LAW}#article-11",
    formulas={
        SINCE: from_group(
            "household",
            v("household_yearly_income") <= p("education.free_school_meals.income_threshold"),
        )
    },
)

free_school_meals_eligible = variable(
    "free_school_meals_eligible",
    entity="person",
    type=BOOL,
    period="month",
    label={
        "en": "Can get free school meals",
        "pt": "Tem direito a refeições escolares gratuitas",
    },
    reference=f"{LAW}#article-10",
    formulas={SINCE: v("attends_school") & v("school_meals_income_within_limit")},
)

# The benefit is the meal itself: yes or no.
free_school_meals = variable(
    "free_school_meals",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Free school meals", "pt": "Refeições escolares gratuitas"},
    reference=f"{LAW}#article-10",
    service="free-school-meals",
    formulas={SINCE: v("free_school_meals_eligible")},
)
