"""The take-up scan of one month: registers in, take-up and the gap out.

1. the rules' inputs from the registers (:mod:`.inputs`), on one DuckDB connection
   with two threads, nothing cached between scans;
2. the rules for every service, for everyone at once (``civitas.rules.batch``);
3. who is entitled, who claims and who is enrolled (:mod:`.claims`), counted by group
   (:mod:`.takeup`), the gap listed (:mod:`.gap`), and checked against the hidden
   truth when the country has one (:mod:`.truth_check`).

``on_stage`` is told each stage's name as it starts, for a progress display or a
benchmark's timings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from civitas.proactive.scan.claims import RESULTS, create_claims, services, variables
from civitas.proactive.scan.country import open_country
from civitas.proactive.scan.gap import gap_table
from civitas.proactive.scan.groups import Groups
from civitas.proactive.scan.households import HOUSEHOLDS
from civitas.proactive.scan.inputs import build_inputs
from civitas.proactive.scan.model import ScanResult
from civitas.proactive.scan.takeup import take_up
from civitas.proactive.scan.truth_check import truth_check
from civitas.rules import Period, RuleBook

THREADS = 2
STAGES = ("registers", "households", "rules", "claims", "take-up", "gap", "truth check")


@dataclass(frozen=True)
class Scanned:
    """A scan's findings, and its gap as a table (for gap.parquet and the offers)."""

    result: ScanResult
    gap: pa.Table


def scan(
    folder: Path,
    period: Period,
    rules: RuleBook,
    recorded: Collection[str],
    *,
    on_stage: Callable[[str], None] = lambda stage: None,
) -> Scanned:
    """Scan the country in ``folder`` for ``period``.

    ``recorded`` are the services the benefits register lists (its ``benefit`` codes).
    """
    from civitas.rules.batch import compute  # Ibis loads slowly: only when scanning

    started = time.perf_counter()
    country = open_country(folder)
    found = services(rules, recorded)
    con = duckdb.connect(config={"threads": THREADS})
    try:
        inputs = build_inputs(con, country, period, rules, variables(found), on_stage)
        on_stage(STAGES[2])
        results = compute(
            rules,
            period,
            variables(found),
            {"person": inputs.persons, "household": inputs.households},
        )
        unknown = inputs.unknown
        groups = Groups(inputs.regions)
        del inputs
        on_stage(STAGES[3])
        for entity, table in results.items():
            if entity in RESULTS:
                con.register(RESULTS[entity], table)
        del results
        claims = create_claims(con, found, period, country.register("benefits"))
        on_stage(STAGES[4])
        summaries = take_up(con, claims, found, groups)
        on_stage(STAGES[5])
        gap = gap_table(claims, groups)
        people, households = con.sql(
            f"SELECT (SELECT count(*) FROM scan_persons), count(*) FROM {HOUSEHOLDS}"
        ).fetchall()[0]
        on_stage(STAGES[6])
        truth = truth_check(con, country, found)
    finally:
        con.close()
    result = ScanResult(
        month=str(period),
        country=country.folder,
        as_of=country.as_of,
        people=int(people),
        households=int(households),
        services=summaries,
        unknown_inputs=unknown,
        truth=truth,
        seconds=time.perf_counter() - started,
    )
    return Scanned(result, gap)
