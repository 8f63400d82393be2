"""The country folder: the same bytes for the same seed, a manifest, never half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civitas.config import DEMO_PACK
from civitas.core.errors import InvalidInput
from civitas.registries import FileEntry, load_registry_definitions, read_manifest, verify_country
from civitas.synthetic.pipeline import generate_country
from civitas.synthetic.shape import load_shape
from civitas.synthetic.truth import GENERATOR_VERSION
from civitas.synthetic.writer import write_country

PEOPLE = 2_000


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("one") / "country"
    generate_country(DEMO_PACK, PEOPLE, 5, folder)
    return folder


def test_the_same_seed_and_version_give_byte_identical_files(country: Path, tmp_path: Path) -> None:
    generate_country(DEMO_PACK, PEOPLE, 5, tmp_path / "again")
    assert files_of(tmp_path / "again") == files_of(country)


def test_another_seed_gives_another_country(country: Path, tmp_path: Path) -> None:
    generate_country(DEMO_PACK, PEOPLE, 6, tmp_path / "other")
    other = files_of(tmp_path / "other")
    assert other["registries/tax.parquet"] != files_of(country)["registries/tax.parquet"]


def test_the_folder_holds_the_contract_layout_and_its_manifest_matches(country: Path) -> None:
    registries = [d.id for d in load_registry_definitions(DEMO_PACK)]
    expected = {
        *(f"truth/{name}.parquet" for name in
          ("persons", "households", "addresses", "entitlements", "identities")),
        *(f"registries/{name}.parquet" for name in registries),
    }  # fmt: skip
    assert set(files_of(country)) == expected | {"manifest.json"}
    manifest = verify_country(country)
    assert set(manifest.files) == expected
    assert manifest.version == GENERATOR_VERSION
    assert (manifest.seed, manifest.people, manifest.period) == (5, PEOPLE, 0)
    assert manifest.as_of == load_shape(DEMO_PACK).start_date
    persons = manifest.files["truth/persons.parquet"]
    assert persons.rows == PEOPLE
    assert persons.schema[:2] == (("person_id", "int64"), ("national_id", "int64"))


def test_parquet_files_use_zstd_and_row_groups_of_a_million(country: Path) -> None:
    metadata = pq.read_metadata(country / "registries/population.parquet")
    assert metadata.row_group(0).column(0).compression == "ZSTD"
    assert metadata.num_rows == PEOPLE


def test_an_interrupted_write_leaves_the_previous_country_untouched(
    country: Path, tmp_path: Path
) -> None:
    target = tmp_path / "country"
    generate_country(DEMO_PACK, PEOPLE, 5, target)
    before = files_of(target)

    def interrupt(name: str, entry: FileEntry) -> None:
        if name.startswith("registries/"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_country(DEMO_PACK, PEOPLE, 9, target, on_file=interrupt)
    assert files_of(target) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["country"]


def test_a_new_country_replaces_the_old_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "country"
    tables = [("registries/a.parquet", pa.table({"x": [1, 2]}))]
    write_country(target, tables, version="1", seed=1, people=2, as_of=dt.date(2026, 1, 1))
    (target / "leftover.txt").write_text("old", encoding="utf-8")
    tables = [("registries/b.parquet", pa.table({"x": [3]}))]
    write_country(target, tables, version="1", seed=2, people=1, as_of=dt.date(2026, 1, 1))
    assert set(files_of(target)) == {"registries/b.parquet", "manifest.json"}
    assert read_manifest(target).seed == 2


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        write_country(
            blocker / "country", [], version="1", seed=1, people=1, as_of=dt.date(2026, 1, 1)
        )
    assert "cannot be written" in str(caught.value)
