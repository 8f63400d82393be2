"""Ages and birthdays for whole columns of birth dates (NumPy datetime64[D]).

NumPy's calendar units (``M8[Y]``, ``M8[M]``) are slow on millions of dates, so
dates are split into year, month and day with integer arithmetic instead
(Howard Hinnant's ``civil_from_days`` and ``days_from_civil``).
"""

from __future__ import annotations

import numpy as np

from civitas.synthetic.columns import Days, Ints


def civil(dates: Days) -> tuple[Ints, Ints, Ints]:
    """Year, month (1-12) and day (1-31) of each date."""
    z = dates.view(np.int64) + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def from_civil(year: Ints, month: Ints, day: Ints) -> Days:
    """Dates from year, month and day; a day past the month's end rolls into the next."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = np.where(month > 2, month - 3, month + 9)
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    dates: Days = (era * 146_097 + doe - 719_468).astype(np.int64).view("M8[D]")
    return dates


def anniversary(birth: Days, years: Ints | int) -> Days:
    """The date each person turns ``years`` (29 February falls on 1 March in other years)."""
    year, month, day = civil(birth)
    return from_civil(year + years, month, day)


def age_on(birth: Days, day: np.datetime64) -> Ints:
    """Completed years of age on ``day``."""
    year, month, dom = civil(birth)
    on_year, on_month, on_day = (int(v[0]) for v in civil(np.array([day], dtype="M8[D]")))
    before = (month > on_month) | ((month == on_month) & (dom > on_day))
    return on_year - year - before.astype(np.int64)  # type: ignore[no-any-return]


def months_between(start: np.datetime64, end: np.datetime64) -> int:
    """Calendar month boundaries crossed going from ``start`` to ``end``."""
    first = civil(np.array([start, end], dtype="M8[D]"))
    return int((first[0][1] - first[0][0]) * 12 + first[1][1] - first[1][0])
