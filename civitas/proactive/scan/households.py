"""Each household once: its inputs for the rules, who claims for it, and how to group it.

- Inputs: ``tenure`` and ``municipality`` of the address record of the member with the
  smallest national number (the household's id), the largest declared
  ``monthly_rent`` (see :mod:`civitas.proactive.household`).
- The **reference person**: the adult with the highest income, then the eldest, then
  the smallest national number (the householder with the highest income, as household
  surveys name one). They claim the household's services, except those paid for
  children (``claimed_by_parent`` in the pack's ``proactive.yaml``), which the **parent**
  claims: the mother of a child of the household, else the father (the eldest, then
  the smallest national number, if there are several), else the reference person.
  A household without an adult is claimed for by its first member, whose age is then
  not known.
- Groups (as codes): ``region`` (of the address: a position in the regions, which are
  sorted), ``household_type`` (a position in :data:`TYPES`) from the rules' roles and
  the partner links: *single* (one adult), *couple* (two adults who are partners),
  *single parent* (one adult with children), *couple with children*, and *other*
  (grown-up children, grandparents, people sharing); ``income_decile``: the household's
  adults' income per adult, in tenths of all households (1 the lowest; the limit of
  each tenth is the income at that tenth of the households ordered by it, and a
  household on a limit belongs below it, so equal incomes share a decile).

Computed with NumPy over the people's rows, by household number (sums with
``bincount``, choices with ``maximum.at`` / ``minimum.at`` on packed keys): no sort, no
join; the reference person and the parent are chosen on two threads beside the sums.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.families import NO_DAY, Bools, Days, Families, Ints, People, dates
from civitas.proactive.scan.parallel import THREADS
from civitas.proactive.scan.people import numbers

DECILES = 10
TYPES = ("single", "couple", "single_parent", "couple_with_children", "other")
NO_REGION = -1
_NONE = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class Households:
    """Per household (by number): who claims for it and its groups, as NumPy arrays."""

    household_id: Ints  # its smallest national number
    adults: Ints
    children: Ints
    income_per_adult: Ints
    reference: Ints  # national number (the first member's when there is no adult)
    reference_born: Days  # birth day, NO_DAY when not known
    parent: Ints  # who claims the services paid for children
    parent_born: Days
    monthly_rent: Ints  # the largest declared, -1 when none is
    type_code: npt.NDArray[np.int8]
    income_decile: npt.NDArray[np.int8]
    region_code: npt.NDArray[np.int16]  # NO_REGION: no address record
    regions: tuple[str, ...]  # sorted: region_code is a position in them

    def table(self) -> pa.Table:
        """One row per household (by number), for tests and reading."""
        return pa.table(
            {
                "household_id": self.household_id,
                "monthly_rent": pa.array(self.monthly_rent, mask=self.monthly_rent < 0),
                "region_code": pa.array(self.region_code, mask=self.region_code < 0),
                "adults": self.adults,
                "children": self.children,
                "reference": self.reference,
                "reference_born": dates(self.reference_born),
                "parent": self.parent,
                "parent_born": dates(self.parent_born),
                "income_per_adult": self.income_per_adult,
                "type_code": self.type_code,
                "income_decile": self.income_decile,
            }
        )


def households(people: People, found: Families, registers: pa.Table) -> Households:
    """Each household of ``found``; ``registers`` are the people's columns (by row):
    monthly_income, monthly_rent_cents and region (a dictionary of region codes)."""
    home, size, nid, born = found.home, found.households, people.national_id, people.birth_day
    income = numbers(registers, "monthly_income")
    adult = ~found.child
    parents = found.mother_of_child | found.father_of_child
    with ThreadPoolExecutor(THREADS) as pool:  # NumPy releases the GIL
        first_parent = pool.submit(_first, home, size, parents, found.mother_of_child, born, nid)
        first_adult = pool.submit(_first, home, size, adult, income, born, nid)
        adults = np.bincount(home[adult], minlength=size)
        children = np.bincount(home[found.child], minlength=size)
        paired = np.bincount(home[adult & found.partnered], minlength=size)
        earned = np.bincount(home[adult], weights=income[adult], minlength=size)
        per_adult = (earned // np.maximum(adults, 1)).astype(np.int64)
        reference, reference_born = first_adult.result()
        parent, parent_born = first_parent.result()
    lacks = parent == _NONE
    parent = np.where(lacks, reference, parent)
    parent_born = np.where(lacks, reference_born, parent_born)
    rent = np.full(size, -1, dtype=np.int64)
    np.maximum.at(rent, home, numbers(registers, "monthly_rent_cents", empty=-1))
    region, regions = _regions(registers.column("region"), found.first_row)
    return Households(
        household_id=found.household_ids,
        adults=adults,
        children=children,
        income_per_adult=per_adult,
        reference=np.where(reference == _NONE, found.household_ids, reference),
        reference_born=_born(reference_born),
        parent=np.where(parent == _NONE, found.household_ids, parent),
        parent_born=_born(parent_born),
        monthly_rent=rent,
        type_code=_types(adults, children, paired),
        income_decile=deciles(per_adult),
        region_code=region,
        regions=regions,
    )


def deciles(values: Ints) -> npt.NDArray[np.int8]:
    """1..10: how many tenth limits lie below each value, plus one."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int8)
    shares = np.arange(1, DECILES) / DECILES
    limits = np.quantile(values, shares, method="inverted_cdf")
    return (np.searchsorted(limits, values, side="left") + 1).astype(np.int8)


