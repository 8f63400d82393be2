"""Facts about a person that many benefits use: age, income, work and schooling.

Inputs carry the names of the population registers' columns, so a whole country
can be computed from them with little mapping. Money is per month, before tax.
"""

from civitas.rules import (
    BOOL,
    DATE,
    INTEGER,
    MONEY,
    age_on,
    enumeration,
    p,
    period_end,
    period_start,
    v,
    variable,
)

CIVIL_REGISTRATION = "https://legislacao.gov.vd.example/civil-registration-act-2019"
CONTRIBUTIONS = "https://legislacao.gov.vd.example/social-security-contributions-code-2011"
EMPLOYMENT = "https://legislacao.gov.vd.example/employment-services-act-2016"
FAMILY = "https://legislacao.gov.vd.example/family-benefits-act-2018"
LABOUR = "https://legislacao.gov.vd.example/labour-code-2009"
SCHOOL = "https://legislacao.gov.vd.example/school-education-act-2018"
TAX = "https://legislacao.gov.vd.example/general-tax-code-2015"

# -- inputs -------------------------------------------------------------------------

birth_date = variable(
    "birth_date",
    entity="person",
    type=DATE,
    period="eternity",
    label={"en": "Date of birth", "pt": "Data de nascimento"},
    question={"en": "What is your date of birth?", "pt": "Qual é a sua data de nascimento?"},
    reference=CIVIL_REGISTRATION,
)

has_died = variable(
    "has_died",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Has died", "pt": "Faleceu"},
    reference=CIVIL_REGISTRATION,  # from the civil register; no screener asks the living
)

death_date = variable(
    "death_date",
    entity="person",
    type=DATE,
    period="eternity",
    label={"en": "Date of death", "pt": "Data do óbito"},
    reference=CIVIL_REGISTRATION,  # from the civil register
)

monthly_income = variable(
    "monthly_income",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Monthly income", "pt": "Rendimento mensal"},
    question={
        "en": "How much do you earn each month, before tax? Include any pension.",
        "pt": "Quanto ganha por mês, antes de impostos? Inclua a pensão, se tiver.",
    },
    documentation={
        "en": "Earnings from work, or the pension of a retired person, in the month.",
        "pt": "Rendimentos do trabalho, ou a pensão de quem está reformado, nesse mês.",
    },
    reference=TAX,
)

employment_status = variable(
    "employment_status",
    entity="person",
    type=enumeration("child", "student", "employed", "unemployed", "inactive", "retired"),
    period="month",
    label={"en": "Situation at work", "pt": "Situação profissional"},
    question={
        "en": "What is your situation at work?",
        "pt": "Qual é a sua situação profissional?",
    },
    documentation={
        "en": "Unemployed means without work and signed up as a jobseeker.",
        "pt": "Desempregado quer dizer sem trabalho e inscrito como candidato a emprego.",
    },
    reference=EMPLOYMENT,
    choices={
        "child": {"en": "A child, not yet at work", "pt": "Criança, ainda sem trabalhar"},
        "student": {"en": "Studying", "pt": "A estudar"},
        "employed": {"en": "Working", "pt": "A trabalhar"},
        "unemployed": {"en": "Unemployed", "pt": "Desempregado"},
        "inactive": {"en": "Not working and not looking", "pt": "Sem trabalho e sem procurar"},
        "retired": {"en": "Retired", "pt": "Reformado"},
    },
)

contribution_months = variable(
    "contribution_months",
    entity="person",
    type=INTEGER,
    period="month",
    unit="month",
    label={
        "en": "Months of social security contributions in the last 24 months",
        "pt": "Meses de descontos para a segurança social nos últimos 24 meses",
    },
    question={
        "en": "In the last 24 months, for how many months did you pay social security?",
        "pt": "Nos últimos 24 meses, durante quantos meses descontou para a segurança social?",
    },
    reference=CONTRIBUTIONS,
)

job_end_date = variable(
    "job_end_date",
    entity="person",
    type=DATE,
    period="month",
    label={"en": "End date of the last job", "pt": "Data de fim do último trabalho"},
    question={
        "en": "When did your last job end, or when does your contract end?",
        "pt": "Quando terminou o seu último trabalho, ou quando termina o seu contrato?",
    },
    reference=LABOUR,
)

