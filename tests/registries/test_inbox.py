"""A register's inbox through the exchange gate: notices kept once, consents requested by an
agency, decided by the person through the portal, and checked on every call that names one."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.exchange import Consumer, Outgoing, Provider, ensure_keys, load_exchange
from civitas.registries import load_registry_definitions
from civitas.registries.inbox import Inbox
from civitas.registries.inbox_store import SqlInboxStore
from civitas.registries.node import create_registry_app
from tests.exchange.support import NOW, consumer, provider
from tests.registries.fixtures import national_ids, registry_table, write_country

DEFINITIONS = {d.id: d for d in load_registry_definitions(DEMO_PACK)}
HEALTH = ("health-service", "health")
EDUCATION = ("education-ministry", "education")
CHILD = f"{national_ids(10)[4]:09d}"
OTHER_CHILD = f"{national_ids(10)[5]:09d}"
PARENT = f"VLD{national_ids(10)[0]:09d}"
SCHOOL = "school-health-check"


@dataclass
class Node:
    client: TestClient
    gate: Provider
    portal: Consumer
    school: Consumer
    inbox: Inbox
    clock: FixedClock

    def send(self, outgoing: Outgoing) -> Response:
        return self.client.request(
            outgoing.method,
            outgoing.target,
            headers={**outgoing.headers, "content-type": "application/json"},
            content=outgoing.body,
        )

    def post(
        self, who: Consumer, service: str, document: Any, purpose: str, user: str = PARENT
    ) -> Response:
        body = json.dumps(document).encode()
        return self.send(
            who.prepare(
                service, CHILD, purpose=purpose, user=user, case="c-1", method="POST", body=body
            )
        )

    def request_consent(self) -> str:
        asked = self.post(
            self.school,
            "health-service/health/consent",
            {"action": "request", "purpose": SCHOOL},
            purpose="consent-management",
            user="nurse-12",
        )
        assert asked.status_code == 200, asked.text
        return str(asked.json()["consent"]["id"])

    def decide(self, action: str, consent_id: str, **more: str) -> Response:
        return self.post(
            self.portal,
            "health-service/health/consent",
            {"action": action, "id": consent_id, **more},
            purpose="consent-management",
        )

    def school_reads(self, consent_id: str, person: str = CHILD) -> Response:
        return self.send(
            self.school.prepare(
                "health-service/health/person",
                person,
                purpose=SCHOOL,
                legal_basis=f"consent:{consent_id}",
                user="nurse-12",
                case="check-2025",
            )
        )


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    health = registry_table(DEFINITIONS["health"], national_ids(10))
    return write_country(tmp_path_factory.mktemp("country"), {"health": health})


@pytest.fixture
def node(tmp_path: Path, country: Path) -> Iterator[Node]:
    data = tmp_path / "data"
    ensure_keys(data, load_exchange(DEMO_PACK).member_codes)
    clock = FixedClock(NOW)
    gate = provider(data, clock, HEALTH)
    portal, school = consumer(data, clock), consumer(data, clock, EDUCATION)
    store = SqlInboxStore.open(tmp_path / "inbox.sqlite")
    inbox = Inbox(store, DEFINITIONS["health"], gate.setup, gate.me, clock)
    app = create_registry_app(DEFINITIONS["health"], country, exchange=gate, inbox=inbox)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Node(client, gate, portal, school, inbox, clock)
    portal.close()
    school.close()
    store.close()


ADDRESS = {
    "street": "Rua das Flores",
    "house_number": "12",
    "postcode": "1200-001",
    "municipality": "Lisboa",
    "moved_on": "2025-02-20",
}


def test_a_change_of_address_is_kept_once_with_who_sent_it(node: Node) -> None:
    sent = node.post(
        node.portal, "health-service/health/address-change", ADDRESS, purpose="tell-us-once"
    )
    assert sent.status_code == 201, sent.text
    (kept,) = node.inbox.notices()
    assert (kept.kind, kept.national_id, kept.sender, kept.user) == (
        "address-change",
        CHILD,
        "civil-registry/portal",
        PARENT,
    )
    assert kept.details == ADDRESS
    assert kept.message_id == sent.headers["x-road-id"]
    node.inbox.store.add_notice(kept)  # the same message again changes nothing
    assert len(node.inbox.notices()) == 1


def test_a_malformed_notice_is_refused_field_by_field_and_nothing_is_kept(node: Node) -> None:
    bad = {**ADDRESS, "moved_on": "20/02/2025", "street": "", "colour": "red"}
    sent = node.post(
        node.portal, "health-service/health/address-change", bad, purpose="tell-us-once"
    )
    assert (sent.status_code, sent.headers["x-road-error"]) == (400, "Service.BadRequest")
    paths = {e["path"]: e["message"] for e in sent.json()["errors"]}
    assert paths == {
        "body.street": "Required text.",
        "body.moved_on": "Write the date as YYYY-MM-DD.",
        "body.colour": "Unknown field.",
    }
    assert node.inbox.notices() == []


def test_a_right_to_tell_a_new_address_is_no_right_to_report_errors_or_decide_consents(
    node: Node,
) -> None:
    wrong_purpose = node.post(
        node.portal, "health-service/health/consent", {"action": "grant"}, purpose="tell-us-once"
    )
    assert (wrong_purpose.status_code, wrong_purpose.headers["x-road-error"]) == (
        403,
        "Server.AccessDenied",
    )
    by_the_school = node.post(
        node.school, "health-service/health/address-change", ADDRESS, purpose="tell-us-once"
    )
    assert by_the_school.status_code == 403
    assert node.inbox.notices() == []


def test_a_plain_post_without_the_gate_is_refused(node: Node) -> None:
    response = node.client.post(f"/notices/address-change/{CHILD}", json=ADDRESS)
    assert response.status_code == 403
    assert "only through the once-only exchange" in response.json()["error"]


def test_without_a_consent_the_school_gets_nothing(node: Node) -> None:
    refused = node.school_reads("cns-0000000000000000")
    assert (refused.status_code, refused.headers["x-road-error"]) == (403, "Service.AccessDenied")
    assert refused.json()["error"] == "No consent of the person has that reference."


def test_consent_requested_granted_used_then_withdrawn(node: Node) -> None:
    consent_id = node.request_consent()
    assert node.request_consent() == consent_id  # asking twice is asking once
    pending = node.school_reads(consent_id)
    assert pending.status_code == 403
    assert "consent is requested" in pending.json()["error"]

    granted = node.decide("grant", consent_id, valid_until="2025-07-31")
    assert granted.status_code == 200, granted.text
    assert granted.json()["consent"]["state"] == "granted"
    answer = node.school_reads(consent_id)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()["records"][0]) == {"national_id", "vaccinated"}
    use = [e for _o, e in node.gate.messages.entries() if e["kind"] == "use"][-1]
    assert (use["purpose"], use["legal_basis"]) == (SCHOOL, f"consent:{consent_id}")

    other = node.school_reads(consent_id, person=OTHER_CHILD)
    assert other.status_code == 403
    assert "another person" in other.json()["error"]

    node.clock.advance(dt.timedelta(minutes=5))
    assert node.decide("withdraw", consent_id).status_code == 200
    withdrawn = node.school_reads(consent_id)
    assert withdrawn.status_code == 403
    assert "consent is withdrawn" in withdrawn.json()["error"]
    listed = node.send(
        node.portal.prepare(
            "health-service/health/consent",
            CHILD,
            purpose="consent-management",
            user=PARENT,
            case="c",
        )
    ).json()["consents"]
    assert [(c["id"], c["state"]) for c in listed] == [(consent_id, "withdrawn")]
    assert [(h["state"], h["by"]) for h in listed[0]["history"]] == [
        ("requested", "nurse-12"),
        ("granted", PARENT),
        ("withdrawn", PARENT),
    ]


def test_a_consent_ends_after_its_last_day(node: Node) -> None:
    consent_id = node.request_consent()
    node.decide("grant", consent_id, valid_until="2025-03-02")
    assert node.school_reads(consent_id).status_code == 200
    node.clock.advance(dt.timedelta(days=2))
    expired = node.school_reads(consent_id)
    assert expired.status_code == 403
    assert "consent is expired" in expired.json()["error"]


def test_only_the_person_through_the_portal_decides_or_sees_consents(node: Node) -> None:
    consent_id = node.request_consent()
    by_school = node.post(
        node.school,
        "health-service/health/consent",
        {"action": "grant", "id": consent_id, "valid_until": "2025-04-01"},
        purpose="consent-management",
    )
    assert by_school.status_code == 403
    assert "Only the person" in by_school.json()["error"]
    assert node.school_reads(consent_id).status_code == 403


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"action": "grant", "valid_until": "2030-01-01"}, "at most 366 days"),
        ({"action": "grant", "valid_until": "2025-01-01"}, "a day from today on"),
        ({"action": "grant", "valid_until": "soon"}, "YYYY-MM-DD"),
        ({"action": "withdraw"}, "cannot be changed that way"),
        ({"action": "approve"}, "Say what to do with the consent"),
    ],
)
def test_a_wrong_decision_is_refused_and_the_consent_stays_as_it_was(
    node: Node, document: dict[str, str], message: str
) -> None:
    consent_id = node.request_consent()
    refused = node.decide(consent_id=consent_id, **document)
    assert refused.status_code in (400, 409), refused.text
    assert message in refused.json()["error"]
    assert node.inbox.store.consent(consent_id).state == "requested"  # type: ignore[union-attr]
