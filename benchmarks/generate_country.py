"""Benchmark: generate a synthetic country of --people people and print time and peak memory.

    .venv/bin/python benchmarks/generate_country.py --people 10000000

Target (issue 3): 10 million people in at most 90 s with peak memory under 6 GB on two
cores; 100 000 people in a few seconds. The country is written to a temporary folder
(or --out) and the folder is removed afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from civitas.config import DEMO_PACK
from civitas.registries import FileEntry
from civitas.synthetic.pipeline import generate_country


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of any children, in megabytes."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports kilobytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pack", type=Path, default=DEMO_PACK)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    options = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="civitas-country-"))
    out = options.out or scratch / "country"
    started = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def on_stage(stage: str) -> None:
        marks.append((stage, time.perf_counter()))
        print(f"{time.perf_counter() - started:7.1f} s  {stage}", flush=True)

    def on_file(name: str, entry: FileEntry) -> None:
        print(f"{time.perf_counter() - started:7.1f} s    wrote {name} ({entry.rows:,} rows)")

    try:
        generated = generate_country(
            options.pack, options.people, options.seed, out, on_stage, on_file
        )
        size = sum(entry.bytes for entry in generated.manifest.files.values())
    finally:
        if not options.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(f"people: {options.people:,}")
    print(f"seconds: {seconds:.1f}")
    print(f"peak_rss_mb: {peak_rss_mb():.0f}")
    print(f"bytes_written: {size:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
