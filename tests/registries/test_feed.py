"""The change feed through the once-only exchange: ``read_changes`` pages a node's feed
with only the columns its right grants, each page is one logged data use naming the
people of its events, and a right to look people up is no right to the feed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import pytest
from fastapi import FastAPI

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.core.errors import InvalidInput, NotAllowed
from civitas.exchange import (
    Consumer,
    ExchangeClient,
    Provider,
    ensure_keys,
    load_exchange,
    log_path,
)
from civitas.registries import FeedPage, load_registry_definitions, read_changes
from civitas.registries.node import create_registry_app
from tests.exchange.support import NOW, consumer, provider
from tests.registries.fixtures import change_events, national_ids, registry_table, write_country

DEFINITIONS = {d.id: d for d in load_registry_definitions(DEMO_PACK)}
PEOPLE = 20
EVENTS = 9
TAX = "tax-authority/tax"
PROACTIVE = ("civil-registry", "proactive")
PURPOSE = "proactive-services"
T = TypeVar("T")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tax = registry_table(DEFINITIONS["tax"], national_ids(PEOPLE))
    events = change_events(DEFINITIONS["tax"], tax, EVENTS)  # annual_income_cents changes
    folder = tmp_path_factory.mktemp("country")
    return write_country(folder, {"tax": tax}, {"tax": [events]}, period=1)


class Parties:
    def __init__(self, data: Path, gate: Provider, worker: Consumer, portal: Consumer) -> None:
        self.data, self.gate, self.worker, self.portal = data, gate, worker, portal
        self.app: FastAPI | None = None

    def run(self, who: Consumer, call: Callable[[ExchangeClient], Awaitable[T]]) -> T:
        """``call`` with an exchange client of ``who``, reaching the node in-process."""

        async def go() -> T:
            transport = httpx2.ASGITransport(app=self.app)
            async with (
                httpx2.AsyncClient(transport=transport) as http,
                ExchangeClient(who, {TAX: "http://tax.test"}, http=http) as client,
            ):
                return await call(client)

        return asyncio.run(go())

    def uses(self) -> list[dict[str, Any]]:
        return [e for _o, e in self.gate.messages.entries() if e["kind"] == "use"]


@pytest.fixture
def parties(tmp_path: Path, country: Path) -> Iterator[Parties]:
    data = tmp_path / "data"
    ensure_keys(data, load_exchange(DEMO_PACK).member_codes)
    clock = FixedClock(NOW)
    gate = provider(data, clock)
    worker, portal = consumer(data, clock, PROACTIVE), consumer(data, clock)
    found = Parties(data, gate, worker, portal)
    found.app = create_registry_app(DEFINITIONS["tax"], country, exchange=gate, reload_seconds=0)
    yield found
    for party in (worker, portal, gate):
        party.close()


def read(
    parties: Parties, after: str | None = None, limit: int = 100, who: Consumer | None = None
) -> FeedPage:
    worker = who or parties.worker
    return parties.run(worker, lambda client: read_changes(client, TAX, after, limit, PURPOSE))


def test_the_feed_is_read_through_the_exchange_with_only_the_granted_columns(
    parties: Parties,
) -> None:
    page = read(parties)
    assert (page.party, len(page.events), page.more) == (TAX, EVENTS, False)
    first = page.events[0]
    assert set(first) == {"seq", "occurred_on", "kind", "record_id", "national_id", "changes"}
    assert first["record_id"] is None  # the taxpayer number is not granted
    assert first["national_id"] in {int(n) for n in national_ids(PEOPLE)}
    assert first["changes"] == {"annual_income_cents": "1.00"}
    assert [e["seq"] for e in page.events] == list(range(1, EVENTS + 1))


def test_a_page_carries_the_message_id_of_the_answer_it_came_in(parties: Parties) -> None:
    page = read(parties)
    answered = [e for _o, e in parties.gate.messages.entries() if e["kind"] == "message"]
    assert [m["message_id"] for m in answered] == [page.message_id]
    assert answered[0]["path"] == "/r1/VLD/GOV/tax-authority/tax/changes"
    sent = [e for _o, e in parties.worker.messages.entries() if e["kind"] == "sent"]
    assert sent[0]["message_id"] == page.message_id
    assert sent[0]["path"] == "/r1/VLD/GOV/tax-authority/tax/changes?limit=100"
    # The worker has its own log, beside the portal's: the member's key, its own file.
    assert log_path(parties.data, *PROACTIVE).is_file()


def test_a_reader_pages_on_with_the_cursor_of_each_page(parties: Parties) -> None:
    seen: list[int] = []
    cursor: str | None = None
    while True:
        page = read(parties, cursor, limit=4)
        seen += [e["seq"] for e in page.events]
        cursor = page.next
        if not page.more:
            break
    assert seen == list(range(1, EVENTS + 1))
    assert read(parties, cursor).events == []  # nothing new: an empty page, same cursor


def test_a_page_is_one_logged_use_naming_each_person_whose_change_left(
    parties: Parties,
) -> None:
    page = read(parties, limit=5)
    (use,) = parties.uses()
    people = list(dict.fromkeys(f"{e['national_id']:09d}" for e in page.events))
    assert use["people"] == people
    assert (use["service"], use["purpose"], use["rows"]) == (f"{TAX}/changes", PURPOSE, 5)
    assert use["columns"] == ["national_id", "annual_income_cents"]
    assert use["organisation"] == "civil-registry"
    assert use["client"] == "VLD/GOV/civil-registry/proactive"
    # Each of them sees it among the uses of their data.
    shown = parties.run(
        parties.portal,
        lambda client: client.get(
            f"{TAX}/data-use", people[-1], purpose="data-use-report", user="u", case="c"
        ),
    )
    (seen,) = shown.json()["uses"]  # type: ignore[index]
    assert (seen["purpose"], seen["service"]) == (PURPOSE, f"{TAX}/changes")
    assert seen["legal_basis"]["url"].endswith("#article-12")
    assert seen["purpose_label"]["en"] == (
        "Find and give you the benefits you are entitled to, without you asking"
    )


def test_an_empty_page_is_no_data_use(parties: Parties) -> None:
    done = read(parties)
    assert len(parties.uses()) == 1
    read(parties, done.next)
    assert len(parties.uses()) == 1


def test_a_client_with_no_right_to_the_feed_is_refused(parties: Parties) -> None:
    with pytest.raises(NotAllowed, match="has no access right to tax-authority/tax/changes"):
        parties.run(
            parties.portal,
            lambda client: read_changes(client, TAX, None, 10, "own-data"),
        )
    assert parties.uses() == []


def test_a_right_to_the_feed_is_for_its_purpose_only(parties: Parties) -> None:
    with pytest.raises(NotAllowed, match="may not call tax-authority/tax/changes for the purpose"):
        parties.run(
            parties.worker,
            lambda client: read_changes(client, TAX, None, 10, "benefit-eligibility"),
        )


def test_a_cursor_the_node_never_gave_is_refused(parties: Parties) -> None:
    with pytest.raises(InvalidInput, match="is not one this service gave out"):
        read(parties, "not-a-cursor")


def test_the_exchange_gives_a_right_to_every_feed_to_the_proactive_services() -> None:
    setup = load_exchange(DEMO_PACK)
    worker = setup.subsystem(*PROACTIVE)
    assert worker is not None
    for definition in DEFINITIONS.values():
        address = setup.address(f"{definition.organisation}/{definition.id}/changes")
        assert address is not None, definition.id
        right = setup.right(worker, address, PURPOSE)
        assert right is not None, definition.id
        assert right.columns is not None, definition.id
        assert definition.national_id in right.columns  # whose record changed
        assert setup.purposes_allowed(worker, address) == (PURPOSE,)
    health = setup.address("health-service/health/changes")
    assert health is not None
    assert setup.right(worker, health, PURPOSE).columns == {"national_id"}  # type: ignore[union-attr]
