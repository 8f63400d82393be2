"""The benefits of Valdoria's demo law, formula by formula, each from the date it applies.

Mirrors ``civitas/packs/demo/rules/*.py``: the same conditions, parameters and dates.
A formula named ``formula_YYYY_MM_DD`` applies from that date (OpenFisca's way of
writing a law that starts or changes on a date); before it the value is 0 or False.
"""

# OpenFisca variables are snake_case classes; formulas take the entity, not self.
# ruff: noqa: N801, N805

from __future__ import annotations

from typing import Any

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from .arithmetic import cents, day, days_between, whole_months
from .entities import Household, Person
from .inputs import Municipality, SchoolLevel, Tenure

MONTH = DateUnit.MONTH
where = numpy.where
min_ = numpy.minimum
max_ = numpy.maximum


# -- birth grant (Family Benefits Act 2018, Article 12) ------------------------------------


class births_this_month(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Babies born this month"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return household.sum(household.members("born_this_month", period))


class birth_grant_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "A baby was born in the household this month"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return household("births_this_month", period) > 0


class birth_grant(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Birth grant"
    reference = "https://legislacao.gov.vd.example/family-benefits-act-2018#article-12"

    def formula_2018_01_01(household: Any, period: Any, parameters: Any) -> Any:
        amount = household("births_this_month", period) * parameters(period).benefits.birth_grant
        return where(household("birth_grant_eligible", period), cents(amount), 0)


# -- child benefit (Family Benefits Act 2018, Articles 3, 4 and 7) --------------------------


class has_children(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "There is a child under 18 in the household"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return household("child_count", period) > 0


class child_benefit_per_child(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Child benefit for each child"

    def formula_2024_01_01(household: Any, period: Any, parameters: Any) -> Any:
        scale = parameters(period).benefits.child_benefit.amount_by_income
        return scale.calc(household("household_yearly_income", period))


class child_benefit_income_below_limit(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household's yearly income is below the child benefit limit"

    def formula_2024_01_01(household: Any, period: Any, parameters: Any) -> Any:
        return household("child_benefit_per_child", period) > 0


class child_benefit_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household can get child benefit"

    def formula_2024_01_01(household: Any, period: Any, parameters: Any) -> Any:
        return household("has_children", period) & household(
            "child_benefit_income_below_limit", period
        )


class child_benefit(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Child benefit"
    reference = "https://legislacao.gov.vd.example/family-benefits-act-2018#article-7"

    def formula_2024_01_01(household: Any, period: Any, parameters: Any) -> Any:
        amount = household("child_count", period) * household("child_benefit_per_child", period)
        return where(household("child_benefit_eligible", period), cents(amount), 0)


# -- childcare subsidy (Porto Alto Nursery Rules 2022) --------------------------------------


class attends_childcare(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Goes to a crèche"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person("school_level", period) == SchoolLevel.childcare


class under_childcare_age_limit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Is under 3"

    def formula_2022_09_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("age", period) < parameters(period).benefits.childcare_subsidy.age_limit


class lives_in_porto_alto(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Lives in Porto Alto"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person.household("municipality", period) == Municipality.VLD_PA


class childcare_income_within_limit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "The household's yearly income is within the childcare subsidy limit"

    def formula_2022_09_01(person: Any, period: Any, parameters: Any) -> Any:
        limit = parameters(period).benefits.childcare_subsidy.income_threshold
        return person.household("household_yearly_income", period) <= limit


class childcare_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Can get the childcare subsidy"

    def formula_2022_09_01(person: Any, period: Any, parameters: Any) -> Any:
        return (
            person("attends_childcare", period)
            & person("under_childcare_age_limit", period)
            & person("lives_in_porto_alto", period)
            & person("childcare_income_within_limit", period)
        )


class childcare_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Childcare subsidy"
    reference = "https://legislacao.gov.vd.example/municipal/porto-alto/childcare-rules-2022"

    def formula_2022_09_01(person: Any, period: Any, parameters: Any) -> Any:
        rules = parameters(period).benefits.childcare_subsidy
        share = cents(person("childcare_fee", period) * rules.share_of_fee)
        return where(
            person("childcare_subsidy_eligible", period), min_(share, rules.monthly_cap), 0
        )


# -- free school meals (School Support Act 2021, Articles 10 and 11) --------------------------


class attends_school(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Goes to primary or secondary school"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        level = person("school_level", period)
        return (level == SchoolLevel.primary) | (level == SchoolLevel.secondary)


class school_meals_income_within_limit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "The household's yearly income is within the free school meals limit"

    def formula_2021_09_01(person: Any, period: Any, parameters: Any) -> Any:
        limit = parameters(period).education.free_school_meals.income_threshold
        return person.household("household_yearly_income", period) <= limit


class free_school_meals_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Can get free school meals"

    def formula_2021_09_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("attends_school", period) & person("school_meals_income_within_limit", period)


class free_school_meals(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Free school meals"
    reference = "https://legislacao.gov.vd.example/school-support-act-2021#article-10"

    def formula_2021_09_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("free_school_meals_eligible", period)


# -- funeral grant (Death Benefits Act 2017, Articles 5 and 6) ------------------------------


class funeral_grant_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "A funeral grant is due for this person"

    def formula_2017_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("died_this_month", period)


class funeral_grant(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Funeral grant"
    reference = "https://legislacao.gov.vd.example/death-benefits-act-2017#article-6"

    def formula_2017_01_01(person: Any, period: Any, parameters: Any) -> Any:
        grant = parameters(period).benefits.funeral_grant
        return where(person("funeral_grant_eligible", period), grant, 0)


# -- housing allowance (Housing Support Act 2021) -----------------------------------------


class rents_privately(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household rents its home from a private landlord"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return household("tenure", period) == Tenure.renter


class housing_allowance_income_within_limit(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household's yearly income is within the housing allowance limit"

    def formula_2021_06_01(household: Any, period: Any, parameters: Any) -> Any:
        limit = parameters(period).housing.housing_allowance.income_threshold
        return household("household_yearly_income", period) <= limit


class rent_is_high_for_income(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The rent takes more than 35% of the household's income"

    def formula_2021_06_01(household: Any, period: Any, parameters: Any) -> Any:
        share = parameters(period).housing.housing_allowance.rent_burden_share
        burden = cents(household("household_monthly_income", period) * share)
        return household("monthly_rent", period) > burden


class housing_allowance_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household can get the housing allowance"

    def formula_2021_06_01(household: Any, period: Any, parameters: Any) -> Any:
        return (
            household("rents_privately", period)
            & household("housing_allowance_income_within_limit", period)
            & household("rent_is_high_for_income", period)
        )


class housing_allowance(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Housing allowance"
    reference = "https://legislacao.gov.vd.example/housing-support-act-2021#article-8"

    def formula_2021_06_01(household: Any, period: Any, parameters: Any) -> Any:
        rules = parameters(period).housing.housing_allowance
        share = cents(household("monthly_rent", period) * rules.share_of_rent)
        return where(
            household("housing_allowance_eligible", period), min_(share, rules.monthly_cap), 0
        )


# -- income tax (General Tax Code 2015, Article 68) ----------------------------------------


class income_tax(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Income tax withheld this month"
    reference = "https://legislacao.gov.vd.example/general-tax-code-2015#article-68"

    def formula_2024_01_01(person: Any, period: Any, parameters: Any) -> Any:
        scale = parameters(period).tax.income_tax.rates
        return cents(cents(scale.calc(person("yearly_income", period))) / 12)


# -- minimum income (Minimum Income Act 2016) ---------------------------------------------


class minimum_income_reference_amount(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "The household's minimum income amount"

    def formula_2016_01_01(household: Any, period: Any, parameters: Any) -> Any:
        amounts = parameters(period).benefits.minimum_income
        return cents(
            amounts.first_adult
            + cents(household("other_adult_count", period) * amounts.other_adult)
            + cents(household("child_count", period) * amounts.child)
        )


class has_adult_member(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "An adult aged 18 or over lives in the household"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        adult = household.members("age", period) >= 18
        return household.any(adult, role=Household.ADULT)


class minimum_income_below_reference(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household's income is below its minimum income amount"

    def formula_2016_01_01(household: Any, period: Any, parameters: Any) -> Any:
        return household("household_monthly_income", period) < household(
            "minimum_income_reference_amount", period
        )


class minimum_income_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household can get minimum income"

    def formula_2016_01_01(household: Any, period: Any, parameters: Any) -> Any:
        return household("has_adult_member", period) & household(
            "minimum_income_below_reference", period
        )


class minimum_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Minimum income"
    reference = "https://legislacao.gov.vd.example/minimum-income-act-2016#article-11"

    def formula_2016_01_01(household: Any, period: Any, parameters: Any) -> Any:
        gap = household("minimum_income_reference_amount", period) - household(
            "household_monthly_income", period
        )
        return where(household("minimum_income_eligible", period), cents(gap), 0)


# -- parental allowance (Parental Leave Act 2020) -----------------------------------------


class has_baby_in_leave_period(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Has a baby at home born less than 150 days before this month"

    def formula_2020_07_01(person: Any, period: Any, parameters: Any) -> Any:
        born = person("youngest_child_birth_date", period)
        days = parameters(period).benefits.parental_allowance.duration_days
        return (
            person("has_child_at_home", period)
            & (born <= day(period.stop))
            & (days_between(born, period.start) < days)
        )


class parental_allowance_contributions_met(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Has paid social security for long enough"

    def formula_2020_07_01(person: Any, period: Any, parameters: Any) -> Any:
        needed = parameters(period).benefits.parental_allowance.minimum_contribution_months
        return person("contribution_months", period) >= needed


class parental_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Can get parental allowance"

    def formula_2020_07_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("has_baby_in_leave_period", period) & person(
            "parental_allowance_contributions_met", period
        )


class parental_allowance(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Parental allowance"
    reference = "https://legislacao.gov.vd.example/parental-leave-act-2020#article-15"

    def formula_2020_07_01(person: Any, period: Any, parameters: Any) -> Any:
        rules = parameters(period).benefits.parental_allowance
        share = cents(person("reference_earnings", period) * rules.rate)
        return where(
            person("parental_allowance_eligible", period), min_(share, rules.monthly_ceiling), 0
        )


# -- pension supplement (Pension Supplement Act 2019) ---------------------------------------


class reached_pension_supplement_age(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Is 66 or older"

    def formula_2019_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return person("age", period) >= parameters(period).pensions.pension_supplement.minimum_age


class pension_supplement_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Yearly income counted for the pension supplement"

    def formula_2019_01_01(person: Any, period: Any, parameters: Any) -> Any:
        own = person("yearly_income", period)
        if parameters(period).pensions.pension_supplement.counts_children_income:
            return cents(own + person("children_yearly_income", period))
        return own


class pension_supplement_income_below_limit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "The yearly income is below the pension supplement limit"

    def formula_2019_01_01(person: Any, period: Any, parameters: Any) -> Any:
        limit = parameters(period).pensions.pension_supplement.income_threshold
        return person("pension_supplement_income", period) < limit


class pension_supplement_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Can get the pension supplement"

    def formula_2019_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return (
            person("is_retired", period)
            & person("reached_pension_supplement_age", period)
            & person("pension_supplement_income_below_limit", period)
        )


class pension_supplement(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Pension supplement"
    reference = "https://legislacao.gov.vd.example/pension-supplement-act-2019#article-8"

    def formula_2019_01_01(person: Any, period: Any, parameters: Any) -> Any:
        limit = parameters(period).pensions.pension_supplement.income_threshold
        gap = cents((limit - person("pension_supplement_income", period)) / 12)
        return where(person("pension_supplement_eligible", period), gap, 0)


# -- social energy tariff (Social Energy Tariff Act 2020) -----------------------------------


class energy_income_within_limit(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household's yearly income is within the social energy tariff limit"

    def formula_2020_01_01(household: Any, period: Any, parameters: Any) -> Any:
        limit = parameters(period).energy.social_energy_tariff.income_threshold
        return household("household_yearly_income", period) <= limit


class gets_means_tested_benefit(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "Someone in the household gets minimum income or the pension supplement"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        pensioner = household.any(household.members("pension_supplement_eligible", period))
        return household("minimum_income_eligible", period) | pensioner


class social_energy_tariff_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "The household can get the social energy tariff"

    def formula_2020_01_01(household: Any, period: Any, parameters: Any) -> Any:
        return household("energy_income_within_limit", period) | household(
            "gets_means_tested_benefit", period
        )


class social_energy_tariff(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Social energy tariff discount (a rate)"
    reference = "https://legislacao.gov.vd.example/social-energy-tariff-act-2020#article-4"

    def formula_2020_01_01(household: Any, period: Any, parameters: Any) -> Any:
        discount = parameters(period).energy.social_energy_tariff.discount
        return where(household("social_energy_tariff_eligible", period), discount, 0)


class social_energy_winter_supplement(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Winter supplement of the social energy tariff"
    end = "2024-03-31"  # Article 4A ended

    def formula_2022_10_01(household: Any, period: Any, parameters: Any) -> Any:
        supplement = parameters(period).energy.social_energy_tariff.winter_supplement
        return where(household("social_energy_tariff_eligible", period), supplement, 0)


# -- unemployment benefit (Unemployment Protection Act 2017) --------------------------------


class unemployment_contributions_met(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Has paid social security for enough months in the last 24"

    def formula_2017_01_01(person: Any, period: Any, parameters: Any) -> Any:
        needed = parameters(period).benefits.unemployment_benefit.minimum_contribution_months
        return person("contribution_months", period) >= needed


class job_ended_within_benefit_period(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "The last job ended less than 12 months before this month"

    def formula_2017_01_01(person: Any, period: Any, parameters: Any) -> Any:
        ended = person("job_end_date", period)
        months = parameters(period).benefits.unemployment_benefit.duration_months
        return (ended < day(period.start)) & (whole_months(ended, period.start) < months)


class unemployment_benefit_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Can get unemployment benefit"

    def formula_2017_01_01(person: Any, period: Any, parameters: Any) -> Any:
        return (
            person("is_unemployed", period)
            & person("unemployment_contributions_met", period)
            & person("job_ended_within_benefit_period", period)
        )


class unemployment_benefit(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Unemployment benefit"
    reference = "https://legislacao.gov.vd.example/unemployment-protection-act-2017#article-28"

    def formula_2017_01_01(person: Any, period: Any, parameters: Any) -> Any:
        rules = parameters(period).benefits.unemployment_benefit
        share = cents(person("reference_earnings", period) * rules.rate)
        amount = min_(max_(share, rules.monthly_minimum), rules.monthly_maximum)
        return where(person("unemployment_benefit_eligible", period), amount, 0)


BENEFITS = (
    "birth_grant",
    "child_benefit",
    "childcare_subsidy",
    "free_school_meals",
    "funeral_grant",
    "housing_allowance",
    "minimum_income",
    "parental_allowance",
    "pension_supplement",
    "social_energy_tariff",
    "unemployment_benefit",
)
"""The benefits of the pack (its variables linked to a catalogue service)."""

variables = [
    value
    for value in list(globals().values())
    if isinstance(value, type) and issubclass(value, Variable) and value is not Variable
]
