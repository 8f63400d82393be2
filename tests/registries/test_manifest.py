"""A country folder is served only when its files are exactly those its manifest lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civitas.registries import (
    MANIFEST_NAME,
    CountryDataInvalid,
    Manifest,
    describe_file,
    read_manifest,
    verify_country,
)

FILES = ("registries/tax.parquet", "truth/persons.parquet")


@pytest.fixture
def country(tmp_path: Path) -> Path:
    folder = tmp_path / "country"
    for number, name in enumerate(FILES):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.table({"record_id": [f"TX-{n:09d}" for n in range(100 + number)]})
        pq.write_table(table, path)
    manifest = Manifest(
        version="1",
        seed=3,
        people=100,
        period=0,
        as_of=dt.date(2026, 1, 1),
        files={name: describe_file(folder / name) for name in FILES},
    )
    (folder / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    return folder


def problems(folder: Path, only: tuple[str, ...] | None = None) -> list[tuple[str | None, str]]:
    with pytest.raises(CountryDataInvalid) as caught:
        verify_country(folder, only)
    return [(error.file, error.message) for error in caught.value.errors]


def test_an_intact_country_verifies_and_its_manifest_reads_back(country: Path) -> None:
    manifest = verify_country(country)
    assert manifest == read_manifest(country)
    assert manifest.as_of == dt.date(2026, 1, 1)
    assert manifest.files["truth/persons.parquet"].rows == 101
    assert manifest.files["registries/tax.parquet"].schema == (("record_id", "string"),)


def test_the_manifest_is_written_with_sorted_keys_and_no_timestamps(country: Path) -> None:
    text = (country / MANIFEST_NAME).read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert set(data) == {"generator", "version", "seed", "people", "period", "as_of", "files"}


def test_a_tampered_file_is_detected(country: Path) -> None:
    path = country / "registries/tax.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    found = problems(country)
    assert found
    assert all(file == "registries/tax.parquet" for file, _ in found)


def test_a_foreign_parquet_file_in_place_of_a_registry_is_detected(country: Path) -> None:
    pq.write_table(pa.table({"name": ["someone else"]}), country / "registries/tax.parquet")
    messages = dict(problems(country))
    assert "registries/tax.parquet" in messages
    found = problems(country)
    assert any("columns differ" in message for _, message in found)
    assert any("rows" in message for _, message in found)


def test_a_missing_file_is_detected(country: Path) -> None:
    (country / "truth/persons.parquet").unlink()
    assert problems(country) == [("truth/persons.parquet", "The file is missing.")]


def test_only_the_files_asked_for_are_checked(country: Path) -> None:
    (country / "truth/persons.parquet").unlink()
    assert verify_country(country, ["registries/tax.parquet"]).people == 100
    assert problems(country, ("registries/unknown.parquet",)) == [
        ("registries/unknown.parquet", "The manifest does not list this file.")
    ]


def test_a_file_that_is_not_parquet_is_reported_not_raised(country: Path) -> None:
    (country / "registries/tax.parquet").write_bytes(b"not parquet at all")
    [(file, message)] = problems(country)
    assert file == "registries/tax.parquet"
    assert "not readable Parquet" in message


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"generator": "civitas.synthetic"}), json.dumps([1, 2])],
)
def test_an_unreadable_manifest_is_reported_clearly(country: Path, content: str) -> None:
    (country / MANIFEST_NAME).write_text(content, encoding="utf-8")
    with pytest.raises(CountryDataInvalid) as caught:
        read_manifest(country)
    assert caught.value.errors[0].file == MANIFEST_NAME


def test_a_manifest_written_by_another_program_is_refused(country: Path) -> None:
    data = json.loads((country / MANIFEST_NAME).read_text(encoding="utf-8"))
    data["generator"] = "someone.else"
    (country / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CountryDataInvalid):
        read_manifest(country)


def test_a_folder_without_a_manifest_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CountryDataInvalid) as caught:
        verify_country(tmp_path)
    assert "no manifest.json" in caught.value.errors[0].message
