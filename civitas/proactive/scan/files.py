"""The scan's files: take-up as CSV and Parquet, the gap as Parquet, the truth check as JSON.

``takeup.csv`` and ``takeup.parquet`` hold one row per service, grouping and group,
with each service's totals as the grouping ``all``; counts are of beneficiaries
(people, or households for a household's service), ``take_up_rate`` is enrolled over
entitled, and the enrolment columns are empty for a service no register records.
``gap.parquet`` is :data:`civitas.proactive.scan.gap.GAP_SCHEMA`. ``truth-check.json``
is written only for a country with a hidden truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from civitas.proactive.scan.model import Agreement, ScanResult, TruthCheck

TAKEUP_SCHEMA = pa.schema(
    [
        ("month", pa.string()),
        ("service", pa.string()),
        ("grouping", pa.string()),
        ("group", pa.string()),
        ("entitled", pa.int64()),
        ("enrolled", pa.int64()),
        ("gap", pa.int64()),
        ("take_up_rate", pa.float64()),
        ("gap_amount_cents", pa.int64()),
        ("undetermined", pa.int64()),
        ("enrolment_recorded", pa.bool_()),
    ]
)
MATCHING = (
    "A person's service is matched by person, a household's service by household: the "
    "scan's beneficiary is placed in their true household through their national number, "
    "because the scan and the truth may pick different claimants in one household."
)


def write_files(result: ScanResult, gap: pa.Table, out: Path) -> list[Path]:
    """Write the files into ``out`` (created if needed); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    table = takeup_table(result)
    written = [out / "takeup.csv", out / "takeup.parquet", out / "gap.parquet"]
    pa_csv.write_csv(table, written[0])
    pq.write_table(table, written[1])
    pq.write_table(gap, written[2])
    if result.truth is not None:
        written.append(out / "truth-check.json")
        text = json.dumps(truth_json(result, result.truth), indent=2, ensure_ascii=False)
        written[-1].write_text(text + "\n", encoding="utf-8")
    return written


def takeup_table(result: ScanResult) -> pa.Table:
    rows = [
        {
            "month": result.month,
            "service": item.service,
            "grouping": item.grouping,
            "group": item.group,
            "entitled": item.entitled,
            "enrolled": item.enrolled,
            "gap": item.gap,
            "take_up_rate": item.take_up_rate,
            "gap_amount_cents": item.gap_amount_cents,
            "undetermined": item.undetermined,
            "enrolment_recorded": summary.recorded,
        }
        for summary in result.services
        for item in (summary.total, *summary.groups)
    ]
    return pa.Table.from_pylist(rows, schema=TAKEUP_SCHEMA)


def truth_json(result: ScanResult, truth: TruthCheck) -> dict[str, Any]:
    return {
        "month": result.month,
        "country": str(result.country),
        "truth_as_of": result.as_of.isoformat(),
        "measures": "entitled but not enrolled",
        "matching": MATCHING,
        "services": [_agreement(a) for a in truth.services],
        "overall": _agreement(truth.overall),
    }


def _agreement(agreement: Agreement) -> dict[str, Any]:
    found = {
        "service": agreement.service,
        "unit": agreement.unit,
        "found_by_scan": agreement.found,
        "in_truth": agreement.true,
        "in_both": agreement.both,
        "precision": _rounded(agreement.precision),
        "recall": _rounded(agreement.recall),
    }
    return {key: value for key, value in found.items() if value != ""}


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 4)
