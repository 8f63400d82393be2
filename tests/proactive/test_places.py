"""Places by name: the letters' municipalities and the report's regions."""

from __future__ import annotations

from pathlib import Path

from civitas.config import DEMO_PACK
from civitas.proactive.places import municipality_names, named, postal_address, region_names


def test_the_demo_pack_names_every_region_and_municipality() -> None:
    regions = region_names(DEMO_PACK)
    municipalities = municipality_names(DEMO_PACK)
    assert regions["LIT"] == "Coastal Region"
    assert municipalities["VLD-PL"] == "Praia Longa"
    assert len(municipalities) == 16
    assert not set(regions) & set(municipalities)


def test_a_pack_without_names_leaves_the_codes(tmp_path: Path) -> None:
    assert region_names(tmp_path) == {} == municipality_names(tmp_path)
    assert named("VLD-PL", {}) == "VLD-PL"
    (tmp_path / "synthetic.yaml").write_text("regions: [{code: X}, 7]\n", encoding="utf-8")
    assert region_names(tmp_path) == {}


def test_a_letter_is_addressed_with_the_municipality_by_name() -> None:
    record = {
        "street": "Rua das Flores",
        "house_number": 12,
        "postcode": "8000",
        "municipality": "VLD-PL",
    }
    address = postal_address("Ana Silva", record, municipality_names(DEMO_PACK))
    assert address is not None
    assert address.lines() == ("Ana Silva", "Rua das Flores 12", "8000 Praia Longa")
    assert postal_address("Ana Silva", None, {}) is None
