"""Facts many benefits use: age, income, work, schooling; a household's members and income.

Mirrors ``civitas/packs/demo/rules/persons.py`` and ``household.py``.
"""

# OpenFisca variables are snake_case classes; formulas take the entity, not self.
# ruff: noqa: N801, N805

from __future__ import annotations

from typing import Any

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import ADD
from openfisca_core.variables import Variable

from .arithmetic import cents, day, whole_years
from .entities import Household, Person
from .inputs import EmploymentStatus

MONTH = DateUnit.MONTH
FAMILY = "https://legislacao.gov.vd.example/family-benefits-act-2018"

# -- persons ---------------------------------------------------------------------------


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Age on the first day of the month"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return whole_years(person("birth_date", period), period.start)


class is_child(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Is under 18"
    reference = f"{FAMILY}#article-4"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person("age", period) < parameters(period).benefits.child_benefit.age_limit


class born_this_month(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Was born this month"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        born = person("birth_date", period)
        return (born >= day(period.start)) & (born <= day(period.stop))


class died_this_month(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Died this month"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        died = person("death_date", period)
        return person("has_died", period) & (died >= day(period.start)) & (died <= day(period.stop))


class yearly_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Yearly income (12 times this month's)"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return cents(person("monthly_income", period) * 12)


class previous_month_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Income in the month before"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person("monthly_income", period.last_month)


class reference_earnings(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Average monthly earnings in the 12 months before"
    reference = "https://legislacao.gov.vd.example/parental-leave-act-2020#article-15"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        last_12_months = Period((MONTH, period.start.offset(-11, MONTH), 12))
        total = person("previous_month_income", last_12_months, options=[ADD])
        return cents(total / 12)


class is_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Is unemployed and signed up as a jobseeker"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person("employment_status", period) == EmploymentStatus.unemployed


class is_retired(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Is retired and gets a pension"

    def formula(person: Any, period: Any, parameters: Any) -> Any:
        return person("employment_status", period) == EmploymentStatus.retired


# -- households ------------------------------------------------------------------------


class adult_count(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Number of adults"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return household.nb_persons(Household.ADULT)


class child_count(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Number of children under 18"
    reference = f"{FAMILY}#article-4"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return household.sum(household.members("is_child", period), role=Household.CHILD)


class other_adult_count(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "Number of adults after the first"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return (household("adult_count", period) - 1).clip(min=0)


class household_monthly_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Household income this month (what the adults earn)"
    reference = f"{FAMILY}#article-5"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        income = household.members("monthly_income", period)
        return cents(household.sum(income, role=Household.ADULT))


class household_yearly_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Yearly household income (12 times this month's)"
    reference = f"{FAMILY}#article-5"

    def formula(household: Any, period: Any, parameters: Any) -> Any:
        return cents(household("household_monthly_income", period) * 12)


variables = [
    age,
    is_child,
    born_this_month,
    died_this_month,
    yearly_income,
    previous_month_income,
    reference_earnings,
    is_unemployed,
    is_retired,
    adult_count,
    child_count,
    other_adult_count,
    household_monthly_income,
    household_yearly_income,
]
