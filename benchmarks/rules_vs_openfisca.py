"""Benchmark: Civitas and the same law written for OpenFisca, side by side, on one country.

    .venv/bin/python benchmarks/rules_vs_openfisca.py --country var/bench/country-1m

One run on one machine: a synthetic country of --people (generated, or reused with
--country), its batch inputs for one month written once as Parquet, then each engine in
a process of its own, --repeat times, alternating:

- Civitas: the full demo rule set (every benefit of the pack) compiled and run on
  DuckDB, Parquet in and Parquet out (``civitas.rules.batch.compute_to_parquet``);
- OpenFisca: the same law as an OpenFisca model (``benchmarks/openfisca_model``),
  inputs read from the same Parquet files into numpy arrays, the simulation built from
  them (``SimulationBuilder``), every benefit calculated and written as Parquet.

Each engine's time is its run (inputs read, computed, results written; imports and
loading the law are reported apart), the fastest of the repeats; its memory is the
peak resident memory of its process (``ru_maxrss``), the largest of the repeats. Then
every benefit is compared for every person and household. Target (issue 4): at 1
million people Civitas at least 5x faster, with less memory, every result within a cent.
Exits non-zero if the results differ or a target is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from rules_population import (
    ROW_GROUP,
    Measured,
    civitas_child,
    country_folder,
    default_period,
    run_child,
)

from civitas.config import DEMO_PACK
from civitas.rules import Period, load_rules

TARGET_SPEED_UP = 5.0
ENGINES = ("civitas", "openfisca")


def run_engine(engine: str, inputs: Path, period: str, out: Path) -> dict[str, float]:
    """In the child: load the law, then compute every benefit from Parquet to Parquet."""
    if engine == "civitas":
        report = civitas_child(inputs, period, out)
        return {"load_law": report["load_rules"], "run": report["run"]}
    from openfisca_model import BENEFITS, ValdoriaTaxBenefitSystem, compute

    started = time.perf_counter()
    system = ValdoriaTaxBenefitSystem(DEMO_PACK)
    loaded = time.perf_counter()
    persons = pq.read_table(inputs / "person.parquet")
    households = pq.read_table(inputs / "household.parquet")
    results = compute(system, period, BENEFITS, persons, households)
    out.mkdir(parents=True, exist_ok=True)
    for entity, table in results.items():
        pq.write_table(table, out / f"{entity}.parquet")
    done = time.perf_counter()
    return {"load_law": loaded - started, "run": done - loaded}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--country", type=Path, help="a generated country to reuse (or keep)")
    parser.add_argument("--period", help="the month to compute, e.g. 2025-12")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine")
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "INPUTS", "PERIOD", "OUT"))
    options = parser.parse_args(argv)
    if options.child:
        engine, inputs, period, out = options.child
        print(json.dumps(run_engine(engine, Path(inputs), period, Path(out))))
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="civitas-vs-openfisca-"))
    try:
        country = country_folder(options.country, options.people, options.seed, scratch)
        period = Period.parse(options.period) if options.period else default_period(country)
        inputs = prepare_inputs(country, period, scratch / "inputs")
        runs: dict[str, list[Measured]] = {engine: [] for engine in ENGINES}
        for _ in range(options.repeat):
            for engine in ENGINES:
                arguments = ["--child", engine, str(inputs), str(period), str(scratch / engine)]
                runs[engine].append(run_child(Path(__file__), arguments))
        results = {engine: _read(scratch / engine) for engine in ENGINES}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    agreed = report_agreement(results)
    fast = report_speed(runs)
    return 0 if agreed and fast else 1


def prepare_inputs(country: Path, period: Period, out: Path) -> Path:
    """The inputs both engines read: the country's persons and households, as Parquet."""
    from openfisca_model.comparison import batch_inputs

    started = time.perf_counter()
    persons, households = batch_inputs(country, period)
    out.mkdir(parents=True)
    pq.write_table(persons, out / "person.parquet", row_group_size=ROW_GROUP)
    pq.write_table(households, out / "household.parquet", row_group_size=ROW_GROUP)
    print(
        f"inputs for {period}: {persons.num_rows:,} persons, {households.num_rows:,} "
        f"households ({time.perf_counter() - started:.1f} s)"
    )
    return out


def _read(folder: Path) -> dict[str, pa.Table]:
    return {path.stem: pq.read_table(path) for path in folder.glob("*.parquet")}


def report_agreement(results: dict[str, dict[str, pa.Table]]) -> bool:
    """Print how every benefit compares; whether all agree within a cent."""
    from openfisca_model import BENEFITS
    from openfisca_model.comparison import compare

    rules = load_rules(DEMO_PACK)
    declared = {variable.name for variable in rules.benefits()}
    if declared != set(BENEFITS):
        print(f"MISMATCH: the pack's benefits {sorted(declared)} != the model's {BENEFITS}")
        return False
    found = compare(rules, results["civitas"], results["openfisca"], BENEFITS)
    print(
        f"\n{'benefit':<22}{'entity':<11}{'rows':>11}{'not 0':>10}{'same':>11}"
        f"{'1 cent':>8}{'more':>6}{'largest':>10}"
    )
    for row in found:
        print(
            f"{row.variable:<22}{row.entity:<11}{row.rows:>11,}{row.nonzero:>10,}{row.same:>11,}"
            f"{row.one_cent:>8,}{row.beyond:>6,}{row.largest:>10.4f}"
        )
    print("(largest: the largest difference before rounding, in cents; rates in millionths)")
    beyond = sum(row.beyond for row in found)
    print(f"differences of more than one cent: {beyond}")
    return beyond == 0


def report_speed(runs: dict[str, list[Measured]]) -> bool:
    """Print time and memory of each engine and the ratios; whether the targets are met."""
    best = {engine: min(m.report["run"] for m in measured) for engine, measured in runs.items()}
    peak = {engine: max(m.peak_mb for m in measured) for engine, measured in runs.items()}
    print(
        f"\n{'engine':<11}{'run (best)':>12}{'runs':>22}{'load law':>10}"
        f"{'process':>9}{'CPU':>9}{'peak':>10}"
    )
    for engine, measured in runs.items():
        times = ", ".join(f"{m.report['run']:.2f}" for m in measured)
        print(
            f"{engine:<11}{best[engine]:>10.2f} s{times:>22}"
            f"{measured[0].report['load_law']:>8.2f} s{min(m.wall for m in measured):>7.1f} s"
            f"{min(m.cpu for m in measured):>7.1f} s{peak[engine]:>7,.0f} MB"
        )
    print("(run: inputs read, computed, results written; process: the whole child process,")
    print(" start-up and imports too, wall and CPU time; peak: its peak resident memory)")
    faster = best["openfisca"] / best["civitas"]
    lighter = peak["openfisca"] / peak["civitas"]
    print(f"\nCivitas is {faster:.1f}x faster and uses {lighter:.1f}x less memory")
    met = faster >= TARGET_SPEED_UP and lighter > 1
    print(f"target >= {TARGET_SPEED_UP:.0f}x faster and less memory: {'met' if met else 'MISSED'}")
    return met


if __name__ == "__main__":
    sys.exit(main())
