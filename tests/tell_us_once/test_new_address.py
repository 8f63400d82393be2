"""A new address is checked answer by answer, and told to the agencies the law names."""

from __future__ import annotations

import datetime as dt

import pytest

from civitas.config import DEMO_PACK
from civitas.core.errors import InvalidInput
from civitas.exchange import load_exchange
from civitas.tell_us_once import recipients
from civitas.tell_us_once.domain import new_change, parcels, read_new_address

TODAY = dt.date(2026, 11, 23)
GOOD = {
    "street": "  Rua   das Flores ",
    "house_number": "12A",
    "postcode": "1200-001",
    "municipality": "Aurélia",
    "moved_on": "2026-11-01",
}


def test_a_good_address_is_read_with_its_spaces_tidied() -> None:
    address = read_new_address(GOOD, TODAY)
    assert (address.street, address.house_number, address.moved_on) == (
        "Rua das Flores",
        "12A",
        dt.date(2026, 11, 1),
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"street": " "}, "street", "Enter the street."),
        ({"street": "x" * 101}, "street", "Shorten it to at most 100 characters."),
        ({"house_number": "twelve"}, "house_number", "Enter the house number, like 12 or 12A."),
        ({"postcode": "1200001"}, "postcode", "Enter the postcode like 1200-001."),
        ({"municipality": ""}, "municipality", "Enter the municipality."),
        ({"moved_on": "01/11/2026"}, "moved_on", "Enter the day you moved like 2026-03-31."),
        ({"moved_on": "2025-11-01"}, "moved_on", "changed at a Citizen Shop"),
        ({"moved_on": "2027-03-01"}, "moved_on", "at most three months before you move"),
    ],
)
def test_each_wrong_answer_is_named(changes: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_new_address({**GOOD, **changes}, TODAY)
    (problem,) = raised.value.errors
    assert problem.dotted_path == field
    assert message in problem.message


def test_every_answer_missing_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as raised:
        read_new_address({}, TODAY)
    assert [p.dotted_path for p in raised.value.errors] == [
        "street",
        "municipality",
        "house_number",
        "postcode",
        "moved_on",
    ]


def test_the_demo_law_names_six_agencies_and_each_gets_the_same_document() -> None:
    services = recipients(load_exchange(DEMO_PACK))
    assert services == (
        "civil-registry/addresses/address-change",
        "tax-authority/tax/address-change",
        "social-security/social-security/address-change",
        "social-security/benefits/address-change",
        "health-service/health/address-change",
        "education-ministry/education/address-change",
    )
    now = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    change = new_change("123456789", "123456789", read_new_address(GOOD, TODAY), now)
    sent = parcels(change, services)
    assert {p.service for p in sent} == set(services)
    assert {p.topic for p in sent} == {f"address-change:{change.id}"}
    assert sent[0].document == {
        "street": "Rua das Flores",
        "house_number": "12A",
        "postcode": "1200-001",
        "municipality": "Aurélia",
        "moved_on": "2026-11-01",
    }
    assert sent[0].purpose == "tell-us-once"
