"""``country advance`` on a country folder: new period files, change feeds, manifest."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from civitas.config import DEMO_PACK
from civitas.core.errors import InvalidInput
from civitas.registries import (
    RegistryDefinition,
    load_registry_definitions,
    read_manifest,
    verify_country,
)
from civitas.synthetic.advance import EVENT_KINDS
from civitas.synthetic.next_period import advance_country
from civitas.synthetic.pipeline import generate_country
from civitas.synthetic.registers import derive_registries
from civitas.synthetic.shape import Shape, load_shape
from civitas.synthetic.truth import Truth
from civitas.synthetic.writer import TRUTH_FILES

SEED = 3


@cache
def shape() -> Shape:
    return load_shape(DEMO_PACK)


@cache
def definitions() -> tuple[RegistryDefinition, ...]:
    return load_registry_definitions(DEMO_PACK)


def make_country(folder: Path, people: int) -> None:
    """A country folder as ``country generate`` writes it (period 0)."""
    generate_country(DEMO_PACK, people, SEED, folder)


def advance(folder: Path, days: int = 30) -> None:
    advance_country(folder, days=days, shape=shape(), definitions=definitions())


def plain(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded: Parquet re-encodes dictionaries, the values stay."""
    fields = [
        pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def read_truth(folder: Path) -> Truth:
    return Truth(**{n: pq.read_table(folder / f"truth/{n}.parquet") for n in TRUTH_FILES})


def test_a_month_of_fifty_thousand_people_has_every_life_event_and_a_valid_folder(
    tmp_path: Path,
) -> None:
    make_country(tmp_path, 50_000)
    summary = advance_country(tmp_path, days=30, shape=shape(), definitions=definitions())
    assert set(summary.events) == set(EVENT_KINDS)
    assert all(summary.changes[d.id] > 0 for d in definitions() if d.id != "business")
    manifest = verify_country(tmp_path)
    assert (manifest.period, manifest.as_of.isoformat()) == (1, "2026-01-31")
    assert "changes/population/00001.parquet" in manifest.files
    assert not list(tmp_path.glob(".period-*"))  # the scratch folder is gone


def test_registries_after_a_period_are_exactly_those_derived_from_the_new_truth(
    tmp_path: Path,
) -> None:
    make_country(tmp_path, 3_000)
    advance(tmp_path)
    expected = derive_registries(read_truth(tmp_path), definitions(), SEED)
    for definition in definitions():
        written = pq.read_table(tmp_path / f"registries/{definition.id}.parquet")
        assert plain(written).equals(plain(expected[definition.id])), definition.id


def test_seq_increases_strictly_across_two_periods_and_records_keep_their_history(
    tmp_path: Path,
) -> None:
    make_country(tmp_path, 5_000)
    advance(tmp_path)
    advance(tmp_path)
    for definition in definitions():
        folder = tmp_path / "changes" / definition.id
        first, second = (pq.read_table(folder / f"{p:05d}.parquet") for p in (1, 2))
        seq = first.column("seq").to_pylist() + second.column("seq").to_pylist()
        assert seq == list(range(1, len(seq) + 1)), definition.id
        days = first.column("occurred_on").to_pylist() + second.column("occurred_on").to_pylist()
        assert days == sorted(days), definition.id
    population = tmp_path / "changes" / "population"
    first, second = (pq.read_table(population / f"{p:05d}.parquet") for p in (1, 2))
    born = first.filter(pc.equal(first.column("kind"), "birth"))
    assert json.loads(born.column("changes")[0].as_py())["death_date"] is None
    later = second.filter(pc.is_in(second.column("record_id"), born.column("record_id")))
    assert later.num_rows > 0 or born.num_rows > 0
    for record in later.to_pylist():
        created = born.filter(pc.equal(born.column("record_id"), record["record_id"]))
        assert created.column("seq")[0].as_py() < record["seq"]


def test_a_record_created_in_one_period_and_updated_in_the_next_appears_in_both(
    tmp_path: Path,
) -> None:
    make_country(tmp_path, 20_000)
    advance(tmp_path)
    advance(tmp_path, days=365)  # a year later, most babies have moved or changed something
    first = pq.read_table(tmp_path / "changes/addresses/00001.parquet")
    second = pq.read_table(tmp_path / "changes/addresses/00002.parquet")
    created = first.filter(
        pc.is_in(first.column("kind"), pc.cast(["birth", "record_created"], "string"))
    )
    again = second.filter(pc.is_in(second.column("record_id"), created.column("record_id")))
    assert again.num_rows > 0
    for record in again.to_pylist():
        before = created.filter(pc.equal(created.column("record_id"), record["record_id"]))
        assert before.column("seq")[0].as_py() < record["seq"]


def test_the_same_country_advanced_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    make_country(tmp_path / "a", 2_000)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    for name in ("a", "b"):
        advance(tmp_path / name)
    a, b = read_manifest(tmp_path / "a"), read_manifest(tmp_path / "b")
    assert [name for name in a.files if a.files[name] != b.files.get(name)] == []
    assert a.to_json() == b.to_json()


def test_a_number_of_days_out_of_range_is_refused_before_anything_is_read(
    tmp_path: Path,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        advance(tmp_path, days=0)
    assert caught.value.errors[0].path == ("days",)


def test_a_tampered_registry_file_stops_the_advance(tmp_path: Path) -> None:
    make_country(tmp_path, 1_000)
    target = tmp_path / "registries" / "tax.parquet"
    target.write_bytes(target.read_bytes()[:-10])
    with pytest.raises(InvalidInput):
        advance(tmp_path)
    assert read_manifest(tmp_path).period == 0
