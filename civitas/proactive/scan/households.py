"""Each household once: its inputs for the rules, who claims for it, and how to group it.

- Inputs: ``tenure`` and ``municipality`` of the address record of the member with the
  smallest national number (the household's id), the largest declared
  ``monthly_rent`` (see :mod:`civitas.proactive.household`).
- The **reference person**: the adult with the highest income, then the eldest, then
  the smallest national number (the householder with the highest income, as household
  surveys name one). They claim the household's services, except those paid for
  children (:data:`civitas.proactive.scan.claims.PARENT_CLAIMED`), which the **parent**
  claims: the mother of a child of the household, else the father (the eldest, then
  the smallest national number, if there are several), else the reference person.
- Groups (as codes): ``region`` (of the address), ``household_type`` (a position in
  :data:`TYPES`) from the rules' roles and the
  partner links: *single* (one adult), *couple* (two adults who are partners),
  *single parent* (one adult with children), *couple with children*, and *other*
  (grown-up children, grandparents, people sharing); ``income_decile``: the household's
  adults' income per adult, in tenths of all households (1 the lowest; the limit of
  each tenth is the income at that tenth of the households ordered by it, and a
  household on a limit belongs below it, so equal incomes share a decile).

Computed with NumPy over the people's rows, by household (sums with ``bincount``,
choices with ``maximum.at`` / ``minimum.at`` on packed keys): no sort, no join.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.families import Bools, Families, Ints

PERSONS = "scan_persons"  # the people with the families' columns beside
HOUSEHOLDS = "scan_households"
DECILES = 10
TYPES = ("single", "couple", "single_parent", "couple_with_children", "other")
_NONE = np.iinfo(np.int64).max


def households(people: pa.Table, found: Families) -> tuple[pa.Table, tuple[str, ...]]:
    """One row per household (ordered by its first member's row), and the regions: the
    household's ``region_code`` is a position in them."""
    roots = np.flatnonzero(found.label == np.arange(len(found.label), dtype=np.int32))
    index = np.full(len(found.label), -1, dtype=np.int64)
    index[roots] = np.arange(len(roots))
    home = index[found.label]  # each person's household, 0 .. households - 1
    size = len(roots)
    nid = _ints(people, "national_id")
    born = _ints(people, "birth_day")
    income = _ints(people, "monthly_income")
    adult = ~found.child
    adults = np.bincount(home[adult], minlength=size)
    children = np.bincount(home[found.child], minlength=size)
    paired = np.bincount(home[adult & found.partnered], minlength=size)
    earned = np.bincount(home[adult], weights=income[adult], minlength=size)
    per_adult = (earned // np.maximum(adults, 1)).astype(np.int64)
    reference, reference_born = _first(home, size, adult, income, born, nid)
    parents = found.mother_of_child | found.father_of_child
    parent, parent_born = _first(home, size, parents, found.mother_of_child, born, nid)
    lacks = parent == _NONE
    parent = np.where(lacks, reference, parent)
    parent_born = np.where(lacks, reference_born, parent_born)
    rent = np.full(size, -1, dtype=np.int64)
    np.maximum.at(rent, home, _ints(people, "monthly_rent_cents", -1))
    owner = np.flatnonzero(nid == found.household_id)  # the member whose id it is
    first_row = np.empty(size, dtype=np.int64)
    first_row[home[owner]] = owner
    rows = pa.array(first_row)
    region = _encoded(people.column("region").take(rows))
    regions = tuple(str(name) for name in region.dictionary.to_pylist())
    table = pa.table(
        {
            "household_id": nid[first_row],
            "tenure": people.column("tenure").take(rows),
            "monthly_rent": pa.array(rent, mask=rent < 0),
            "municipality": people.column("municipality").take(rows),
            "region_code": region.indices.cast(pa.int16()),
            "adults": adults,
            "children": children,
            "reference": np.where(reference == _NONE, nid[first_row], reference),
            "reference_born": pa.array(reference_born, mask=reference == _NONE),
            "parent": np.where(parent == _NONE, nid[first_row], parent),
            "parent_born": pa.array(parent_born, mask=parent == _NONE),
            "income_per_adult": per_adult,
            "type_code": _types(adults, children, paired),
            "income_decile": deciles(per_adult),
        }
    )
    return table, regions


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
    home: Ints, size: int, eligible: Bools, rank: npt.NDArray[np.generic], born: Ints, nid: Ints
) -> tuple[Ints, Ints]:
    """Per household, among ``eligible`` members: the highest ``rank``, then the earliest
    birth, then the smallest national number; (national number, birth day), _NONE if none.

    Rank and birth are packed into one key (rank high, the birth day's complement low),
    so two rounds do: the best key, then the smallest number among those who have it.
    """
    later = (1 << _BORN_BITS) - 1 - (born + (1 << (_BORN_BITS - 1)))
    key = (np.minimum(rank.astype(np.int64), _RANK_LIMIT) << _BORN_BITS) | later
    best = np.full(size, -1, dtype=np.int64)
    np.maximum.at(best, home[eligible], key[eligible])
    chosen = eligible & (key == best[home])
    number = np.full(size, _NONE, dtype=np.int64)
    np.minimum.at(number, home[chosen], nid[chosen])
    unpacked = (1 << _BORN_BITS) - 1 - (best & ((1 << _BORN_BITS) - 1)) - (1 << (_BORN_BITS - 1))
    return number, np.where(best < 0, _NONE, unpacked)


def _types(adults: Ints, children: Ints, paired: Ints) -> npt.NDArray[np.int8]:
    couple = (adults == 2) & (paired == 2)
    kind = np.full(len(adults), TYPES.index("other"), dtype=np.int8)
    kind[(adults == 1) & (children == 0)] = TYPES.index("single")
    kind[(adults == 1) & (children > 0)] = TYPES.index("single_parent")
    kind[couple & (children == 0)] = TYPES.index("couple")
    kind[couple & (children > 0)] = TYPES.index("couple_with_children")
    return kind


def _encoded(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """A text column as one dictionary array (already one when DuckDB gave an enum)."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    found = column.unify_dictionaries().combine_chunks()
    assert isinstance(found, pa.DictionaryArray)
    return found


def _ints(table: pa.Table, column: str, empty: int = 0) -> Ints:
    filled = pc.fill_null(table.column(column), empty)
    return np.asarray(filled.to_numpy(), dtype=np.int64)
