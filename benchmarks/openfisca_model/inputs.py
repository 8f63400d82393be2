"""Inputs: what the registers say about each person and household.

Money is in euros as OpenFisca's ``float`` (float32), dates are ``date`` (numpy
``datetime64[D]``, 1970-01-01 when empty, OpenFisca's default), enumerations are
OpenFisca ``Enum``. Mirrors the inputs of ``civitas/packs/demo/rules/*.py``.
"""

# OpenFisca variables are snake_case classes; formulas take the entity, not self.
# ruff: noqa: N801

from __future__ import annotations

from datetime import date

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from .entities import Household, Person

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY
CIVIL_REGISTRATION = "https://legislacao.gov.vd.example/civil-registration-act-2019"


class EmploymentStatus(Enum):
    child = "Child"
    student = "Student"
    employed = "Employed"
    unemployed = "Unemployed"
    inactive = "Inactive"
    retired = "Retired"


class SchoolLevel(Enum):
    none = "None"
    childcare = "Crèche or nursery school"
    primary = "Primary school"
    secondary = "Secondary school"


class Tenure(Enum):
    owner = "Owner"
    renter = "Renter (private landlord)"
    social_renter = "Social housing"


class Municipality(Enum):
    VLD_SV = "VLD-SV"
    VLD_PA = "VLD-PA"
    VLD_MF = "VLD-MF"
    VLD_RV = "VLD-RV"
    VLD_BR = "VLD-BR"
    VLD_VF = "VLD-VF"
    VLD_SM = "VLD-SM"
    VLD_AN = "VLD-AN"
    VLD_PL = "VLD-PL"
    VLD_CB = "VLD-CB"
    VLD_SA = "VLD-SA"
    VLD_CL = "VLD-CL"
    VLD_PV = "VLD-PV"
    VLD_AL = "VLD-AL"
    VLD_FR = "VLD-FR"
    VLD_PN = "VLD-PN"


# -- persons ---------------------------------------------------------------------------


class birth_date(Variable):
    value_type = date
    entity = Person
    definition_period = ETERNITY
    label = "Date of birth"
    reference = CIVIL_REGISTRATION


class has_died(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Has died"
    reference = CIVIL_REGISTRATION


class death_date(Variable):
    value_type = date
    entity = Person
    definition_period = ETERNITY
    label = "Date of death"
    reference = CIVIL_REGISTRATION


class monthly_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Monthly income, before tax (earnings or pension)"
    reference = "https://legislacao.gov.vd.example/general-tax-code-2015"


class employment_status(Variable):
    value_type = Enum
    possible_values = EmploymentStatus
    default_value = EmploymentStatus.inactive
    entity = Person
    definition_period = MONTH
    label = "Situation at work"


class contribution_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Months of social security contributions in the last 24 months"


class job_end_date(Variable):
    value_type = date
    entity = Person
    definition_period = MONTH
    label = "End date of the last job"


class disability(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "Has a recognised disability"


class school_level(Variable):
    value_type = Enum
    possible_values = SchoolLevel
    default_value = SchoolLevel.none
    entity = Person
    definition_period = MONTH
    label = "School or childcare attended"


class has_child_at_home(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "A child of theirs lives with them"


class youngest_child_birth_date(Variable):
    value_type = date
    entity = Person
    definition_period = MONTH
    label = "Date of birth of their youngest child at home"


class childcare_fee(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Monthly crèche fee"


class children_yearly_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Yearly income of the person's children"


# -- households ------------------------------------------------------------------------


class tenure(Variable):
    value_type = Enum
    possible_values = Tenure
    default_value = Tenure.owner
    entity = Household
    definition_period = MONTH
    label = "How the household holds its home"


class monthly_rent(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    label = "Monthly rent"


class municipality(Variable):
    value_type = Enum
    possible_values = Municipality
    default_value = Municipality.VLD_SV
    entity = Household
    definition_period = MONTH
    label = "Municipality of the home"


ENUMS = {
    "employment_status": EmploymentStatus,
    "school_level": SchoolLevel,
    "tenure": Tenure,
    "municipality": Municipality,
}
"""The enumeration of each enumerated input; its members' values are the pack's codes."""

variables = [
    birth_date,
    has_died,
    death_date,
    monthly_income,
    employment_status,
    contribution_months,
    job_end_date,
    disability,
    school_level,
    has_child_at_home,
    youngest_child_birth_date,
    childcare_fee,
    children_yearly_income,
    tenure,
    monthly_rent,
    municipality,
]