_BORN_BITS = 22  # birth days within 5,700 years of 1970
_RANK_LIMIT = (1 << 40) - 1  # ranks (incomes in cents) above this count as equal


def _first(
    home: npt.NDArray[np.int32],
    size: int,
    eligible: Bools,
    rank: npt.NDArray[np.generic],
    born: Days,
    nid: Ints,
) -> tuple[Ints, Ints]:
    """Per household, among ``eligible`` members: the highest ``rank``, then the earliest
    birth, then the smallest national number; (national number, birth day), _NONE if none.

    Rank and birth are packed into one key (rank high, the birth day's complement low),
    so two rounds do: the best key, then the smallest number among those who have it.
    """
    where = np.flatnonzero(eligible)
    homes = home[where]
    later = (1 << _BORN_BITS) - 1 - (born[where].astype(np.int64) + (1 << (_BORN_BITS - 1)))
    key = (np.minimum(rank[where].astype(np.int64), _RANK_LIMIT) << _BORN_BITS) | later
    best = np.full(size, -1, dtype=np.int64)
    np.maximum.at(best, homes, key)
    chosen = key == best[homes]
    number = np.full(size, _NONE, dtype=np.int64)
    np.minimum.at(number, homes[chosen], nid[where[chosen]])
    unpacked = (1 << _BORN_BITS) - 1 - (best & ((1 << _BORN_BITS) - 1)) - (1 << (_BORN_BITS - 1))
    return number, np.where(best < 0, _NONE, unpacked)


def _born(days: Ints) -> Days:
    return np.where(days == _NONE, NO_DAY, days).astype(np.int32)


def _types(adults: Ints, children: Ints, paired: Ints) -> npt.NDArray[np.int8]:
    couple = (adults == 2) & (paired == 2)
    kind = np.full(len(adults), TYPES.index("other"), dtype=np.int8)
    kind[(adults == 1) & (children == 0)] = TYPES.index("single")
    kind[(adults == 1) & (children > 0)] = TYPES.index("single_parent")
    kind[couple & (children == 0)] = TYPES.index("couple")
    kind[couple & (children > 0)] = TYPES.index("couple_with_children")
    return kind


def _regions(
    column: pa.ChunkedArray, rows: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.int16], tuple[str, ...]]:
    """The region of each household's first member, as a position in the sorted regions."""
    taken = column.take(pa.array(rows))
    if not pa.types.is_dictionary(taken.type):
        taken = pc.dictionary_encode(taken)
    found = taken.unify_dictionaries().combine_chunks()
    assert isinstance(found, pa.DictionaryArray)
    names = [str(name) for name in found.dictionary.to_pylist()]
    order = np.argsort(np.array(names, dtype=object)).argsort().astype(np.int16)
    indices = np.asarray(pc.fill_null(found.indices.cast(pa.int64()), -1), dtype=np.int64)
    codes = np.append(order, NO_REGION)[indices]
    return codes.astype(np.int16), tuple(sorted(names))