disability = variable(
    "disability",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Has a recognised disability", "pt": "Tem uma incapacidade reconhecida"},
    question={
        "en": "Do you have a recognised disability?",
        "pt": "Tem uma incapacidade reconhecida?",
    },
    reference=CONTRIBUTIONS,
)

school_level = variable(
    "school_level",
    entity="person",
    type=enumeration("none", "childcare", "primary", "secondary"),
    period="month",
    label={"en": "School or childcare attended", "pt": "Escola ou creche que frequenta"},
    question={
        "en": "Do you go to a crèche, primary school or secondary school?",
        "pt": "Frequenta a creche, a escola primária ou a escola secundária?",
    },
    documentation={
        "en": "Childcare means a crèche or a nursery school, up to age 5.",
        "pt": "Creche quer dizer creche ou jardim de infância, até aos 5 anos.",
    },
    reference=SCHOOL,
    choices={
        "none": {"en": "None of these", "pt": "Nenhuma destas"},
        "childcare": {"en": "A crèche or nursery school", "pt": "Creche ou jardim de infância"},
        "primary": {"en": "Primary school", "pt": "Escola primária"},
        "secondary": {"en": "Secondary school", "pt": "Escola secundária"},
    },
)

has_child_at_home = variable(
    "has_child_at_home",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "A child of theirs lives with them", "pt": "Tem um filho a viver consigo"},
    question={
        "en": "Does a child of yours live with you?",
        "pt": "Tem algum filho a viver consigo?",
    },
    reference=FAMILY,
)

youngest_child_birth_date = variable(
    "youngest_child_birth_date",
    entity="person",
    type=DATE,
    period="month",
    label={
        "en": "Date of birth of their youngest child at home",
        "pt": "Data de nascimento do filho mais novo que vive consigo",
    },
    question={
        "en": "When was your youngest child born?",
        "pt": "Quando nasceu o seu filho mais novo?",
    },
    reference=FAMILY,
)

# -- facts computed from them ---------------------------------------------------------

age = variable(
    "age",
    entity="person",
    type=INTEGER,
    period="month",
    unit="year",
    label={"en": "Age on the first day of the month", "pt": "Idade no primeiro dia do mês"},
    reference=CIVIL_REGISTRATION,
    formula=age_on(v("birth_date")),
)

# Family Benefits Act, Article 4: a child is a person under the age limit (18).
is_child = variable(
    "is_child",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Is under 18", "pt": "Tem menos de 18 anos"},
    reference=f"{FAMILY}#article-4",
    formula=v("age") < p("benefits.child_benefit.age_limit"),
)

born_this_month = variable(
    "born_this_month",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Was born this month", "pt": "Nasceu este mês"},
    reference=CIVIL_REGISTRATION,
    formula=(v("birth_date") >= period_start()) & (v("birth_date") <= period_end()),
)

died_this_month = variable(
    "died_this_month",
    entity="person",
    type=BOOL,
    period="month",
    label={"en": "Died this month", "pt": "Faleceu este mês"},
    reference=CIVIL_REGISTRATION,
    formula=v("has_died") & (v("death_date") >= period_start()) & (v("death_date") <= period_end()),
)

# The yearly figure the means tests use: 12 times this month's income.
yearly_income = variable(
    "yearly_income",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Yearly income (12 times this month's)",
        "pt": "Rendimento anual (12 vezes o deste mês)",
    },
    reference=f"{TAX}#article-22",
    formula=v("monthly_income") * 12,
)

previous_month_income = variable(
    "previous_month_income",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={"en": "Income in the month before", "pt": "Rendimento do mês anterior"},
    reference=CONTRIBUTIONS,
    formula=v("monthly_income").last_month(),
)

# Parental Leave Act, Article 15(1), and Unemployment Protection Act, Article 28: the
# average of the 12 months before the month of the benefit.
reference_earnings = variable(
    "reference_earnings",
    entity="person",
    type=MONEY,
    period="month",
    unit="EUR",
    label={
        "en": "Average monthly earnings in the 12 months before",
        "pt": "Remuneração média mensal dos 12 meses anteriores",
    },
    reference="https://legislacao.gov.vd.example/parental-leave-act-2020#article-15",
    formula=v("previous_month_income").sum_of_last_months(12) / 12,
)
