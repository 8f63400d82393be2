"""The pack's proactive.yaml: loaded whole, each problem told with its line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civitas.catalogue import load_catalogue
from civitas.config import DEMO_PACK
from civitas.proactive.pack import PROACTIVE_FILE, ProactiveFile, ProactiveInvalid, load_proactive
from civitas.registries import load_registry_definitions


def _load(pack: Path) -> ProactiveFile:
    return load_proactive(pack, load_registry_definitions(DEMO_PACK), load_catalogue(DEMO_PACK))


def test_the_demo_pack_names_the_services_a_parent_claims() -> None:
    found = _load(DEMO_PACK)
    assert found.claimed_by_parent == ("birth-grant", "child-benefit")
    assert found.once_per_event == ("birth-grant", "funeral-grant")


def test_a_service_the_catalogue_lacks_is_refused_with_its_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    path = pack / PROACTIVE_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "claimed_by_parent: [birth-grant, child-benefit]",
            "claimed_by_parent:\n  - child-benefit\n  - child-benfit\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProactiveInvalid) as refused:
        _load(pack)
    (error,) = refused.value.errors
    assert error.path == ("claimed_by_parent", 1)
    assert "'child-benfit' is no service of the catalogue" in error.message
    assert str(error.file).endswith(PROACTIVE_FILE)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert error.line is not None
    assert "child-benfit" in lines[error.line - 1]
