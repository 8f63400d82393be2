"""Benchmark: the full demo rule set for one household, interactively, with explanations.

    .venv/bin/python benchmarks/rules_interpreter.py --households 2000

For each of --households random households (1-2 adults, 0-3 children, every input of the
demo law given a random value of its type), it times: reading the situation, computing
every benefit of the pack for one month, and building each benefit's explanation tree.
Target (issue 4): p95 under 10 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from civitas.config import DEMO_PACK
from civitas.rules import Kind, Period, RuleBook, load_rules
from civitas.rules.explanation import explain
from civitas.rules.interpreter import Interpreter
from civitas.rules.situation import read_situation


def random_value(rng: random.Random, kind: Any, name: str, born: date) -> object:
    """A plausible plain value for an input of this type."""
    match kind.kind:
        case Kind.BOOL:
            return rng.random() < (0.02 if "died" in name else 0.3)
        case Kind.INTEGER:
            return rng.randint(0, 24)
        case Kind.MONEY:
            return f"{rng.choice([0, rng.uniform(0, 800), rng.uniform(500, 4000)]):.2f}"
        case Kind.RATE:
            return f"{rng.random():.2f}"
        case Kind.DATE:
            if name == "birth_date":
                return born.isoformat()
            return (date(2026, 3, 1) - timedelta(days=rng.randint(0, 2000))).isoformat()
        case Kind.ENUM:
            return rng.choice(kind.choices)
    return None


def household(rules: RuleBook, rng: random.Random) -> dict[str, Any]:
    adults = [f"adult{i}" for i in range(rng.randint(1, 2))]
    kids = [f"child{i}" for i in range(rng.choice([0, 0, 1, 2, 3]))]
    inputs = {name: v for name, v in rules.variables.items() if v.is_input}
    persons = {}
    for pid in adults + kids:
        year = rng.randint(1940, 2003) if pid in adults else rng.randint(2009, 2026)
        born = date(year, rng.randint(1, 12), rng.randint(1, 28))
        persons[pid] = {
            name: random_value(rng, v.type, name, born)
            for name, v in inputs.items()
            if v.entity == "person"
        }
    home = {
        name: random_value(rng, v.type, name, date(1990, 1, 1))
        for name, v in inputs.items()
        if v.entity == "household"
    }
    return {"persons": persons, "households": {"home": {"adult": adults, "child": kids, **home}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--period", default="2026-03")
    parser.add_argument("--pack", type=Path, default=DEMO_PACK)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    rules = load_rules(options.pack)
    period = Period.parse(options.period)
    benefits = rules.benefits()
    rng = random.Random(options.seed)
    cases = [household(rules, rng) for _ in range(options.households)]
    timings = []
    for data in cases:
        started = time.perf_counter()
        interpreter = Interpreter(rules, read_situation(rules, data))
        for benefit in benefits:
            for member in interpreter.members_of(benefit.entity):
                explain(interpreter, benefit.name, member, period)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"households: {len(cases)}, benefits per household: {len(benefits)}")
    print(
        f"per household (all benefits + explanations): median {statistics.median(timings):.2f} ms, "
        f"p95 {p95:.2f} ms, p99 {timings[int(0.99 * (len(timings) - 1))]:.2f} ms, "
        f"max {timings[-1]:.2f} ms"
    )
    print(f"target p95 < 10 ms: {'met' if p95 < 10 else 'MISSED'}")
    return 0 if p95 < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
