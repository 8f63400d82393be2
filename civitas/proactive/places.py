"""The names of the country's regions and municipalities, by the codes the registers hold.

A letter goes to "8000 Praia Longa", not "8000 VLD-PL"; the scan's report names its
regions. The names come from the country pack's ``synthetic.yaml`` (its regions, each
with its municipalities); a pack without one has no names, and codes are shown as they
are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from civitas.notifications import PostalAddress


def region_names(pack_dir: Path) -> dict[str, str]:
    """Names of the regions by code."""
    return dict(_named(_regions(pack_dir)))


def municipality_names(pack_dir: Path) -> dict[str, str]:
    """Names of the municipalities by code."""
    return dict(_named(m for r in _regions(pack_dir) for m in _list(r.get("municipalities"))))


def named(code: str, names: Mapping[str, str]) -> str:
    """The name of the place ``code``, or the code when it has none."""
    return names.get(code, code)


def _regions(pack_dir: Path) -> list[dict[str, Any]]:
    path = pack_dir / "synthetic.yaml"
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return _list(data.get("regions") if isinstance(data, dict) else None)


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value or [] if isinstance(item, dict)]


def _named(places: Any) -> Iterator[tuple[str, str]]:
    for place in places:
        if "code" in place and "name" in place:
            yield str(place["code"]), str(place["name"])


def postal_address(
    name: str, address: Mapping[str, Any] | None, municipalities: Mapping[str, str] | None = None
) -> PostalAddress | None:
    """Where a letter to ``name`` goes, from their address record (None: no record);
    the municipality by its name in ``municipalities`` (none given: as recorded)."""
    if not address:
        return None
    code = str(address.get("municipality") or "")
    return PostalAddress(
        name=name,
        street=str(address.get("street") or ""),
        house_number=str(address.get("house_number") or ""),
        postcode=str(address.get("postcode") or ""),
        municipality=named(code, municipalities or {}),
    )
