"""Change events: the difference between two copies of a registry, named and numbered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa

from civitas.core.text import LocalText
from civitas.registries import (
    CHANGE_SCHEMA,
    Column,
    ColumnType,
    IdentifierFormat,
    RegistryDefinition,
)
from civitas.synthetic.changes import last_seq, registry_changes
from civitas.synthetic.life_events import EVENT_SCHEMA
from civitas.synthetic.writer import write_parquet

TEXT: LocalText = {"en": "x", "pt": "x"}
TAX = RegistryDefinition(
    id="tax",
    name=TEXT,
    description=TEXT,
    organisation="tax-authority",
    record_id="taxpayer_number",
    id_format=IdentifierFormat.PREFIXED,
    id_prefix="TX",
    national_id="national_id",
    columns=(
        Column("taxpayer_number", ColumnType.TEXT, TEXT),
        Column("national_id", ColumnType.INTEGER, TEXT, nullable=True),
        Column("municipality", ColumnType.TEXT, TEXT),
        Column("monthly_income_cents", ColumnType.MONEY, TEXT),
        Column("registered_on", ColumnType.DATE, TEXT, nullable=True),
    ),
)
SCHEMA = pa.schema(
    [
        ("taxpayer_number", pa.string()),
        ("national_id", pa.int64()),
        ("municipality", pa.string()),
        ("monthly_income_cents", pa.int64()),
        ("registered_on", pa.date32()),
    ]
)
END = dt.date(2026, 1, 31)
DAY = dt.date(2026, 1, 10)


def tax(*rows: tuple[str, int | None, str, int, dt.date | None]) -> pa.Table:
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row, strict=True)) for row in rows], SCHEMA)


BEFORE = tax(
    ("TX-000000019", 111111111, "VLD-PA", 100_000, DAY),
    ("TX-000000027", 222222222, "VLD-PA", 200_000, None),
    ("TX-000000035", None, "VLD-BE", 300_000, DAY),
)
PEOPLE = pa.table(
    {"national_id": [111111111, 222222222, 333333333, 444444444], "person_id": [1, 2, 3, 4]}
)
OWNERS = pa.table({"record_id": ["TX-000000035"], "person_id": [3]})


def events(*rows: tuple[int, str, dt.date]) -> pa.Table:
    return pa.Table.from_pylist(
        [{"person_id": p, "kind": k, "occurred_on": d, "details": "{}"} for p, k, d in rows],
        EVENT_SCHEMA,
    )


def diff(
    before: pa.Table, after: pa.Table, log: pa.Table | None = None, first: int = 1
) -> pa.Table:
    return registry_changes(
        before,
        after,
        TAX,
        events=log if log is not None else events(),
        owners=OWNERS,
        people=PEOPLE,
        first_seq=first,
        as_of=END,
    )


def test_identical_copies_make_no_change_events() -> None:
    changes = diff(BEFORE, BEFORE)
    assert changes.num_rows == 0
    assert changes.schema.equals(CHANGE_SCHEMA)


def test_a_changed_record_lists_only_its_changed_columns() -> None:
    after = tax(
        ("TX-000000019", 111111111, "VLD-BE", 100_000, DAY),
        ("TX-000000027", 222222222, "VLD-PA", 210_000, dt.date(2026, 1, 5)),
        ("TX-000000035", None, "VLD-BE", 300_000, DAY),
    )
    changes = diff(BEFORE, after).to_pylist()
    assert [c["kind"] for c in changes] == ["record_updated", "record_updated"]
    assert [json.loads(c["changes"]) for c in changes] == [
        {"municipality": "VLD-BE"},
        {"monthly_income_cents": 210_000, "registered_on": "2026-01-05"},
    ]
    assert [c["occurred_on"] for c in changes] == [END, END]
    assert [c["national_id"] for c in changes] == [111111111, 222222222]


def test_a_new_record_carries_the_full_record_and_a_removed_one_says_so() -> None:
    after = tax(
        ("TX-000000019", 111111111, "VLD-PA", 100_000, DAY),
        ("TX-000000035", None, "VLD-BE", 300_000, DAY),
        ("TX-000000043", 444444444, "VLD-FR", 0, None),
    )
    changes = diff(BEFORE, after).to_pylist()
    kinds = {c["record_id"]: c["kind"] for c in changes}
    assert kinds == {"TX-000000027": "record_removed", "TX-000000043": "record_created"}
    created = next(c for c in changes if c["kind"] == "record_created")
    assert json.loads(created["changes"]) == {
        "taxpayer_number": "TX-000000043",
        "national_id": 444444444,
        "municipality": "VLD-FR",
        "monthly_income_cents": 0,
        "registered_on": None,
    }


def test_a_life_event_names_and_dates_the_change_of_its_persons_records() -> None:
    after = tax(
        ("TX-000000019", 111111111, "VLD-BE", 100_000, DAY),
        ("TX-000000035", None, "VLD-PA", 0, DAY),
        ("TX-000000043", 444444444, "VLD-FR", 0, None),
    )
    log = events(
        (1, "move", dt.date(2026, 1, 20)),
        (2, "death", dt.date(2026, 1, 3)),
        (3, "income_change", dt.date(2026, 1, 2)),
        (3, "move", dt.date(2026, 1, 25)),
        (4, "birth", dt.date(2026, 1, 7)),
    )
    changes = diff(BEFORE, after, log).to_pylist()
    named = [(c["record_id"], c["kind"], c["occurred_on"]) for c in changes]
    assert named == [
        ("TX-000000027", "record_removed", dt.date(2026, 1, 3)),  # removal keeps its kind
        ("TX-000000043", "birth", dt.date(2026, 1, 7)),
        ("TX-000000019", "move", dt.date(2026, 1, 20)),
        ("TX-000000035", "move", dt.date(2026, 1, 25)),  # found through the owners table
    ]


def test_seq_is_strictly_increasing_in_date_order_and_continues_from_the_first_given() -> None:
    after = tax(
        ("TX-000000019", 111111111, "VLD-BE", 100_000, DAY),
        ("TX-000000027", 222222222, "VLD-BE", 200_000, None),
        ("TX-000000035", None, "VLD-PA", 300_000, DAY),
    )
    log = events((2, "move", dt.date(2026, 1, 4)), (1, "move", dt.date(2026, 1, 9)))
    changes = diff(BEFORE, after, log, first=41).to_pylist()
    assert [c["seq"] for c in changes] == [41, 42, 43]
    assert [c["occurred_on"] for c in changes] == sorted(c["occurred_on"] for c in changes)


def test_the_last_seq_is_read_from_the_newest_period_with_events(tmp_path: Path) -> None:
    assert last_seq(tmp_path) == 0
    after = tax(("TX-000000019", 111111111, "VLD-BE", 100_000, DAY))
    write_parquet(diff(BEFORE, after), tmp_path / "00001.parquet")
    write_parquet(diff(after, after), tmp_path / "00002.parquet")  # a quiet period
    assert last_seq(tmp_path) == 3
