"""Loading a country pack: all or nothing, every problem with file, line and field."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from civitas.catalogue import PackInvalid, load_catalogue
from civitas.catalogue.domain import AssuranceLevel, DeliveryMode
from tests.catalogue.minimal_pack import EVENTS, SERVICES, write_pack


def problems(folder: Path) -> list[str]:
    with pytest.raises(PackInvalid) as caught:
        load_catalogue(folder)
    return [f"{e.location()}: {e.message}" for e in caught.value.errors]


def test_a_valid_pack_loads_with_exact_money_and_enums(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_pack(tmp_path))
    service = catalogue.service("get-a-record")
    assert service.costs[0].amount == Decimal("7.50")
    assert service.delivery is DeliveryMode.ON_REQUEST
    assert service.assurance is AssuranceLevel.LOW
    assert catalogue.journey("needing-a-record").total_cost == Decimal("7.50")


def test_malformed_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    write_pack(tmp_path, legal="- id: records-act\n  title: {en: 'Records Act'\n  url: x\n")
    [problem] = problems(tmp_path)
    assert problem.startswith("legal.yaml:")
    assert "not valid YAML" in problem


def test_a_repeated_key_is_an_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    write_pack(
        tmp_path, legal="- id: records-act\n  id: other\n  title: {en: A, pt: B}\n  url: x\n"
    )
    [problem] = problems(tmp_path)
    assert problem == "legal.yaml:2: [0].id: The key 'id' appears twice here; keep only one."


def test_unknown_fields_and_wrong_types_point_at_their_line(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    services[0]["colour"] = "blue"
    services[0]["processing_days"] = "soon"
    write_pack(tmp_path, services=services)
    found = problems(tmp_path)
    assert any("services/registry.yaml:" in p and "[0].colour: Unknown field" in p for p in found)
    assert any("[0].processing_days: Expected a whole number." in p for p in found)


def test_a_wrong_enum_value_lists_the_allowed_values(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    services[0]["delivery"] = "by pigeon"
    write_pack(tmp_path, services=services)
    [problem] = problems(tmp_path)
    assert "[0].delivery" in problem
    assert "'automatic', 'proactive_offer' or 'on_request'" in problem


def test_a_journey_naming_a_missing_service_is_a_broken_reference(tmp_path: Path) -> None:
    events = copy.deepcopy(EVENTS)
    events[0]["steps"].append({"service": "get-a-recrod"})
    write_pack(tmp_path, events=events)
    [problem] = problems(tmp_path)
    assert problem == (
        "events.yaml:11: [0].steps[1].service: "
        "'get-a-recrod' names no service in the pack. Check the spelling, or add it."
    )


def test_missing_empty_and_foreign_translations_are_errors(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    services[0]["name"] = {"en": "Get a record"}
    services[0]["description"] = {"en": "We send you a copy.", "pt": "  ", "fr": "Copie."}
    write_pack(tmp_path, services=services)
    found = problems(tmp_path)
    assert any("[0].name: The 'pt' translation is missing." in p for p in found)
    assert any("[0].description.pt: The 'pt' text is empty" in p for p in found)
    assert any("[0].description.fr: 'fr' is not a language of this pack" in p for p in found)


def test_duplicate_and_malformed_ids_are_reported(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    twin = copy.deepcopy(services[0])
    services.append(twin)
    odd = copy.deepcopy(services[0])
    odd["id"] = "Get A Record"
    services.append(odd)
    write_pack(tmp_path, services=services)
    found = problems(tmp_path)
    assert any(
        "[1].id: The id 'get-a-record' is already used in services/registry.yaml line 1" in p
        for p in found
    )
    assert any("[2].id: The id 'Get A Record' must use only lowercase letters" in p for p in found)


def test_a_missing_file_and_a_missing_folder_are_reported(tmp_path: Path) -> None:
    write_pack(tmp_path)
    (tmp_path / "legal.yaml").unlink()
    found = problems(tmp_path)
    assert "legal.yaml: This file is missing from the pack." in found
    assert problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: The country pack folder does not exist."
    ]


def test_nothing_is_half_loaded_when_one_file_is_broken(tmp_path: Path) -> None:
    write_pack(tmp_path, organisations="- id: registry\n  kind: [\n")
    with pytest.raises(PackInvalid) as caught:
        load_catalogue(tmp_path)
    assert caught.value.status == 400
    assert len(caught.value.errors) >= 1


def test_two_channels_of_one_service_may_not_share_an_id(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    services[0]["channels"].append(copy.deepcopy(services[0]["channels"][0]))
    write_pack(tmp_path, services=services)
    [problem] = problems(tmp_path)
    assert "[0].channels[1].id: Another entry of channels in this service already has" in problem


def test_a_negative_cost_and_a_malformed_part_id_are_errors(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    services[0]["costs"][0]["amount"] = "-5.00"
    services[0]["channels"][0]["id"] = "Web Channel"
    write_pack(tmp_path, services=services)
    found = problems(tmp_path)
    assert any("[0].costs[0].amount: A cost cannot be negative." in p for p in found)
    assert any("[0].channels[0].id: The id 'Web Channel' must use only" in p for p in found)


def test_a_broken_reference_points_at_the_file_that_holds_it(tmp_path: Path) -> None:
    services = copy.deepcopy(SERVICES)
    services[0]["authority"] = "registy"
    events = copy.deepcopy(EVENTS)
    events[0]["id"] = "get-a-record"  # an event may share an id with a service
    write_pack(tmp_path, services=services, events=events)
    [problem] = problems(tmp_path)
    assert problem.startswith("services/registry.yaml:")
    assert "[0].authority: 'registy' names no organisation" in problem
