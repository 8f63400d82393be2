"""The exchange headers of a request: every missing, repeated or malformed one is named."""

from __future__ import annotations

from datetime import date

import pytest

from civitas.exchange import BadCall
from civitas.exchange.headers import parse_call_headers

SIGNATURE = "eyJhbGciOiJFZDI1NTE5In0.eyJ2IjoxfQ.c2lnbmF0dXJl"
GOOD = {
    "x-road-client": "VLD/GOV/civil-registry/portal",
    "x-road-id": "0f6e0c9e-1",
    "x-road-userid": "VLD123456789",
    "x-road-issue": "case 42",
    "x-civitas-purpose": "own-data",
    "x-civitas-legal-basis": "https://legislacao.gov.vd.example/act#article-7",
    "x-civitas-signature": SIGNATURE,
    "accept": "application/json",
}


def problems(headers: dict[str, str] | list[tuple[str, str]]) -> dict[str, str]:
    pairs = list(headers.items()) if isinstance(headers, dict) else headers
    with pytest.raises(BadCall) as refused:
        parse_call_headers(pairs)
    assert refused.value.status == 400
    return {e.dotted_path: e.message for e in refused.value.errors}


def test_complete_headers_are_read_and_the_bound_ones_kept_as_sent() -> None:
    headers = parse_call_headers(
        [
            *GOOD.items(),
            ("x-civitas-hide-until", "2025-06-01"),
            ("x-road-represented-party", "GOV/x"),
        ]
    )
    assert headers.client.member == "civil-registry"
    assert headers.hide_until == date(2025, 6, 1)
    assert headers.represented_party == "GOV/x"
    assert "accept" not in headers.bound
    assert headers.bound["x-road-issue"] == "case 42"
    assert "x-civitas-signature" not in headers.bound  # the signature cannot sign itself


def test_every_missing_header_is_listed() -> None:
    found = problems({"accept": "*/*"})
    assert set(found) == {
        "headers.X-Road-Client",
        "headers.X-Road-Id",
        "headers.X-Road-UserId",
        "headers.X-Road-Issue",
        "headers.X-Civitas-Purpose",
        "headers.X-Civitas-Legal-Basis",
        "headers.X-Civitas-Signature",
    }
    assert all("Missing" in message for message in found.values())


def test_a_header_sent_twice_is_refused() -> None:
    found = problems([*GOOD.items(), ("x-civitas-purpose", "benefit-eligibility")])
    assert found == {"headers.X-Civitas-Purpose": "Sent more than once; send it once."}


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("x-road-id", "has space", "X-Road-Id"),
        ("x-road-id", "x" * 129, "X-Road-Id"),
        ("x-civitas-purpose", "Own Data", "X-Civitas-Purpose"),
        ("x-road-userid", "Zoë", "X-Road-UserId"),
        ("x-civitas-signature", "not-a-jws", "X-Civitas-Signature"),
        ("x-civitas-hide-until", "1 June", "X-Civitas-Hide-Until"),
        ("x-civitas-hide-until", "2025-02-30", "X-Civitas-Hide-Until"),
        ("x-road-client", "VLD/GOV/civil-registry", "X-Road-Client"),
        ("x-road-represented-party", "GOV", "X-Road-Represented-Party"),
    ],
)
def test_a_malformed_header_is_refused_by_name(name: str, value: str, field: str) -> None:
    assert set(problems({**GOOD, name: value})) == {f"headers.{field}"}
