"""The country's shape is read from the pack's synthetic.yaml, with file and line on errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civitas.synthetic.shape import BENEFITS, ShapeInvalid, load_shape

DEMO_PACK = Path(__file__).resolve().parents[2] / "civitas" / "packs" / "demo"


def _pack_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "synthetic.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _demo_text() -> str:
    return (DEMO_PACK / "synthetic.yaml").read_text(encoding="utf-8")


def _problems(pack: Path) -> list[tuple[str | None, int | None, str, str]]:
    with pytest.raises(ShapeInvalid) as caught:
        load_shape(pack)
    return [(e.file, e.line, e.dotted_path, e.message) for e in caught.value.errors]


def test_the_demo_pack_describes_a_country_with_porto_alto_among_its_municipalities() -> None:
    shape = load_shape(DEMO_PACK)
    codes = [m.code for _, m in shape.municipalities]
    assert "VLD-PA" in codes
    assert 12 <= len(codes) <= 20
    assert 4 <= len(shape.regions) <= 6
    assert set(shape.benefits.take_up) == set(BENEFITS)
    assert shape.start_date.isoformat() == "2026-01-01"


def test_a_missing_file_is_reported_by_name(tmp_path: Path) -> None:
    [(file, _, _, message)] = _problems(tmp_path)
    assert file == "synthetic.yaml"
    assert "missing" in message


def test_an_unknown_field_is_reported_with_its_line(tmp_path: Path) -> None:
    text = _demo_text().replace("  retirement_age: 66", "  retirement_age: 66\n  retirment: 67")
    line = text.splitlines().index("  retirment: 67") + 1
    problems = _problems(_pack_with(tmp_path, text))
    assert ("synthetic.yaml", line, "economy.retirment") == problems[0][:3]
    assert "Unknown field" in problems[0][3]


def test_shares_that_do_not_add_up_are_reported_at_their_list(tmp_path: Path) -> None:
    text = _demo_text().replace("    single: 0.30", "    single: 0.40")
    line = text.splitlines().index("  types: # share of households of each type") + 1
    problems = _problems(_pack_with(tmp_path, text))
    assert [(p[1], p[2]) for p in problems] == [(line, "households.types")]
    assert "1.100" in problems[0][3]


def test_a_municipality_code_used_twice_is_reported(tmp_path: Path) -> None:
    text = _demo_text().replace("code: VLD-RV", "code: VLD-PA")
    problems = _problems(_pack_with(tmp_path, text))
    assert [p[2] for p in problems] == ["regions[0].municipalities[3].code"]
    assert "used twice" in problems[0][3]


def test_a_gap_in_the_age_pyramid_and_a_wrong_type_are_reported_together(tmp_path: Path) -> None:
    text = _demo_text().replace("{min_age: 5, max_age: 9", "{min_age: 6, max_age: 9")
    text = text.replace("  median_pension: 620", "  median_pension: lots")
    problems = _problems(_pack_with(tmp_path, text))
    assert [p[2] for p in problems] == ["economy.median_pension"]  # types are checked first
    text = text.replace("  median_pension: lots", "  median_pension: 620")
    problems = _problems(_pack_with(tmp_path, text))
    assert [p[2] for p in problems] == ["age_pyramid[1].min_age"]


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    shutil.copy(DEMO_PACK / "synthetic.yaml", tmp_path / "synthetic.yaml")
    text = _demo_text().replace("start_date: 2026-01-01", "start_date: [2026")
    [(file, line, _, message)] = _problems(_pack_with(tmp_path, text))
    assert file == "synthetic.yaml"
    assert line is not None
    assert line > 1
    assert "not valid YAML" in message
