"""Take-up per service and group, counted from the claims with NumPy.

Entitled = enrolled + gap in every row (the entitled and receiving it, and the entitled
not receiving it); *undetermined* beneficiaries are outside both. A service nobody is
entitled to still has its rows, with zeros. Groups come in the order of
:class:`.groups.Groups`; people whose group is unknown (no address record) are in the
group ``unknown``, shown when someone is. Counting is one ``bincount`` per measure and
grouping over (service, group) codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.claims import LISTED, Service
from civitas.proactive.scan.groups import UNKNOWN, Groups
from civitas.proactive.scan.model import GROUPINGS, TOTAL, ServiceSummary, TakeUp
from civitas.rules import Kind

Counts = dict[str, npt.NDArray[np.int64]]


def take_up(
    con: duckdb.DuckDBPyConnection, claims: pa.Table, found: Sequence[Service], groups: Groups
) -> tuple[ServiceSummary, ...]:
    """Every service's totals and groups, from ``claims`` (also registered on ``con``)."""
    names = [s.service for s in found]
    code = _codes(claims.column("service"), names)
    entitled = _flags(claims, "entitled")
    enrolled = _flags(claims, "enrolled")
    measures = {
        "entitled": entitled,
        "enrolled": entitled & enrolled,
        "gap": entitled & ~enrolled,
        "undetermined": _flags(claims, "undetermined"),
    }
    amount = np.asarray(pc.fill_null(claims.column("amount_cents"), 0).to_numpy(), np.float64)
    by_grouping = {
        grouping: _count(claims, grouping, groups, code, len(names), measures, amount)
        for grouping in (TOTAL, *GROUPINGS)
    }
    listed = _listed(con, names)
    summaries = []
    for index, service in enumerate(found):
        rows = {
            grouping: _rows(service, index, grouping, *by_grouping[grouping])
            for grouping in (TOTAL, *GROUPINGS)
        }
        summaries.append(
            ServiceSummary(
                service=service.service,
                label=service.label,
                per_household=service.per_household,
                recorded=service.recorded,
                total=rows[TOTAL][0],
                enrolled_not_entitled=(
                    int(listed[index] - by_grouping[TOTAL][1]["enrolled"][index, 0])
                    if service.recorded
                    else None
                ),
                groups=tuple(item for grouping in GROUPINGS for item in rows[grouping]),
            )
        )
    return tuple(summaries)


def _count(
    claims: pa.Table,
    grouping: str,
    groups: Groups,
    service: npt.NDArray[np.int64],
    services: int,
    measures: dict[str, npt.NDArray[np.bool_]],
    amount: npt.NDArray[np.float64],
) -> tuple[list[str], Counts]:
    """The groups of a grouping (unknown last), and each measure per (service, group)."""
    if grouping == TOTAL:
        labels, group = [TOTAL], np.zeros(claims.num_rows, dtype=np.int64)
    else:
        labels = [*groups.labels(grouping), UNKNOWN]
        group = groups.codes(claims, grouping)
    key = service * len(labels) + group
    size = services * len(labels)
    shape = (services, len(labels))
    counts = {
        name: np.bincount(key[mask], minlength=size).reshape(shape)
        for name, mask in measures.items()
    }
    gap = measures["gap"]
    sums = np.bincount(key[gap], weights=amount[gap], minlength=size)
    counts["gap_amount_cents"] = np.rint(sums).astype(np.int64).reshape(shape)
    return labels, counts


def _rows(
    service: Service, index: int, grouping: str, labels: list[str], counts: Counts
) -> list[TakeUp]:
    """The service's row for each group; the unknown group only when someone is in it."""
    rows = []
    for at, group in enumerate(labels):
        if group == UNKNOWN and not any(counts[name][index, at] for name in counts):
            continue

        def measure(name: str, at: int = at) -> int:
            return int(counts[name][index, at])

        money = service.recorded and service.kind is Kind.MONEY
        rows.append(
            TakeUp(
                service=service.service,
                grouping=grouping,
                group=group,
                entitled=measure("entitled"),
                enrolled=measure("enrolled") if service.recorded else None,
                gap=measure("gap") if service.recorded else None,
                gap_amount_cents=measure("gap_amount_cents") if money else None,
                undetermined=measure("undetermined"),
            )
        )
    return rows


def _codes(column: pa.ChunkedArray, names: list[str]) -> npt.NDArray[np.int64]:
    found = pc.index_in(pc.cast(column, pa.string()), value_set=pa.array(names, pa.string()))
    return np.asarray(pc.fill_null(found, 0).to_numpy(), dtype=np.int64)


def _flags(claims: pa.Table, column: str) -> npt.NDArray[np.bool_]:
    return np.asarray(pc.fill_null(claims.column(column), False).to_numpy(), dtype=np.bool_)


def _listed(con: duckdb.DuckDBPyConnection, names: list[str]) -> npt.NDArray[np.int64]:
    """How many beneficiaries the benefits register lists for each service. Those not
    entitled are these less the entitled and enrolled (a claim is enrolled when its
    beneficiary is listed)."""
    counts = dict(con.sql(f"SELECT service, count(*) FROM {LISTED} GROUP BY 1").fetchall())
    return np.array([int(counts.get(name, 0)) for name in names], dtype=np.int64)
