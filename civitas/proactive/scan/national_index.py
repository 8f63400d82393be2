"""Each person's row, found by national number with one look-up in a table.

A national number is an eight-digit body and a check digit
(:mod:`civitas.registries.identifiers`), so the body alone tells people apart. The
index is a table with one entry per possible body (90 million 32-bit entries): matching
a register to the people's rows is one gather, where a hash join builds and probes a
hash table for every register. The table is zero-filled lazily by the operating system,
so a small country touches only a few pages of it.

A number that is not a national number of the people (not nine digits, a wrong check
digit, someone not living in the month) finds nobody: each look-up checks the number
it finds at the row.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import numpy.typing as npt

from civitas.proactive.scan.parallel import THREADS, each
from civitas.registries.identifiers import SMALLEST_BODY

Ints = npt.NDArray[np.int64]
Rows = npt.NDArray[np.int32]
NOBODY = -1
_BODIES = 10 * SMALLEST_BODY - SMALLEST_BODY  # eight-digit bodies: 10,000,000 to 99,999,999


class Twice(ValueError):
    """One national number is listed twice; or two that differ only in the check digit
    (``first`` != ``second``), of which one is mistyped."""

    def __init__(self, first: int, second: int) -> None:
        super().__init__(f"{first:09d} and {second:09d} are one person's")
        self.first, self.second = first, second


class NationalIndex:
    """The row of each national number among ``national_id`` (the people's, by row)."""

    def __init__(self, national_id: Ints) -> None:
        self.national_id = national_id
        self._slots = np.zeros(_BODIES, dtype=np.int32)  # row + 1; 0: nobody
        body, nine_digits = _bodies(national_id)
        where = np.flatnonzero(nine_digits)
        body = body[where]
        rows = where.astype(np.int32) + 1

        # placed in parts, one per core: most of the time goes to the table's pages,
        # which the system fills in as they are first written
        def place(part: slice) -> None:
            self._slots[body[part]] = rows[part]

        each(place, _parts(len(body)))
        shared = self._slots[body] != rows  # another row took this one's place
        if shared.any():
            at = int(np.argmax(shared))
            taken_by = int(self._slots[body[at]]) - 1
            raise Twice(int(national_id[where[at]]), int(national_id[taken_by]))

    @property
    def size(self) -> int:
        return len(self.national_id)

    def rows(self, national_id: Ints) -> Rows:
        """The row of each number, :data:`NOBODY` where no one has it (0 is no number)."""
        if not self.size:
            return np.full(len(national_id), NOBODY, dtype=np.int32)
        body, nine_digits = _bodies(national_id)
        body[~nine_digits] = 0  # found nowhere: no one there has it
        row = self._slots[body] - 1
        row[self.national_id[np.maximum(row, 0)] != national_id] = NOBODY
        return row

    def matched(self, national_id: Ints) -> tuple[npt.NDArray[np.intp], Rows]:
        """The positions of the numbers someone has, and their rows; :class:`Twice` when
        two of the numbers are one person's."""
        rows = self.rows(national_id)
        where = np.flatnonzero(rows != NOBODY)
        rows = rows[where]
        order = np.arange(1, len(rows) + 1, dtype=np.int32)
        seen = np.zeros(self.size, dtype=np.int32)
        seen[rows] = order
        again = seen[rows] != order  # a later number took the row: the same person's
        if again.any():
            number = int(national_id[where[np.argmax(again)]])
            raise Twice(number, number)
        return where, rows


def _parts(size: int) -> list[slice]:
    """``range(size)`` in :data:`THREADS` slices."""
    bounds = [size * part // THREADS for part in range(THREADS + 1)]
    return [slice(start, end) for start, end in pairwise(bounds)]


def _bodies(national_id: Ints) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """Each number's body as a place in the table, and whether it has one (nine digits)."""
    body = national_id // 10 - SMALLEST_BODY
    return body, (body >= 0) & (body < _BODIES)
