"""The take-up scan of one month: registers in, take-up and the gap out.

1. the population from the registers (:mod:`.population`) and the rules' inputs
   (:mod:`.inputs`), on one DuckDB connection with two threads, nothing cached between
   scans;
2. the rules for every service, for everyone at once (``civitas.rules.batch``), on the
   same connection, people and households identified by their row and number;
3. who is entitled, who claims and who is enrolled (:mod:`.claims`,
   :mod:`.enrolment`, read while the rules run), counted by group (:mod:`.takeup`), and
   the gap listed (:mod:`.gap`); each service's claims and gap on the scan's threads
   (:mod:`.parallel`).

The check against a synthetic country's hidden truth (:mod:`.truth_check`) is not part
of a government's scan: :func:`with_truth` adds it to a scan's result afterwards.
``on_stage`` is told each stage's name as it starts, for a progress display or a
benchmark's timings. How the scan uses memory: :mod:`.memory`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pyarrow as pa

from civitas.proactive.scan.claims import Claims, Service, claims, results, services, variables
from civitas.proactive.scan.country import Country, open_country
from civitas.proactive.scan.enrolment import Enrolment, enrolment
from civitas.proactive.scan.gap import gap_table
from civitas.proactive.scan.groups import Groups
from civitas.proactive.scan.inputs import rules_inputs
from civitas.proactive.scan.memory import scan_memory
from civitas.proactive.scan.model import ScanResult
from civitas.proactive.scan.parallel import THREADS, each
from civitas.proactive.scan.population import Population, read_population
from civitas.proactive.scan.takeup import take_up
from civitas.proactive.scan.truth_check import truth_check
from civitas.rules import Period, RuleBook

STAGES = ("registers", "households", "rules", "claims", "take-up", "gap")
# Rows in no particular order: parallel scans and joins.
SETTINGS: dict[str, str | bool | int | float | list[str]] = {
    "threads": THREADS,
    "preserve_insertion_order": False,
}


@dataclass(frozen=True)
class Scanned:
    """A scan's findings, and its gap as a table (for gap.parquet and the offers)."""

    result: ScanResult
    gap: pa.Table
    services: tuple[Service, ...]
    country: Country  # the folder scanned, for the truth check


@scan_memory()
def scan(
    folder: Path,
    period: Period,
    rules: RuleBook,
    recorded: Collection[str],
    *,
    by_parent: Collection[str] = (),
    on_stage: Callable[[str], None] = lambda stage: None,
) -> Scanned:
    """Scan the country in ``folder`` for ``period``.

    ``recorded`` are the services the benefits register lists (its ``benefit`` codes);
    ``by_parent`` the household services a parent claims (see :mod:`.claims`).
    """
    import ibis  # Ibis loads slowly: only when scanning

    from civitas.rules.batch import compute

    started = time.perf_counter()
    country = open_country(folder)
    found = services(rules, recorded, by_parent)
    names = variables(found)
    needed = set(rules.inputs_for(names))
    con = duckdb.connect(config=SETTINGS)
    second = con.cursor()
    try:
        with ThreadPoolExecutor(1) as pool:
            on_stage(STAGES[0])
            population = read_population(con, country, period, needed, lambda: on_stage(STAGES[1]))
            inputs = rules_inputs(population, rules, needed)
            on_stage(STAGES[2])
            enrolled = pool.submit(  # read while the rules run
                enrolment,
                second,
                population,
                country.register("benefits"),
                [s.service for s in found if s.recorded and not s.per_household],
                [s.service for s in found if s.recorded and s.per_household],
            )
            computed = compute(
                rules,
                period,
                names,
                {"person": inputs.persons, "household": inputs.households},
                backend=ibis.duckdb.from_connection(con),
            )
            unknown = inputs.unknown
            del inputs
            on_stage(STAGES[3])
            listed = enrolled.result()
    finally:
        second.close()
        con.close()
    every = _claims(found, computed, population, listed, period)
    del computed
    on_stage(STAGES[4])
    homes = population.homes
    groups = Groups(homes.regions)
    summaries = tuple(take_up(claimed, homes, groups, listed) for claimed in every)
    on_stage(STAGES[5])
    gap = gap_table(every, homes, groups)
    result = ScanResult(
        month=str(period),
        country=country.folder,
        as_of=country.as_of,
        people=population.size,
        households=population.found.households,
        services=summaries,
        unknown_inputs=unknown,
        truth=None,
        seconds=time.perf_counter() - started,
    )
    return Scanned(result, gap, found, country)


def _claims(
    found: Sequence[Service],
    computed: Mapping[str, pa.Table],
    population: Population,
    listed: Enrolment,
    period: Period,
) -> list[Claims]:
    """Each service's claims, from the rules' results of its entity, on the scan's threads."""
    person = results(computed["person"], "person_id")
    household = results(computed["household"], "household_id")
    return each(
        lambda s: claims(s, household if s.per_household else person, population, listed, period),
        found,
    )


def with_truth(scanned: Scanned) -> Scanned:
    """The scan with its check against the country's hidden truth, when it has one."""
    con = duckdb.connect(config=SETTINGS)
    try:
        truth = truth_check(con, scanned.country, scanned.services, scanned.gap)
    finally:
        con.close()
    return replace(scanned, result=replace(scanned.result, truth=truth))
