"""What happened in the country's latest period that the proactive services act on.

Once the country has moved on (``civitas country advance``), the chooser page also
offers a few people with news: a parent of a baby born in the period, someone who lost
their job, someone who retired, a parent whose child started school. A demo signs in
as them to see what the government did without being asked.

Only the latest period's change files are read (a few hundred rows for a country of
100,000), after the same check against the manifest as every other file. The change
kinds are those the demo pack's synthetic country writes and its ``proactive.yaml``
triggers name; a pack without one of these registers simply has no such news.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from civitas.identity.provider.population import Int64s
from civitas.registries import read_manifest, verify_country

_NONE = np.zeros(0, np.int64)


@dataclass(frozen=True)
class News:
    """National ids of the people each kind of news is about, in file order."""

    period: int = 0  # the latest period (0: the country has not moved on)
    births: Int64s = field(default_factory=lambda: _NONE)  # babies born in it
    job_losses: Int64s = field(default_factory=lambda: _NONE)  # people who lost their job
    retirements: Int64s = field(default_factory=lambda: _NONE)  # people who retired
    school_starts: Int64s = field(default_factory=lambda: _NONE)  # children starting school


# registry, change kind, column that must be set, and to what (None: any change of that kind)
_BIRTH = ("population", "birth", None, None)
_JOB_LOSS = ("social-security", "job_loss", "employment_status", "unemployed")
_RETIREMENT = ("social-security", "age_milestone", "employment_status", "retired")
_SCHOOL_START = ("education", "age_milestone", "school_level", "primary")
_COLUMNS = ("kind", "national_id", "changes")


def load_news(country_dir: Path) -> News:
    """The news of the country's latest period; none before the first advance."""
    manifest = read_manifest(country_dir)
    if manifest.period < 1:
        return News()
    files = {
        registry: f"changes/{registry}/{manifest.period:05d}.parquet"
        for registry in ("population", "social-security", "education")
    }
    listed = {registry: name for registry, name in files.items() if name in manifest.files}
    verify_country(country_dir, only=listed.values())  # small files: checked in full
    rows = {  # each file read once: social security holds two kinds of news
        registry: pq.read_table(country_dir / name, columns=[*_COLUMNS]).to_pylist()
        for registry, name in listed.items()
    }

    def people(registry: str, kind: str, column: str | None, value: str | None) -> Int64s:
        found: list[int] = []
        for row in rows.get(registry, ()):  # a register the pack lacks: no such news
            if row["kind"] != kind or not row["national_id"]:
                continue
            if column is None or json.loads(row["changes"] or "{}").get(column) == value:
                found.append(int(row["national_id"]))
        return np.array(list(dict.fromkeys(found)), np.int64)

    return News(
        manifest.period,
        people(*_BIRTH),
        people(*_JOB_LOSS),
        people(*_RETIREMENT),
        people(*_SCHOOL_START),
    )
