"""Compute rules for a whole population: Parquet or Arrow tables in, tables out.

The same formulas the interpreter explains for one household, compiled to queries
(:mod:`civitas.rules.compiler`) and run on DuckDB (embedded, the default) or Apache
Spark (``pip install civitas[spark]``, a local or existing session)::

    from civitas.rules.batch import compute, compute_to_parquet

    inputs = {"person": Path("persons.parquet"), "household": Path("households.parquet")}
    results = compute(rules, "2026-03", ["child_benefit", "age"], inputs)
    results["household"]  # pyarrow.Table: household_id, child_benefit
    compute_to_parquet(rules, "2026-03", ["child_benefit"], inputs, Path("out"),
                       backend="pyspark")  # out/household.parquet

Months, years and eternity: a yearly or eternal variable asked for a month is computed
for the year holding it, or once; a monthly one cannot be asked for a year.

**Input tables**, one per entity (a Parquet file, a folder of Parquet files, or a
``pyarrow.Table``):

- persons: ``person_id`` (integer) and, for each kind of group G a formula needs,
  ``G_id`` (integer) and ``G_role`` (text) when a formula counts a role;
- a group table: ``G_id``; without one, the groups are those persons belong to;
- one column per input variable: money in whole cents and rates in millionths
  (64-bit integers), whole numbers, booleans, dates, enumerations as text.
  ``name`` holds the value for every period, ``name@2026-02`` for that period only
  (where it is NULL, ``name`` holds); NULL is unknown.
- a column may also give a computed variable: a row with a value there takes it
  instead of the formula; a row with values for other periods only is unknown; a
  row with none is computed. Each row reads like one person of a situation.

**Results**, per entity with a variable asked for: the id column and one column per
variable in the same stored form, NULL where an input left it unknown; rows come
in no particular order. Missing or mistyped columns raise InvalidInput naming each,
before any query runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import ibis
import ibis.backends.duckdb as duckdb_backend  # the default: loaded with the module
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.rules.batch_plan import plan
from civitas.rules.batch_schedule import schedule
from civitas.rules.compiler import Runner
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook

Source: TypeAlias = "Path | pa.Table"
BACKENDS = ("duckdb", "pyspark")


def compute(
    rules: RuleBook,
    period: Period | str,
    variables: Sequence[str],
    inputs: Mapping[str, Source],
    *,
    backend: str | ibis.BaseBackend = "duckdb",
) -> dict[str, pa.Table]:
    """The variables for every person and group, for one period, as Arrow tables.

    ``backend`` is "duckdb", "pyspark" (the active Spark session, or a local one) or
    an Ibis connection to either.
    """
    with _batch(rules, period, variables, inputs, backend) as (connection, results):
        return {entity: _arrow(connection, table) for entity, table in results.items()}


def compute_to_parquet(
    rules: RuleBook,
    period: Period | str,
    variables: Sequence[str],
    inputs: Mapping[str, Source],
    out: Path,
    *,
    backend: str | ibis.BaseBackend = "duckdb",
) -> dict[str, Path]:
    """Like :func:`compute`, writing ``<out>/<entity>.parquet`` (streamed on DuckDB)."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with _batch(rules, period, variables, inputs, backend) as (connection, results):
        for entity, table in results.items():
            path = written[entity] = out / f"{entity}.parquet"
            if connection.name == "duckdb":
                connection.to_parquet(table, path)
            else:
                pq.write_table(_arrow(connection, table), path)
    return written


@contextmanager
def _batch(
    rules: RuleBook,
    period: Period | str,
    variables: Sequence[str],
    inputs: Mapping[str, Source],
    backend: str | ibis.BaseBackend,
) -> Iterator[tuple[Any, dict[str, ir.Table]]]:
    """The planned, compiled queries on an open connection; released afterwards."""
    when = period if isinstance(period, Period) else Period.parse(period)
    _check_entities(rules, inputs)
    described = {entity: _describe(source) for entity, source in inputs.items()}
    shapes = {entity: shape for entity, (shape, _) in described.items()}
    complete = {entity: columns for entity, (_, columns) in described.items()}
    planned = plan(rules, when, variables, shapes, complete)  # every problem, before running
    connection, owned = _connect(backend)
    runner: Runner | None = None
    loaded: list[tuple[str, str]] = []  # (arrow or view, name), to release afterwards
    try:
        sources = {
            entity: _load(connection, entity, source, loaded) for entity, source in inputs.items()
        }
        runner = Runner(planned, schedule(planned), sources, connection)
        yield connection, runner.run()
    finally:
        if runner is not None:
            runner.release()
        if owned:
            connection.disconnect()
        else:  # a connection the caller keeps: leave it as it was
            for kind, name in loaded:
                if kind == "arrow":
                    connection.con.unregister(name)
                else:
                    connection.drop_view(name, force=True)


