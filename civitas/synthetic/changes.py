"""Change events of a registry: the difference between two copies of it, explained.

A registry's copy before and after a period are joined on the record id (DuckDB,
all records at once): new records become ``record_created`` with the full record,
vanished ones ``record_removed``, and changed ones ``record_updated`` with only the
changed columns. Where the record's person had a life event in the period, the
event names the change (``birth``, ``move``...) and dates it; a removal is always
called ``record_removed`` so a consumer knows to delete. Events are ordered by
(occurred_on, record_id) and numbered on from the registry's last ``seq``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.registries import CHANGE_SCHEMA, IdentifierFormat, RegistryDefinition

Ints = npt.NDArray[np.int64]

# When a person had several events in a period, the first of these names their changes.
KIND_PRIORITY = (
    "death",
    "birth",
    "marriage",
    "separation",
    "move",
    "job_loss",
    "new_job",
    "age_milestone",
    "income_change",
)


def registry_changes(
    before: pa.Table,
    after: pa.Table,
    definition: RegistryDefinition,
    *,
    events: pa.Table,
    owners: pa.Table,
    people: pa.Table,
    first_seq: int,
    as_of: dt.date,
) -> pa.Table:
    """The change events turning ``before`` into ``after`` (CHANGE_SCHEMA).

    ``events`` is the period's life-event log (person_id, kind, occurred_on);
    ``owners`` maps this registry's record ids to person ids (record_id, person_id);
    ``people`` maps national ids to person ids, for records not in ``owners``.
    Unattributed changes are dated ``as_of``, the period's last day.
    """
    before, after = _differing(before, after, definition.record_id)
    owners = _owners_of(before, after, definition, owners)
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        con.register("before_t", before)
        con.register("after_t", after)
        con.register("events_t", events.select(["person_id", "kind", "occurred_on"]))
        con.register("owners_t", owners.select(["record_id", "person_id"]))
        con.register("people_t", people.select(["national_id", "person_id"]))
        ranks = pa.table({"kind": KIND_PRIORITY, "rank": range(len(KIND_PRIORITY))})
        con.register("priority_t", ranks)
        query = _query(before, after, definition)
        table = con.sql(query, params=[as_of, first_seq]).to_arrow_table()
    finally:
        con.close()
    return pa.Table.from_batches(table.cast(CHANGE_SCHEMA).to_batches(), CHANGE_SCHEMA)


def _differing(before: pa.Table, after: pa.Table, record_id: str) -> tuple[pa.Table, pa.Table]:
    """The rows of each copy that take part in a change: everything else is left out.

    Arrow compares the two copies column by column (records matched by a hash of
    their ids), so the SQL that writes the events only sees the few changed rows.
    """
    in_both, before_rows, gone = _match(before.column(record_id), after.column(record_id))
    after_rows = np.flatnonzero(in_both)
    changed = np.zeros(len(after_rows), dtype=np.bool_)
    for name in after.column_names:
        if name not in before.schema.names:
            continue
        now = _decoded(after.column(name).take(pa.array(after_rows)))
        then = _decoded(before.column(name).take(pa.array(before_rows)))
        same = pc.or_(
            pc.fill_null(pc.equal(now, then), False),
            pc.and_(pc.is_null(now), pc.is_null(then)),
        )
        changed |= ~np.asarray(same.to_numpy(zero_copy_only=False), dtype=np.bool_)
    kept_after = np.concatenate([np.flatnonzero(~in_both), after_rows[changed]])
    kept_before = np.concatenate([np.flatnonzero(gone), before_rows[changed]])
    return before.take(pa.array(np.sort(kept_before))), after.take(pa.array(np.sort(kept_after)))


def _owners_of(
    before: pa.Table, after: pa.Table, definition: RegistryDefinition, owners: pa.Table
) -> pa.Table:
    """The owners of the changed records that carry no national id (the others need none)."""
    unknown = []
    for table in (before, after):
        ids = table.column(definition.record_id)
        if definition.national_id:
            ids = ids.filter(pc.is_null(table.column(definition.national_id)))
        unknown.append(ids.combine_chunks().cast(pa.string()))
    wanted = pa.concat_arrays(unknown)
    if len(wanted) == 0:
        return owners.slice(0, 0)
    return owners.filter(pc.is_in(owners.column("record_id"), value_set=wanted))


def _match(
    before: pa.ChunkedArray, after: pa.ChunkedArray
) -> tuple[npt.NDArray[np.bool_], Ints, npt.NDArray[np.bool_]]:
    """Which ``after`` ids are in ``before`` (and at which row), and which ``before`` ids went.

    Record ids end in nine digits that are unique within a registry, so they are
    matched as numbers (sorting is far cheaper than hashing strings).
    """
    old, new = _numbers(before), _numbers(after)
    order = np.argsort(old, kind="stable")
    ranked = old[order]
    spot = np.clip(np.searchsorted(ranked, new), 0, max(len(old) - 1, 0))
    in_both = ranked[spot] == new if len(old) else np.zeros(len(new), dtype=np.bool_)
    rows = order[spot[in_both]]
    gone = np.ones(len(old), dtype=np.bool_)
    gone[rows] = False
    return in_both, rows, gone


def _numbers(ids: pa.ChunkedArray) -> Ints:
    digits = pc.utf8_slice_codeunits(ids.cast(pa.string()), -9)
    return np.asarray(pc.cast(digits, pa.int64()).to_numpy(), dtype=np.int64)


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def _query(before: pa.Table, after: pa.Table, definition: RegistryDefinition) -> str:
    rid = _quote(definition.record_id)
    compared = [name for name in after.column_names if name in before.schema.names]

    def nid(alias: str) -> str:
        if definition.national_id:
            return f"CAST({alias}.{_quote(definition.national_id)} AS BIGINT)"
        if definition.id_format is IdentifierFormat.NATIONAL:
            return f"TRY_CAST({alias}.{rid} AS BIGINT)"
        return "CAST(NULL AS BIGINT)"

    differs = " OR ".join(f"b.{_quote(c)} IS DISTINCT FROM a.{_quote(c)}" for c in compared)
    pieces = ", ".join(
        f"CASE WHEN b.{_quote(c)} IS DISTINCT FROM a.{_quote(c)} "
        f"THEN {_sql_text(json.dumps(c) + ':')} "
        f"|| coalesce(CAST(to_json(a.{_quote(c)}) AS VARCHAR), 'null') END"
        for c in compared
    )
    return f"""
    WITH
    created AS (
        SELECT t.{rid} AS record_id, {nid("t")} AS national_id, 'record_created' AS kind,
               CAST(to_json(t) AS VARCHAR) AS changes
        FROM after_t t ANTI JOIN before_t b ON t.{rid} = b.{rid}),
    removed AS (
        SELECT t.{rid} AS record_id, {nid("t")} AS national_id, 'record_removed' AS kind,
               '{{}}' AS changes
        FROM before_t t ANTI JOIN after_t a ON t.{rid} = a.{rid}),
    updated AS (
        SELECT a.{rid} AS record_id, {nid("a")} AS national_id,
               'record_updated' AS kind, '{{' || concat_ws(',', {pieces}) || '}}' AS changes
        FROM after_t a JOIN before_t b ON a.{rid} = b.{rid}
        WHERE {differs or "FALSE"}),
    diff AS (SELECT * FROM created UNION ALL SELECT * FROM removed UNION ALL SELECT * FROM updated),
    owned AS (
        SELECT d.*, coalesce(o.person_id, p.person_id) AS person_id
        FROM diff d
        LEFT JOIN (SELECT record_id, min(person_id) AS person_id FROM owners_t GROUP BY 1) o
            ON o.record_id = d.record_id
        LEFT JOIN people_t p ON p.national_id = d.national_id),
    first_event AS (
        SELECT person_id, kind, occurred_on FROM (
            SELECT e.person_id, e.kind, e.occurred_on, row_number() OVER (
                PARTITION BY e.person_id ORDER BY r.rank, e.occurred_on) AS n
            FROM events_t e JOIN priority_t r USING (kind))
        WHERE n = 1),
    named AS (
        SELECT coalesce(e.occurred_on, CAST($1 AS DATE)) AS occurred_on,
               CASE WHEN d.kind = 'record_removed' OR e.kind IS NULL THEN d.kind ELSE e.kind END
                   AS kind,
               d.record_id, d.national_id, d.changes
        FROM owned d LEFT JOIN first_event e ON e.person_id = d.person_id)
    SELECT CAST($2 AS BIGINT) - 1 + row_number() OVER (ORDER BY occurred_on, record_id) AS seq,
           occurred_on, kind, record_id, national_id, changes
    FROM named
    ORDER BY seq
    """


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def last_seq(folder: Path) -> int:
    """The last ``seq`` written in a registry's changes folder (0 when there is none)."""
    for path in sorted(folder.glob("*.parquet"), reverse=True):
        seq = pq.read_table(path, columns=["seq"]).column("seq")
        if len(seq):
            return int(pc.max(seq).as_py())
    return 0
