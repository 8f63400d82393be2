"""Service addresses and party identifiers are read strictly, or refused with their field."""

from __future__ import annotations

import pytest

from civitas.exchange import BadCall, ServiceAddress, SubsystemId
from civitas.exchange.addresses import parse_client, parse_represented_party, parse_service_path

TAX = SubsystemId("VLD", "GOV", "tax-authority", "tax")


def test_a_service_address_is_read_into_provider_service_and_rest() -> None:
    address = parse_service_path("/r1/VLD/GOV/tax-authority/tax/person/123456789")
    assert address == ServiceAddress(TAX, "person", "123456789")
    assert address.path == "/r1/VLD/GOV/tax-authority/tax/person/123456789"
    assert address.service_id == "VLD/GOV/tax-authority/tax/person"
    assert address.short == "tax-authority/tax/person"


def test_the_rest_of_the_path_may_have_several_segments_or_none() -> None:
    assert parse_service_path("/r1/VLD/GOV/tax-authority/tax/person").rest == ""
    assert parse_service_path("/r1/VLD/GOV/tax-authority/tax/person/a/b").rest == "a/b"


@pytest.mark.parametrize(
    "path",
    [
        "/r1/VLD/GOV/tax-authority/tax",  # no service
        "/r2/VLD/GOV/tax-authority/tax/person",  # another protocol version
        "/r1/VLD/GOV//tax/person",  # empty member
        "/r1/VLD/GOV/tax authority/tax/person",
        "/r1/VLD/GOV/tax-authority/tax/person/../../schema",  # dot segments
        "/r1/VLD/GOV/tax-authority/tax/person/%2e%2e",  # no percent-encoding
        "/r1/VLD/GOV/tax-authority/tax/person/a//b",
    ],
)
def test_a_malformed_address_is_refused_with_its_field(path: str) -> None:
    with pytest.raises(BadCall) as refused:
        parse_service_path(path)
    assert refused.value.status == 400
    assert refused.value.errors[0].path == ("path",)
    assert "/r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE" in refused.value.render()[1]


def test_a_client_header_names_instance_class_member_and_subsystem() -> None:
    assert parse_client("VLD/GOV/tax-authority/tax") == TAX
    assert str(TAX) == "VLD/GOV/tax-authority/tax"
    assert TAX.party == "tax-authority/tax"


@pytest.mark.parametrize("text", ["VLD/GOV/tax-authority", "VLD/GOV/a/b/c", "VLD/GOV/a/ b", ""])
def test_a_malformed_client_header_is_refused(text: str) -> None:
    with pytest.raises(BadCall) as refused:
        parse_client(text)
    assert refused.value.errors[0].dotted_path == "headers.X-Road-Client"


def test_a_represented_party_is_class_and_code() -> None:
    assert parse_represented_party("GOV/municipality-porto-alto") == "GOV/municipality-porto-alto"
    with pytest.raises(BadCall):
        parse_represented_party("municipality-porto-alto")