def _check_entities(rules: RuleBook, inputs: Mapping[str, Source]) -> None:
    known = rules.entities.names()
    unknown = [entity for entity in inputs if entity not in known]
    if unknown:
        raise InvalidInput(
            N_("There is no entity called {names} in the rules."),
            hint=N_("Name each input table after an entity: {known}."),
            params={"names": ", ".join(unknown), "known": ", ".join(known)},
            errors=tuple(FieldError(("inputs", name), "Unknown entity.") for name in unknown),
        )


def column_type(arrow: pa.DataType) -> str:
    """What a column holds, in the words of :func:`civitas.rules.batch_plan.plan`."""
    if pa.types.is_dictionary(arrow):
        arrow = arrow.value_type
    if pa.types.is_integer(arrow):
        return "integer"
    if pa.types.is_boolean(arrow):
        return "boolean"
    if pa.types.is_date(arrow):
        return "date"
    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow):
        return "string"
    if pa.types.is_null(arrow):
        return "null"
    return str(arrow)


def _describe(source: Source) -> tuple[dict[str, str], set[str]]:
    """What each column holds, and the columns with no NULL as far as the table says
    (Parquet statistics): what is computed from those alone needs no tracking of
    unknowns. Each file's footer is read once."""
    if isinstance(source, pa.Table):
        schema = source.schema
        complete = {
            name
            for name, column in zip(source.column_names, source.columns, strict=True)
            if column.null_count == 0
        }
    elif _existing(source).is_dir():
        dataset = ds.dataset(source, format="parquet")
        schema = dataset.schema
        found = [_complete_file(pq.read_metadata(file)) for file in dataset.files]
        complete = set.intersection(*found) if found else set()
    else:
        file = pq.ParquetFile(source)
        schema, complete = file.schema_arrow, _complete_file(file.metadata)
    return {field.name: column_type(field.type) for field in schema}, complete


def _complete_file(metadata: pq.FileMetaData) -> set[str]:
    names = [metadata.schema.column(i).path for i in range(metadata.num_columns)]
    complete = set(names)
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for i, name in enumerate(names):
            statistics = row_group.column(i).statistics
            if statistics is None or not statistics.has_null_count or statistics.null_count:
                complete.discard(name)
    return complete


def schema_of(source: Source) -> pa.Schema:
    """The columns of an input table, file or folder (InvalidInput if there is none)."""
    if isinstance(source, pa.Table):
        return source.schema
    if _existing(source).is_dir():
        return ds.dataset(source, format="parquet").schema
    return pq.read_schema(source)


def _existing(path: Path) -> Path:
    if not path.exists():
        raise InvalidInput(
            N_("The input {path} does not exist."),
            hint=N_("Give a Parquet file or a folder of Parquet files."),
            params={"path": str(path)},
        )
    return path


def _connect(backend: str | ibis.BaseBackend) -> tuple[Any, bool]:
    """An Ibis connection, and whether this batch opened it (and so closes it)."""
    if not isinstance(backend, str):
        return backend, False
    if backend == "duckdb":
        # rows in no particular order: parallel scans and writes, less memory
        return duckdb_backend.Backend().connect(preserve_insertion_order=False), True
    if backend == "pyspark":
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise InvalidInput(
                N_("Spark is not installed."),
                hint=N_("Install it with: pip install 'civitas[spark]'."),
            ) from None
        return ibis.pyspark.connect(SparkSession.builder.getOrCreate()), False
    raise InvalidInput(
        N_("There is no batch backend called {name}."),
        hint=N_("Use one of: {known}."),
        params={"name": backend, "known": ", ".join(BACKENDS)},
    )


def _arrow(connection: Any, table: ir.Table) -> pa.Table:
    """A result as Arrow; from Spark directly, not through pandas as Ibis does."""
    if connection.name == "pyspark":
        arrow: pa.Table = _spark().sql(connection.compile(table)).toArrow()
        return arrow
    return connection.to_pyarrow(table)


def _spark() -> Any:
    """The Spark session the Ibis connection runs on: the active (or the default) one."""
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()


def _load(connection: Any, entity: str, source: Source, loaded: list[tuple[str, str]]) -> ir.Table:
    """An input as a table of the connection: a view of Parquet files or of an Arrow
    table, not a copy (DuckDB reads Arrow where it is)."""
    name = f"civitas_{entity}_{uuid.uuid4().hex[:12]}"  # unique on a shared connection
    spark = connection.name == "pyspark"
    if isinstance(source, pa.Table):
        if spark:  # straight from Arrow: Ibis goes through pandas, where NULLs become NaN
            loaded.append(("view", name))
            _spark().createDataFrame(source).createOrReplaceTempView(name)
            return connection.table(name)
        loaded.append(("arrow", name))
        connection.con.register(name, source)
        return connection.table(name)
    loaded.append(("view", name))
    location = str(source / "*.parquet") if source.is_dir() and not spark else str(source)
    return connection.read_parquet(location, table_name=name)
