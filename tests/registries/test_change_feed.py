"""The change feed survives consumer crashes: every event at least once, never out of order."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.core.errors import InvalidInput
from civitas.registries.node import create_registry_app
from civitas.registries.services import decode_cursor, encode_cursor
from tests.registries.fixtures import BENEFITS, TAX, small_country

EVENTS = 45


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_country(tmp_path_factory.mktemp("country"), 30, events=EVENTS)


@pytest.fixture(scope="module")
def tax(country: Path) -> Iterator[TestClient]:
    with TestClient(create_registry_app(TAX, country), raise_server_exceptions=False) as client:
        yield client


def read_all(client: TestClient, limit: int = 1000) -> list[dict[str, object]]:
    return list(client.get("/changes", params={"limit": limit}).json()["events"])


class Consumer:
    """Processes events one at a time; saves the cursor only after a whole page."""

    def __init__(self, client: TestClient, batch: int) -> None:
        self.client, self.batch = client, batch
        self.saved: str | None = None  # survives a crash (what it wrote to disk)
        self.sessions: list[list[dict[str, object]]] = []  # events seen, per run

    def run(self, crash_after: int | None) -> bool:
        """One run of the process; False when it crashed after ``crash_after`` events."""
        session: list[dict[str, object]] = []
        self.sessions.append(session)
        while True:
            params: dict[str, object] = {"limit": self.batch}
            if self.saved:
                params["after"] = self.saved
            page = self.client.get("/changes", params=params).json()
            for event in page["events"]:
                if crash_after is not None and len(session) == crash_after:
                    return False  # died mid-page: the cursor of this page was never saved
                session.append(event)
            self.saved = page["next"]
            if not page["more"]:
                return True


@settings(max_examples=40, deadline=None)
@given(
    batch=st.integers(min_value=1, max_value=8),
    crashes=st.lists(st.integers(min_value=0, max_value=EVENTS), max_size=6),
)
def test_a_consumer_that_crashes_and_resumes_gets_every_event_in_order(
    tax: TestClient, batch: int, crashes: list[int]
) -> None:
    truth = read_all(tax)
    consumer = Consumer(tax, batch)
    for crash_after in crashes:
        if consumer.run(crash_after):
            break
    else:
        assert consumer.run(None)

    delivered = [e["seq"] for session in consumer.sessions for e in session]
    assert set(delivered) == {e["seq"] for e in truth}  # at least once
    seqs = [e["seq"] for e in truth]
    for session in consumer.sessions:
        got = [e["seq"] for e in session]
        if got:  # each run is a gap-free, increasing stretch of the feed
            start = seqs.index(got[0])
            assert got == seqs[start : start + len(got)]
    # Applying only events newer than the last applied gives each person's exact history.
    applied: list[dict[str, object]] = []
    for session in consumer.sessions:
        applied += [e for e in session if not applied or e["seq"] > applied[-1]["seq"]]  # type: ignore[operator]
    assert applied == truth
    by_person = [e["record_id"] for e in applied]
    for record in set(by_person):
        mine = [e["seq"] for e in truth if e["record_id"] == record]
        assert [e["seq"] for e in applied if e["record_id"] == record] == mine


def test_events_are_in_seq_order_across_periods(tax: TestClient) -> None:
    events = read_all(tax)
    assert [e["seq"] for e in events] == list(range(1, EVENTS + 1))
    assert events[0]["changes"] == {"annual_income": "1.00"}  # money as decimal text


def test_a_page_says_whether_more_events_follow(tax: TestClient) -> None:
    first = tax.get("/changes", params={"limit": EVENTS - 1}).json()
    assert first["more"] is True
    assert len(first["events"]) == EVENTS - 1
    last = tax.get("/changes", params={"after": first["next"], "limit": 10}).json()
    assert last["more"] is False
    assert [e["seq"] for e in last["events"]] == [EVENTS]
    done = tax.get("/changes", params={"after": last["next"]}).json()
    assert done == {"events": [], "next": last["next"], "more": False}


def test_the_cursor_is_an_opaque_url_safe_token_naming_its_registry() -> None:
    token = encode_cursor("social-security", "feed1", 1234)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_cursor(token, "social-security", "feed1") == 1234


def test_a_cursor_from_before_the_data_was_generated_again_is_refused() -> None:
    token = encode_cursor("tax", "old-feed", 500)
    with pytest.raises(InvalidInput, match="has started again since this cursor"):
        decode_cursor(token, "tax", "new-feed")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "%%%",
        base64.urlsafe_b64encode(b"tax:-1").decode(),
        base64.urlsafe_b64encode(b"tax:twelve").decode(),
        base64.urlsafe_b64encode(b":12").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe:1").decode(),
    ],
)
def test_a_malformed_cursor_is_refused_clearly(tax: TestClient, cursor: str) -> None:
    response = tax.get("/changes", params={"after": cursor})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert "is not one this service gave out" in body["error"]
    assert body["errors"] == [{"path": "query.after", "message": "Malformed cursor."}]


def test_a_cursor_of_another_registry_is_refused_clearly(country: Path, tax: TestClient) -> None:
    with TestClient(create_registry_app(BENEFITS, country)) as benefits:
        cursor = benefits.get("/changes").json()["next"]
    response = tax.get("/changes", params={"after": cursor})
    assert response.status_code == 400
    assert response.json()["error"] == (
        "The cursor belongs to the 'benefits' registry, not to 'tax'."
    )


def test_a_page_size_out_of_range_is_refused(tax: TestClient) -> None:
    for limit in (0, 1001):
        response = tax.get("/changes", params={"limit": limit})
        assert response.status_code == 400
        assert response.json()["errors"][0]["path"] == ("query.limit")
