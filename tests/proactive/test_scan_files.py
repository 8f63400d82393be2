"""The take-up scan's files: a report that parses and shows every chart with its table,
take-up tables whose numbers add up, the gap, and the check against the hidden truth."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.proactive.scan.files import TAKEUP_SCHEMA
from civitas.proactive.scan.gap import GAP_SCHEMA, digits
from civitas.proactive.scan.model import GROUPINGS, TOTAL
from tests.proactive.conftest import ScanWorld


class _Outline(HTMLParser):
    """The page as a flat list of (tag, attributes) of elements that matter here, with
    the text of each SVG's title and desc."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"html", "svg", "title", "desc", "table", "caption", "th", "h1", "h2", "h3"}:
            self.elements.append((tag, dict(attrs)))
        self._open = dict(attrs).get("id") if tag in {"title", "desc"} else None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open] = self.texts.get(self._open, "") + data


def _outline(world: ScanWorld) -> _Outline:
    outline = _Outline()
    outline.feed((world.out / "report.html").read_text(encoding="utf-8"))
    outline.close()
    return outline


def test_the_scan_writes_its_report_and_files(scan_world: ScanWorld) -> None:
    for name in ("report.html", "takeup.csv", "takeup.parquet", "gap.parquet", "truth-check.json"):
        assert (scan_world.out / name).stat().st_size > 0, name


def test_the_report_declares_its_language_and_has_one_main_heading(scan_world: ScanWorld) -> None:
    outline = _outline(scan_world)
    assert outline.elements[0] == ("html", {"lang": "en"})
    assert [tag for tag, _ in outline.elements].count("h1") == 1


def test_each_chart_has_a_title_and_description_and_a_table_after_it(
    scan_world: ScanWorld,
) -> None:
    outline = _outline(scan_world)
    tags = [tag for tag, _ in outline.elements]
    charts = [i for i, tag in enumerate(tags) if tag == "svg"]
    recorded = [s for s in scan_world.scanned.result.services if s.recorded]
    assert len(charts) == len(recorded) * len(GROUPINGS)
    for at in charts:
        attributes = outline.elements[at][1]
        assert attributes["role"] == "img"
        title, desc = (attributes["aria-labelledby"] or "").split()
        assert outline.texts[title].strip()
        assert outline.texts[desc].strip()
        following = tags[at + 1 :]
        assert following[:3] == ["title", "desc", "table"]
        assert following[3] == "caption"


def test_every_table_has_a_caption_and_headers_with_a_scope(scan_world: ScanWorld) -> None:
    outline = _outline(scan_world)
    tags = [tag for tag, _ in outline.elements]
    for at, tag in enumerate(tags):
        if tag == "table":
            assert tags[at + 1] == "caption"
    headers = [attributes for tag, attributes in outline.elements if tag == "th"]
    assert headers
    assert all(h.get("scope") in {"col", "row"} for h in headers)


def test_entitled_is_enrolled_plus_the_gap_in_every_row(scan_world: ScanWorld) -> None:
    table = pq.read_table(scan_world.out / "takeup.parquet")
    assert table.schema == TAKEUP_SCHEMA
    for row in table.to_pylist():
        if row["enrolment_recorded"]:
            assert row["entitled"] == row["enrolled"] + row["gap"], row
        else:
            assert (row["enrolled"], row["gap"]) == (None, None), row


def test_each_grouping_adds_up_to_the_service_total(scan_world: ScanWorld) -> None:
    for summary in scan_world.scanned.result.services:
        for grouping in GROUPINGS:
            items = [item for item in summary.groups if item.grouping == grouping]
            assert sum(item.entitled for item in items) == summary.total.entitled
            if summary.recorded:
                assert sum(item.gap or 0 for item in items) == summary.total.gap


def test_the_csv_holds_the_same_rows_as_the_parquet(scan_world: ScanWorld) -> None:
    with (scan_world.out / "takeup.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = pq.read_table(scan_world.out / "takeup.parquet")
    assert len(rows) == table.num_rows
    assert list(rows[0]) == TAKEUP_SCHEMA.names
    totals = [row for row in rows if row["grouping"] == TOTAL]
    assert {row["service"] for row in totals} == {
        s.service for s in scan_world.scanned.result.services
    }


def test_the_gap_lists_everyone_the_take_up_counts_as_not_enrolled(scan_world: ScanWorld) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet")
    assert gap.schema == GAP_SCHEMA
    for summary in scan_world.scanned.result.services:
        listed = pc.sum(pc.equal(gap.column("service"), summary.service)).as_py() or 0
        assert listed == (summary.total.gap or 0), summary.service
    ids = gap.column("national_id").to_pylist()
    assert all(len(national_id) == 9 and national_id.isdigit() for national_id in ids)
    keys = list(zip(gap.column("service").to_pylist(), ids, strict=True))
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_the_truth_check_gives_precision_and_recall_per_service_and_overall(
    scan_world: ScanWorld,
) -> None:
    check = json.loads((scan_world.out / "truth-check.json").read_text(encoding="utf-8"))
    services = {item["service"]: item for item in check["services"]}
    assert "child-benefit" in services
    assert "birth-grant" not in services
    assert services["child-benefit"]["unit"] == "household"
    assert services["unemployment-benefit"]["unit"] == "person"
    overall = check["overall"]
    assert 0 < overall["precision"] <= 1
    assert 0 < overall["recall"] <= 1
    assert overall["in_both"] == sum(item["in_both"] for item in check["services"])
    assert "household" in check["matching"]


def test_national_numbers_are_written_with_their_nine_digits() -> None:
    numbers = np.array([5, 10_000_000, 123_456_789, 999_999_999], dtype=np.int64)
    assert digits(numbers).to_pylist() == ["000000005", "010000000", "123456789", "999999999"]
    assert digits(np.array([1_234_567_890], dtype=np.int64)).to_pylist() == ["1234567890"]
    assert digits(np.array([], dtype=np.int64)).to_pylist() == []
