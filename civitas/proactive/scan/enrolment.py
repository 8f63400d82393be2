"""Who the benefits register lists for each service: by person, or by household.

A person's service is enrolled when the register lists it for that person; a
household's service when it lists it for anyone of the household (the register records
whoever claimed, who may be the other partner). DuckDB reads the register's records of
those services; the people's :class:`~.national_index.NationalIndex` finds whose they
are. Records of people not living in the month match nobody.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt

from civitas.proactive.scan.country import parquet, quoted
from civitas.proactive.scan.national_index import NOBODY
from civitas.proactive.scan.population import Population

Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Enrolment:
    """Per recorded service: a flag per person (row) or per household (number)."""

    listed: dict[str, Flags]

    def count(self, service: str) -> int:
        """How many people (or households) the register lists for ``service``."""
        flags = self.listed.get(service)
        return 0 if flags is None else int(np.count_nonzero(flags))


def enrolment(
    con: duckdb.DuckDBPyConnection,
    population: Population,
    benefits: str,
    by_person: Sequence[str],
    by_household: Sequence[str],
) -> Enrolment:
    """The enrolments the benefits register (the Parquet file ``benefits``) records for
    the services ``by_person`` and ``by_household``."""
    names = [*by_person, *by_household]
    if not names:
        return Enrolment({})
    query = _QUERY.format(
        benefits=parquet(benefits), services=", ".join(quoted(name) for name in names)
    )
    found = con.sql(query).fetchnumpy()
    rows = population.index.rows(np.asarray(found["national_id"], dtype=np.int64))
    someone = rows != NOBODY
    code, rows = np.asarray(found["code"], dtype=np.int32)[someone], rows[someone]
    listed: dict[str, Flags] = {}
    for at, name in enumerate(names):
        mine = rows[code == at]
        if name in by_household:
            flags = np.zeros(population.found.households, dtype=np.bool_)
            flags[population.found.home[mine]] = True
        else:
            flags = np.zeros(population.size, dtype=np.bool_)
            flags[mine] = True
        listed[name] = flags
    return Enrolment(listed)


_QUERY = """
SELECT list_position([{services}], benefit::VARCHAR)::INTEGER - 1 AS code, national_id
FROM {benefits}
WHERE benefit::VARCHAR IN ({services}) AND national_id IS NOT NULL
"""
