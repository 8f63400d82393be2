"""A registry file is served only after every check, and looked up by sorted index."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from civitas.core.errors import CivitasError
from civitas.registries.store import LoadedRegistry, PackedIndex, RegistryDataRefused, id_numbers
from tests.registries.fixtures import (
    BENEFITS,
    POPULATION,
    TAX,
    formatted_ids,
    national_ids,
    small_country,
    small_tables,
    write_country,
    write_manifest,
)

PEOPLE = 60


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_country(tmp_path_factory.mktemp("country"), PEOPLE, events=30)


def refusal(registry_dir: Path, definition: object = TAX) -> str:
    with pytest.raises(CivitasError) as caught:
        LoadedRegistry(definition, registry_dir)  # type: ignore[arg-type]
    error = caught.value
    message, hint = error.render()
    details = " ".join(f"{e.file} {e.message}" for e in getattr(error, "errors", ()))
    return f"{message} {details} {hint}"


def test_a_record_is_found_by_its_own_id(country: Path) -> None:
    tax = LoadedRegistry(TAX, country)
    expected = small_tables(PEOPLE)["tax"].slice(7, 1).to_pylist()[0]
    number = int(expected["tax_id"][3:])
    rows = tax.rows_of_record(number)
    assert tax.records(rows, TAX.column_names) == [expected]


def test_one_row_is_read_with_the_same_values_as_many(country: Path) -> None:
    for definition in (POPULATION, TAX, BENEFITS):  # dates, money, booleans, nulls
        data = LoadedRegistry(definition, country)
        rows = list(range(data.table.num_rows))
        together = data.records(rows, definition.column_names)
        one_by_one = [data.records([row], definition.column_names)[0] for row in rows]
        assert one_by_one == together
        assert [list(map(type, r.values())) for r in one_by_one] == [
            list(map(type, r.values())) for r in together
        ]


def test_an_unknown_record_id_finds_nothing(country: Path) -> None:
    assert list(LoadedRegistry(TAX, country).rows_of_record(123456789)) == []


def test_every_enrolment_of_a_person_is_found_by_national_id(country: Path) -> None:
    benefits = LoadedRegistry(BENEFITS, country)
    person = int(national_ids(PEOPLE)[7])  # person 7 has 7 % 4 = 3 enrolments
    records = benefits.records(benefits.rows_of_person(person), BENEFITS.column_names)
    assert len(records) == 3
    assert {r["national_id"] for r in records} == {person}
    assert len({r["enrolment_id"] for r in records}) == 3


def test_a_person_without_records_finds_nothing(country: Path) -> None:
    benefits = LoadedRegistry(BENEFITS, country)
    assert list(benefits.rows_of_person(int(national_ids(PEOPLE)[4]))) == []  # 4 % 4 = 0


def test_records_without_a_national_id_are_not_found_by_one(country: Path) -> None:
    tax = LoadedRegistry(TAX, country)
    assert list(tax.rows_of_person(0)) == []
    assert list(tax.rows_of_person(int(national_ids(PEOPLE)[0]))) == []  # its id was dropped


def test_the_population_record_id_is_the_national_id(country: Path) -> None:
    population = LoadedRegistry(POPULATION, country)
    person = int(national_ids(PEOPLE)[5])
    assert population.rows_of_record(person) == population.rows_of_person(person) == [5]


def related_by_scan(table: pa.Table, person: int) -> list[int]:
    """The rows naming ``person`` as mother or father, found the slow and obvious way."""
    named = pc.or_kleene(
        pc.equal(table.column("mother_national_id"), person),
        pc.equal(table.column("father_national_id"), person),
    )
    return np.flatnonzero(pc.fill_null(named, False).to_numpy(zero_copy_only=False)).tolist()


def test_a_parent_finds_the_rows_naming_them_as_mother_or_as_father(country: Path) -> None:
    population = LoadedRegistry(POPULATION, country)
    ids = national_ids(PEOPLE)
    assert population.rows_related_to(int(ids[0])) == [1, 2, 3, 4, 5]  # the mother of 1 to 5
    assert population.rows_related_to(int(ids[1])) == [2, 3, 5]  # the father of 2, 3 and 5
    assert population.rows_related_to(int(ids[3])) == [6, 7, 8, 10, 11]  # 9's father unknown
    table = small_tables(PEOPLE)["population"]
    for person in ids.tolist():
        assert population.rows_related_to(person) == related_by_scan(table, person)


def test_nulls_and_people_nobody_names_find_no_relatives(country: Path) -> None:
    population = LoadedRegistry(POPULATION, country)
    table = small_tables(PEOPLE)["population"]
    assert table.column("mother_national_id")[0].as_py() is None  # row 0 has no parents
    assert population.rows_related_to(int(national_ids(PEOPLE)[PEOPLE - 1])) == []
    assert population.rows_related_to(0) == []
    assert population.rows_related_to(123456789) == []
    assert LoadedRegistry(TAX, country).rows_related_to(int(national_ids(PEOPLE)[0])) == []


def test_a_row_naming_the_person_as_both_parents_is_found_once(tmp_path: Path) -> None:
    table = small_tables(PEOPLE)["population"]
    mothers = table.column("mother_national_id")
    same = table.set_column(
        table.schema.get_field_index("father_national_id"), "father_national_id", mothers
    )
    population = LoadedRegistry(POPULATION, write_country(tmp_path, {"population": same}))
    assert population.rows_related_to(int(national_ids(PEOPLE)[0])) == [1, 2, 3, 4, 5]


def test_the_relation_index_packs_key_and_row_and_keeps_file_order() -> None:
    keys = np.array([5, 3, 5, 999_999_999, 5], np.int64)
    index = PackedIndex(keys, np.arange(5, dtype=np.int64))
    assert index.packed.dtype == np.int64
    assert index.packed.shape == (5,)  # one int64 a named person, no second array
    assert index.find(5).tolist() == [0, 2, 4]
    assert index.find(999_999_999).tolist() == [3]
    assert index.find(4).tolist() == index.find(0).tolist() == index.find(-5).tolist() == []
    assert index.find(10**12).tolist() == []
    column = pa.chunked_array([pa.array([7, None, 7]), pa.array([None, 10**12, 7], pa.int64())])
    assert PackedIndex.of_column(column).find(7).tolist() == [0, 2, 5]


def test_ids_are_read_from_the_string_bytes_and_malformed_ones_are_pointed_at() -> None:
    numbers = national_ids(4)
    column = pa.chunked_array([formatted_ids(numbers[:2], "TX"), formatted_ids(numbers[2:], "TX")])
    found, bad = id_numbers(column, "TX")
    assert found.tolist() == numbers.tolist()
    assert bad is None
    good = f"TX-{numbers[0]:09d}"
    mistyped = f"TX-{(numbers[0] + 1) % 10 + numbers[0] // 10 * 10:09d}"  # another check digit
    lettered = good[:-2] + "O" + good[-1]  # a letter O where a digit belongs

    def first_bad(*ids: str) -> int | None:
        return id_numbers(pa.chunked_array([pa.array(ids)]), "TX")[1]

    assert first_bad(good, good) is None
    assert first_bad(good, lettered) == 1
    assert first_bad("SS" + good[2:]) == 0
    assert first_bad(good, good, mistyped) == 2


def test_change_events_are_read_across_periods_in_seq_order(country: Path) -> None:
    tax = LoadedRegistry(TAX, country)
    events, more = tax.changes_after(0, 100)
    assert [e.seq for e in events] == list(range(1, 31))
    assert not more
    page, more = tax.changes_after(10, 5)
    assert [e.seq for e in page] == [11, 12, 13, 14, 15]
    assert more


def test_a_registry_without_change_files_has_an_empty_feed(country: Path) -> None:
    assert LoadedRegistry(BENEFITS, country).changes_after(0, 10) == ([], False)


def test_extract_is_the_whole_registry_as_parquet(country: Path) -> None:
    tax = LoadedRegistry(TAX, country)
    data = b"".join(tax.extract(["tax_id", "annual_income"]))
    expected = small_tables(PEOPLE)["tax"].select(["tax_id", "annual_income"])
    assert pq.read_table(pa.BufferReader(data)).equals(expected)


# ---------------------------------------------------------------- integrity


def test_a_tampered_file_is_refused_naming_it(tmp_path: Path) -> None:
    small_country(tmp_path, PEOPLE)
    path = tmp_path / "registries" / "tax.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    problem = refusal(tmp_path)
    assert "registries/tax.parquet" in problem
    assert "checksum" in problem


def test_a_file_with_another_schema_is_refused(tmp_path: Path) -> None:
    tables = small_tables(PEOPLE)
    tables["tax"] = tables["benefits"]  # a foreign file under the tax name, listed honestly
    write_country(tmp_path, tables)
    problem = refusal(tmp_path)
    assert "tax.parquet" in problem
    assert "missing tax_id" in problem


def test_a_row_count_that_differs_from_the_manifest_is_refused(tmp_path: Path) -> None:
    small_country(tmp_path, PEOPLE)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["files"]["registries/tax.parquet"]["rows"] = PEOPLE + 1
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    problem = refusal(tmp_path)
    assert f"It has {PEOPLE} rows; the manifest says {PEOPLE + 1}" in problem


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    small_country(tmp_path, PEOPLE)
    (tmp_path / "registries" / "tax.parquet").unlink()
    assert "registries/tax.parquet The file is missing." in refusal(tmp_path)


def test_a_change_file_the_manifest_does_not_list_is_refused(tmp_path: Path) -> None:
    small_country(tmp_path, PEOPLE, events=9)
    stray = tmp_path / "changes" / "tax" / "00009.parquet"
    stray.write_bytes((tmp_path / "changes" / "tax" / "00001.parquet").read_bytes())
    problem = refusal(tmp_path)
    assert "changes/tax/00009.parquet" in problem
    assert "is not what the manifest lists" in problem


def test_a_listed_change_file_missing_from_disk_is_refused_not_skipped(tmp_path: Path) -> None:
    small_country(tmp_path, PEOPLE, events=9)
    (tmp_path / "changes" / "tax" / "00002.parquet").unlink()
    problem = refusal(tmp_path)
    assert "changes/tax/00002.parquet" in problem


def test_a_country_never_generated_is_refused_with_what_to_do(tmp_path: Path) -> None:
    problem = refusal(tmp_path)
    assert "has not been generated yet" in problem
    assert "Generate it first: civitas country generate" in problem


def test_duplicate_record_ids_are_refused(tmp_path: Path) -> None:
    tax = small_tables(PEOPLE)["tax"]
    doubled = pa.concat_tables([tax, tax.slice(3, 1)])
    write_country(tmp_path, {"tax": doubled})
    with pytest.raises(RegistryDataRefused, match="more than once"):
        LoadedRegistry(TAX, tmp_path)


def test_a_malformed_record_id_is_refused_with_its_row(tmp_path: Path) -> None:
    tax = small_tables(PEOPLE)["tax"]
    ids = tax.column("tax_id").to_pylist()
    ids[4] = "TX-12345"
    write_country(tmp_path, {"tax": tax.set_column(0, "tax_id", pa.array(ids))})
    with pytest.raises(RegistryDataRefused, match=r"not written like TX-123456789 \(row 5\)"):
        LoadedRegistry(TAX, tmp_path)


def test_change_events_out_of_seq_order_are_refused(tmp_path: Path) -> None:
    small_country(tmp_path, PEOPLE, events=9)
    first = tmp_path / "changes" / "tax" / "00001.parquet"
    second = tmp_path / "changes" / "tax" / "00002.parquet"
    first_bytes = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(first_bytes)
    write_manifest(tmp_path, {str(p.relative_to(tmp_path)): p for p in tmp_path.rglob("*.parquet")})
    with pytest.raises(RegistryDataRefused, match="not in increasing seq order"):
        LoadedRegistry(TAX, tmp_path)
