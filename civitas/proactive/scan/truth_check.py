"""How well the scan's "entitled but not enrolled" matches the synthetic country's truth.

The truth (``truth/entitlements.parquet``) says who the generator's own rules entitle
and who is enrolled, by hidden person id; ``truth/persons.parquet`` gives each person's
national number and true household. A match is made at the level that is fair to
compare, for each service the truth knows and the benefits register records:

- a person's service (unemployment benefit, school meals): the person;
- a household's service (child benefit, minimum income): the household, because the
  scan picks its claimant from the registers (the reference person, the mother) and
  the truth its own (the first adult of the household as generated), and either may
  apply. The scan's claimant is placed in their true household through their national
  number, so a household the registers split or merge wrongly counts against the scan.

Precision: of the scan's finds, the share the truth confirms; recall: of the truth's,
the share the scan found. Both also pooled over the services. Misses come from the
registers' noise (records without a national number), from a country's rules (the
pack's) differing from the generator's, and from households found imperfectly.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.claims import Service
from civitas.proactive.scan.country import Country, parquet, quoted
from civitas.proactive.scan.model import Agreement, TruthCheck

FOUND = "scan_truth_found"


def truth_check(
    con: duckdb.DuckDBPyConnection, country: Country, found: Sequence[Service], gap: pa.Table
) -> TruthCheck | None:
    """The agreement per service of the scan's ``gap`` (its table), on ``con``; None when
    the folder has no truth."""
    if not country.has_truth:
        return None
    scanned = pa.table(
        {
            "service": gap.column("service"),
            "national_id": pc.cast(gap.column("national_id"), pa.int64()),
        }
    )
    con.register(FOUND, scanned)
    try:
        return _check(con, country, found)
    finally:
        con.unregister(FOUND)


def _check(
    con: duckdb.DuckDBPyConnection, country: Country, found: Sequence[Service]
) -> TruthCheck:
    entitlements = parquet(country.truth("entitlements"))
    known = {
        str(name)
        for (name,) in con.sql(f"SELECT DISTINCT benefit::VARCHAR FROM {entitlements}").fetchall()
    }
    compared = [s for s in found if s.recorded and s.service in known]
    if not compared:
        return TruthCheck(())
    units = " UNION ALL ".join(
        f"SELECT {quoted(s.service)} AS service, {str(s.per_household).lower()} AS per_household"
        for s in compared
    )
    query = _CHECK.format(
        units=units,
        found=FOUND,
        persons=parquet(country.truth("persons")),
        entitlements=entitlements,
    )
    counts = {row[0]: row[1:] for row in con.sql(query).fetchall()}
    agreements = []
    for s in compared:
        scanned, true, both = counts.get(s.service, (0, 0, 0))
        unit = "household" if s.per_household else "person"
        agreements.append(Agreement(s.service, unit, int(scanned), int(true), int(both)))
    return TruthCheck(tuple(agreements))


_CHECK = """
WITH units AS ({units}),
persons AS (SELECT national_id, person_id, household_id FROM {persons}),
scanned AS (
  SELECT DISTINCT c.service,
         CASE WHEN u.per_household THEN p.household_id ELSE p.person_id END AS unit
  FROM {found} c JOIN units u USING (service)
  JOIN persons p ON p.national_id = c.national_id
),
truth AS (
  SELECT DISTINCT e.benefit::VARCHAR AS service,
         CASE WHEN u.per_household THEN p.household_id ELSE e.person_id END AS unit
  FROM {entitlements} e JOIN units u ON u.service = e.benefit::VARCHAR
  JOIN persons p ON p.person_id = e.person_id
  WHERE e.entitled AND NOT e.enrolled
)
SELECT coalesce(s.service, t.service) AS service,
       count(s.unit) AS found, count(t.unit) AS true,
       count(s.unit) FILTER (WHERE t.unit IS NOT NULL) AS both
FROM scanned s FULL JOIN truth t ON s.service = t.service AND s.unit = t.unit
GROUP BY 1
"""
