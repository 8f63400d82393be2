"""The four ways the scan breaks take-up down, and the codes the claims carry for them.

- ``region``: the region of the household's address (the address register's code);
- ``age_band``: the claimant's age on the month's first day: under 30, 30-44, 45-64,
  65-74, 75 and over (:data:`civitas.proactive.scan.claims.AGE_BANDS`);
- ``household_type``: single, couple, single parent, couple with children, other
  (:data:`civitas.proactive.scan.households.TYPES`);
- ``income_decile``: 1 (lowest) to 10 (see :mod:`.households`).

Claims carry small integer codes (a position in the grouping's labels) so that counting
needs no text; a missing code (no address record, no birth date) is the group
``unknown``, after the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.claims import AGE_BANDS
from civitas.proactive.scan.households import DECILES, TYPES
from civitas.proactive.scan.model import GROUPINGS

UNKNOWN = "unknown"
CODES = {  # the claims' column holding each grouping's code, and what to subtract
    "region": ("region_code", 0),
    "age_band": ("age_code", 0),
    "household_type": ("type_code", 0),
    "income_decile": ("income_decile", 1),
}


@dataclass(frozen=True)
class Groups:
    """The labels of every grouping: fixed ones, and the regions the registers hold."""

    regions: tuple[str, ...]

    def labels(self, grouping: str) -> tuple[str, ...]:
        """The groups in report order (regions sorted by code), without ``unknown``."""
        if grouping == "region":
            return tuple(sorted(self.regions))
        if grouping == "age_band":
            return tuple(label for label, _ in AGE_BANDS)
        if grouping == "household_type":
            return TYPES
        if grouping == "income_decile":
            return tuple(str(n) for n in range(1, DECILES + 1))
        raise ValueError(f"no grouping {grouping!r}; there are {', '.join(GROUPINGS)}")

    def codes(self, claims: pa.Table, grouping: str) -> npt.NDArray[np.int64]:
        """Each claim's position in :meth:`labels`; ``len(labels)`` for unknown."""
        column, offset = CODES[grouping]
        unknown = len(self.labels(grouping))
        found = np.asarray(
            pc.fill_null(claims.column(column), unknown + offset).to_numpy(), dtype=np.int64
        )
        found -= offset
        if grouping == "region":  # the registers' order -> sorted order
            order = np.argsort(np.array(self.regions, dtype=object)).argsort()
            found = np.append(order, unknown)[found]
        return found

    def text(self, claims: pa.Table, grouping: str) -> pa.Array:
        """Each claim's group as text (empty when unknown), for the gap file."""
        labels = pa.array(self.labels(grouping), pa.string())
        codes = self.codes(claims, grouping)
        known = codes < len(labels)
        indices = pa.array(np.where(known, codes, 0).astype(np.int32), mask=~known)
        return pa.DictionaryArray.from_arrays(indices, labels).cast(pa.string())
