"""Benchmark: the full demo rule set for one month over a whole synthetic country (DuckDB).

    .venv/bin/python benchmarks/rules_population.py --country var/bench/country-10m

Target (issue 4): 10 million people in under 5 s wall and under 3 GB peak memory on
this 2-core machine. The rules are timed in a process of their own, from the batch
inputs as Parquet to the results as Parquet (``civitas.rules.batch.compute_to_parquet``;
with ``--to arrow``, to Arrow tables in memory with ``compute``), so that its peak
memory (``ru_maxrss``) is theirs alone; loading the rule pack is timed apart. The
input preparation (``civitas.synthetic.rules_inputs``: the synthetic country's truth
as one table of persons and one of households) is timed separately.

--country reuses a generated country (generating 10 million people takes over a
minute); a folder without one is generated and kept there for the next run. Without
it the country is generated in a temporary folder and removed afterwards. The period
is by default the last month before the country's "as of" date.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from civitas.config import DEMO_PACK
from civitas.registries import read_manifest
from civitas.rules import Period, load_rules

TARGET_SECONDS = 5.0
TARGET_MB = 3 * 1024
# rows per Parquet row group of the inputs: engines read row groups in parallel, and
# pyarrow's default (a million rows) would leave one of two cores idle at 1M people
ROW_GROUP = 128 * 1024


@dataclass(frozen=True)
class Measured:
    """What a child process reported, with its wall time and peak memory from outside."""

    report: dict[str, float]  # the child's own timings, in seconds
    wall: float  # the whole process, start-up and imports included
    cpu: float  # the whole process's CPU time, user and system, all threads
    peak_mb: float  # its peak resident memory


def run_child(script: Path, arguments: Sequence[str]) -> Measured:
    """Run ``script`` with ``arguments`` in a new Python; its JSON report and footprint."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(script), *arguments], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{script.name} {' '.join(arguments)} failed ({child.returncode})")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(json.loads(output.splitlines()[-1]), wall, cpu, usage.ru_maxrss / 1024)


def country_folder(folder: Path | None, people: int, seed: int, scratch: Path) -> Path:
    """A generated country: ``folder`` if it holds one, else generated there (or in scratch)."""
    from civitas.synthetic.pipeline import generate_country

    out = folder or scratch / "country"
    if (out / "manifest.json").exists():
        print(f"country: {out} (reused)")
        return out
    started = time.perf_counter()
    generate_country(DEMO_PACK, people, seed, out)
    print(f"country: {people:,} people generated in {time.perf_counter() - started:.1f} s")
    return out


def default_period(country: Path) -> Period:
    """The last month before the country's "as of" date (its newest births are in it)."""
    as_of = read_manifest(country).as_of
    return Period.month(as_of.year, as_of.month).shift(-1)


def civitas_child(inputs: Path, period: str, out: Path, to: str = "parquet") -> dict[str, float]:
    """In the child: load the rules, then compute every benefit from Parquet to Parquet
    (or to Arrow tables in memory)."""
    from civitas.rules.batch import compute, compute_to_parquet

    started = time.perf_counter()
    rules = load_rules(DEMO_PACK)
    names = [variable.name for variable in rules.benefits()]
    loaded = time.perf_counter()
    sources = {entity: inputs / f"{entity}.parquet" for entity in ("person", "household")}
    if to == "parquet":
        written = compute_to_parquet(rules, period, names, sources, out, backend="duckdb")
        done = time.perf_counter()
        rows = {entity: pq.read_metadata(path).num_rows for entity, path in written.items()}
    else:
        tables = compute(rules, period, names, sources, backend="duckdb")
        done = time.perf_counter()
        rows = {entity: table.num_rows for entity, table in tables.items()}
    return {
        "load_rules": loaded - started,
        "run": done - loaded,
        "variables": len(names),
        **{f"rows of {entity}": count for entity, count in rows.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000_000)
    parser.add_argument("--country", type=Path, help="a generated country to reuse (or keep)")
    parser.add_argument("--period", help="the month to compute, e.g. 2025-12")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the rules; the best counts")
    parser.add_argument(
        "--to", choices=("parquet", "arrow"), default="parquet", help="where results go"
    )
    parser.add_argument("--child", nargs=4, metavar=("INPUTS", "PERIOD", "OUT", "TO"))
    options = parser.parse_args(argv)
    if options.child:
        inputs, period, out, to = options.child
        print(json.dumps(civitas_child(Path(inputs), period, Path(out), to)))
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="civitas-rules-bench-"))
    try:
        country = country_folder(options.country, options.people, options.seed, scratch)
        period = Period.parse(options.period) if options.period else default_period(country)
        inputs = prepare_inputs(country, period, scratch / "inputs")
        arguments = ["--child", str(inputs), str(period), str(scratch / "out"), options.to]
        runs = [run_child(Path(__file__), arguments) for _ in range(options.repeat)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    measured = min(runs, key=lambda run: run.report["run"])
    seconds = measured.report["run"]
    peak_mb = max(run.peak_mb for run in runs)
    rows = {key[8:]: count for key, count in measured.report.items() if key.startswith("rows of")}
    print(f"period: {period}; results: " + ", ".join(f"{n:,.0f} {e}s" for e, n in rows.items()))
    print(f"variables: {measured.report['variables']:.0f} benefits (the full demo rule set)")
    print(f"load rules: {measured.report['load_rules']:.2f} s")
    times = ", ".join(f"{run.report['run']:.2f}" for run in runs)
    where = "Parquet out" if options.to == "parquet" else "Arrow tables out"
    print(f"rules (Parquet in, {where}, DuckDB): {seconds:.2f} s wall (runs: {times})")
    print(f"peak memory of the rules process: {peak_mb:,.0f} MB")
    print(
        f"whole rules process (start-up and imports too): {measured.wall:.2f} s wall, "
        f"{measured.cpu:.2f} s CPU"
    )
    met = seconds < TARGET_SECONDS and peak_mb < TARGET_MB
    print(
        f"target < {TARGET_SECONDS:.0f} s and < {TARGET_MB / 1024:.0f} GB: "
        f"{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


def prepare_inputs(country: Path, period: Period, out: Path) -> Path:
    """The batch inputs of the country for the period, written as Parquet; timed."""
    from civitas.synthetic.rules_inputs import rules_inputs

    started = time.perf_counter()
    inputs = rules_inputs(country, period)
    built = time.perf_counter()
    out.mkdir(parents=True)
    pq.write_table(inputs.persons, out / "person.parquet", row_group_size=ROW_GROUP)
    pq.write_table(inputs.households, out / "household.parquet", row_group_size=ROW_GROUP)
    written = time.perf_counter()
    print(
        f"input preparation: {inputs.persons.num_rows:,} persons and "
        f"{inputs.households.num_rows:,} households in {built - started:.2f} s "
        f"(+ {written - built:.2f} s to write them as Parquet)"
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
