"""The four ways the scan breaks take-up down, and each claim's group in them.

- ``region``: the region of the household's address (the address register's code);
- ``age_band``: the claimant's age on the month's first day: under 30, 30-44, 45-64,
  65-74, 75 and over (:data:`civitas.proactive.scan.claims.AGE_BANDS`);
- ``household_type``: single, couple, single parent, couple with children, other
  (:data:`civitas.proactive.scan.households.TYPES`);
- ``income_decile``: 1 (lowest) to 10 (see :mod:`.households`).

A claim's group is a small integer code (a position in the grouping's labels), so that
counting needs no text; a missing code (no address record, no birth date) is the group
``unknown``, after the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from civitas.proactive.scan.claims import AGE_BANDS, Claims
from civitas.proactive.scan.households import DECILES, TYPES, Households
from civitas.proactive.scan.model import GROUPINGS

UNKNOWN = "unknown"
Codes = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Groups:
    """The labels of every grouping: fixed ones, and the regions the registers hold."""

    regions: tuple[str, ...]  # sorted

    def labels(self, grouping: str) -> tuple[str, ...]:
        """The groups in report order (regions sorted by code), without ``unknown``."""
        if grouping == "region":
            return self.regions
        if grouping == "age_band":
            return tuple(label for label, _ in AGE_BANDS)
        if grouping == "household_type":
            return TYPES
        if grouping == "income_decile":
            return tuple(str(n) for n in range(1, DECILES + 1))
        raise ValueError(f"no grouping {grouping!r}; there are {', '.join(GROUPINGS)}")

    def codes(
        self,
        claims: Claims,
        homes: Households,
        grouping: str,
        which: npt.NDArray[np.intp] | None = None,
    ) -> Codes:
        """Each claim's (or the ``which``-th claims') position in :meth:`labels`;
        ``len(labels)`` for unknown."""
        household = claims.household if which is None else claims.household[which]
        if grouping == "age_band":
            age = claims.age_code if which is None else claims.age_code[which]
            found = age.astype(np.int64)
        elif grouping == "region":
            found = homes.region_code[household].astype(np.int64)
        elif grouping == "household_type":
            found = homes.type_code[household].astype(np.int64)
        elif grouping == "income_decile":
            found = homes.income_decile[household].astype(np.int64) - 1
        else:
            raise ValueError(f"no grouping {grouping!r}; there are {', '.join(GROUPINGS)}")
        found[found < 0] = len(self.labels(grouping))
        return found

    def text(self, codes: Codes, grouping: str) -> pa.Array:
        """Each code's group as text (NULL when unknown), for the gap file: a dictionary
        of the grouping's labels."""
        labels = pa.array(self.labels(grouping), pa.string())
        known = codes < len(labels)
        indices = pa.array(np.where(known, codes, 0).astype(np.int32), mask=~known)
        return pa.DictionaryArray.from_arrays(indices, labels)
