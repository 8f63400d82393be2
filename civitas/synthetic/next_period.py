"""``country advance``: the next period of a country folder, written safely.

Reads the manifest and the truth, moves time on, derives the registries again
from the new truth, and records what changed in each registry as change events.
Every file of the new period is first written to a scratch folder beside the
data, then moved into place; the manifest goes last, so a crash leaves either
the old period or files the manifest check reports (never served half-written).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries import (
    MANIFEST_NAME,
    Manifest,
    RegistryDefinition,
    describe_file,
    verify_country,
)
from civitas.synthetic.advance import advance_truth
from civitas.synthetic.changes import last_seq, registry_changes
from civitas.synthetic.registers import derive_copies
from civitas.synthetic.shape import Shape
from civitas.synthetic.truth import Truth
from civitas.synthetic.writer import TRUTH_FILES, write_parquet

MAX_DAYS = 3660


@dataclass(frozen=True)
class PeriodSummary:
    period: int
    as_of: dt.date
    events: Mapping[str, int]  # life events by kind
    changes: Mapping[str, int]  # change events by registry


def advance_country(
    folder: Path,
    *,
    days: int,
    shape: Shape,
    definitions: Sequence[RegistryDefinition],
) -> PeriodSummary:
    """Move the country in ``folder`` on by ``days`` days; what happened, in numbers."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            N_("A country moves on by 1 to {most} days at a time; {days} were asked."),
            hint=N_("Ask for a number of days in that range, e.g. --days 30."),
            params={"most": MAX_DAYS, "days": days},
            errors=(FieldError(("days",), N_("Out of range.")),),
        )
    truth_files = [f"truth/{name}.parquet" for name in TRUTH_FILES]
    registry_files = [f"registries/{d.id}.parquet" for d in definitions]
    manifest = verify_country(folder, only=[*truth_files, *registry_files])
    truth = Truth(
        **{n: pq.read_table(folder / f) for n, f in zip(TRUTH_FILES, truth_files, strict=True)}
    )
    period = manifest.period + 1
    advanced = advance_truth(
        truth, days=days, seed=manifest.seed, period=period, as_of=manifest.as_of, shape=shape
    )
    copies = derive_copies(advanced.truth, definitions, manifest.seed)
    registries = copies.registries
    persons = advanced.truth.persons
    now = replace(advanced.truth, identities=copies.identities)
    # Removed records are found through the identities they had before.
    owners = _by_registry(truth.identities, copies.identities)
    people = persons.select(["national_id", "person_id"])
    tables: dict[str, pa.Table] = {
        path: getattr(now, name) for name, path in zip(TRUTH_FILES, truth_files, strict=True)
    }
    counts: dict[str, int] = {}
    for definition in definitions:
        path = f"registries/{definition.id}.parquet"
        changes = registry_changes(
            pq.read_table(folder / path),
            registries[definition.id],
            definition,
            events=advanced.events,
            owners=owners.get(definition.id, copies.identities.slice(0, 0)),
            people=people,
            first_seq=last_seq(folder / "changes" / definition.id) + 1,
            as_of=advanced.as_of,
        )
        tables[path] = registries[definition.id]
        tables[f"changes/{definition.id}/{period:05d}.parquet"] = changes
        counts[definition.id] = changes.num_rows
    living = len(persons) - persons.column("death_date").null_count
    after = replace(manifest, period=period, as_of=advanced.as_of, people=living)
    _publish(folder, manifest, after, tables, period)
    kinds = Counter(advanced.events.column("kind").to_pylist())
    return PeriodSummary(period, advanced.as_of, dict(sorted(kinds.items())), counts)


def _by_registry(*parts: pa.Table) -> dict[str, pa.Table]:
    """Identities split by registry, comparing codes, not strings.

    Identities come grouped by registry, so each group is a zero-copy slice.
    """
    groups: dict[str, list[pa.Table]] = {}
    for part in parts:
        encoded = pc.dictionary_encode(part.column("registry")).combine_chunks()
        codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(), dtype=np.int64)
        order = None if (np.diff(codes) >= 0).all() else np.argsort(codes, kind="stable")
        ranked = part if order is None else part.take(pa.array(order))
        sorted_codes = codes if order is None else codes[order]
        bounds = np.searchsorted(sorted_codes, np.arange(len(encoded.dictionary) + 1))
        for k, name in enumerate(encoded.dictionary.to_pylist()):
            rows = ranked.slice(int(bounds[k]), int(bounds[k + 1] - bounds[k]))
            groups.setdefault(str(name), []).append(rows)
    return {name: pa.concat_tables(tables) for name, tables in groups.items()}


def _publish(
    folder: Path, before: Manifest, after: Manifest, tables: Mapping[str, pa.Table], period: int
) -> None:
    """Write every table to a scratch folder, move them into place, then the manifest."""
    scratch = folder / f".period-{period:05d}"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        entries = dict(before.files)
        # One file at a time: Parquet files written from several threads at once came
        # out with different bytes from run to run.
        for relative, table in sorted(tables.items()):
            target = scratch / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_parquet(table, target)
            entries[relative] = describe_file(target)
        for relative in tables:
            final = folder / relative
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(scratch / relative, final)
        manifest = replace(after, files=dict(sorted(entries.items())))
        (scratch / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
        os.replace(scratch / MANIFEST_NAME, folder / MANIFEST_NAME)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
