"""Registry copies derived from the truth: right columns, own ids, and noise that stays put."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from civitas.config import DEMO_PACK
from civitas.core.errors import InvalidInput
from civitas.registries import ColumnType, RegistryDefinition, load_registry_definitions
from civitas.registries.identifiers import parse_id
from civitas.synthetic.registers import derive_copies, derive_registries
from civitas.synthetic.shape import load_shape
from civitas.synthetic.truth import Truth, generate_truth

SEED = 11
ARROW = {
    ColumnType.INTEGER: pa.int64(),
    ColumnType.TEXT: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.BOOLEAN: pa.bool_(),
    ColumnType.MONEY: pa.int64(),
    ColumnType.CODE: pa.string(),
}


@pytest.fixture(scope="module")
def definitions() -> tuple[RegistryDefinition, ...]:
    return load_registry_definitions(DEMO_PACK)


@pytest.fixture(scope="module")
def truth() -> Truth:
    return generate_truth(load_shape(DEMO_PACK), 20_000, SEED)


@pytest.fixture(scope="module")
def registries(truth: Truth, definitions: tuple[RegistryDefinition, ...]) -> dict[str, pa.Table]:
    return derive_registries(truth, definitions, SEED)


def by_record(table: pa.Table, definition: RegistryDefinition) -> dict[str, dict[str, object]]:
    return {row[definition.record_id]: row for row in table.to_pylist()}


def test_the_demo_pack_declares_eight_registries(
    definitions: tuple[RegistryDefinition, ...],
) -> None:
    assert [d.id for d in definitions] == [
        "population", "addresses", "tax", "social-security",
        "benefits", "education", "health", "business",
    ]  # fmt: skip


def test_every_registry_has_exactly_the_columns_and_types_of_its_definition(
    registries: dict[str, pa.Table], definitions: tuple[RegistryDefinition, ...]
) -> None:
    assert set(registries) == {d.id for d in definitions}
    for definition in definitions:
        schema = registries[definition.id].schema
        assert tuple(schema.names) == definition.column_names, definition.id
        for column in definition.columns:
            kind = schema.field(column.name).type
            if pa.types.is_dictionary(kind):
                kind = kind.value_type
            assert kind == ARROW[column.type], (definition.id, column.name)
            values = registries[definition.id].column(column.name)
            if not column.nullable:
                assert values.null_count == 0, (definition.id, column.name)
            if column.codes:
                found = set(pc.unique(values.cast(pa.string())).to_pylist()) - {None}
                assert found <= set(column.codes), (definition.id, column.name)


def test_record_ids_are_unique_well_formed_and_in_ascending_order(
    registries: dict[str, pa.Table], definitions: tuple[RegistryDefinition, ...]
) -> None:
    for definition in definitions:
        ids = registries[definition.id].column(definition.record_id).to_pylist()
        assert len(set(ids)) == len(ids), definition.id
        assert ids == sorted(ids), definition.id
        for text in ids[:50]:
            parse_id(text, definition.id_prefix)  # raises on a bad check digit


def test_the_population_register_lists_everyone_and_its_ids_are_national_ids(
    registries: dict[str, pa.Table], truth: Truth
) -> None:
    population = registries["population"]
    assert population.num_rows == truth.persons.num_rows
    as_text = population.column("national_id").to_pylist()
    assert population.column("citizen_number").to_pylist() == [f"{n:09d}" for n in as_text]


def test_the_dead_stay_in_the_population_register_but_leave_the_others(
    truth: Truth, definitions: tuple[RegistryDefinition, ...]
) -> None:
    persons = truth.persons
    dead = np.zeros(persons.num_rows, dtype=bool)
    dead[:500] = True
    death = pa.array(np.where(dead, 19_000, 0).astype(np.int32), mask=~dead).cast(pa.date32())
    index = persons.schema.get_field_index("death_date")
    mourned = dataclasses.replace(truth, persons=persons.set_column(index, "death_date", death))
    copies = derive_copies(mourned, definitions, SEED)
    dead_ids = set(persons.column("person_id").to_pylist()[:500])
    population = copies.registries["population"]
    assert population.num_rows == persons.num_rows
    assert population.column("death_date").null_count == persons.num_rows - 500
    covered = copies.identities.filter(pc.equal(copies.identities.column("registry"), "health"))
    assert not dead_ids & set(covered.column("person_id").to_pylist())


def test_each_registry_covers_the_people_it_should(
    registries: dict[str, pa.Table], truth: Truth
) -> None:
    persons = truth.persons
    adults_with_income = pc.sum(
        pc.and_(
            pc.greater(persons.column("monthly_income_cents"), 0),
            pc.not_equal(persons.column("employment_status"), "child"),
        )
    ).as_py()
    assert registries["tax"].num_rows == adults_with_income
    assert registries["health"].num_rows == persons.num_rows
    at_school = persons.num_rows - persons.column("school_level").null_count
    assert registries["education"].num_rows == at_school
    enrolled = pc.sum(truth.entitlements.column("enrolled")).as_py()
    assert registries["benefits"].num_rows == enrolled
    owners = registries["business"].num_rows
    assert 0.01 * persons.num_rows < owners < 0.05 * persons.num_rows


def test_derivation_is_deterministic_and_the_seed_changes_the_ids(
    truth: Truth, definitions: tuple[RegistryDefinition, ...], registries: dict[str, pa.Table]
) -> None:
    again = derive_registries(truth, definitions, SEED)
    assert all(again[name].equals(table) for name, table in registries.items())
    other = derive_registries(truth, definitions, SEED + 1)
    assert (
        not other["tax"]
        .column("taxpayer_number")
        .equals(registries["tax"].column("taxpayer_number"))
    )


def test_noise_stays_with_each_person_when_other_people_change(
    truth: Truth, definitions: tuple[RegistryDefinition, ...], registries: dict[str, pa.Table]
) -> None:
    # Drop every tenth person: everyone else keeps exactly the same records.
    keep = pc.not_equal(pc.bit_wise_and(truth.persons.column("person_id"), 7), 0)
    fewer = dataclasses.replace(truth, persons=truth.persons.filter(keep))
    smaller = derive_registries(fewer, definitions, SEED)
    for definition in definitions:
        if definition.id == "benefits":
            continue  # enrolments of dropped people stay in the entitlements table
        before = by_record(registries[definition.id], definition)
        after = by_record(smaller[definition.id], definition)
        assert after, definition.id
        assert set(after) <= set(before), definition.id
        changed = [key for key, row in after.items() if before[key] != row]
        if definition.id in ("population", "education"):
            continue  # relatives' national ids vanish with the dropped people
        assert not changed, (definition.id, changed[:3])


def test_copies_hold_typos_stale_addresses_and_missing_national_ids_at_the_stated_rates(
    registries: dict[str, pa.Table], truth: Truth
) -> None:
    truth_names = {
        row["national_id"]: (row["first_name"], row["family_name"], row["address_id"])
        for row in truth.persons.select(
            ["national_id", "first_name", "family_name", "address_id"]
        ).to_pylist()
    }
    streets = {
        row["address_id"]: (row["street"], row["house_number"])
        for row in truth.addresses.to_pylist()
    }
    for name, stale_expected in (("tax", (0.02, 0.06)), ("health", (0.02, 0.06))):
        rows = registries[name].to_pylist()
        known = [r for r in rows if r["national_id"] is not None]
        missing = 1 - len(known) / len(rows)
        assert 0.01 <= missing <= 0.03, (name, missing)
        typos = sum(
            (r["first_name"], r["family_name"]) != truth_names[r["national_id"]][:2] for r in known
        )
        assert 0.008 <= typos / len(known) <= 0.025, (name, typos / len(known))
        stale = sum(
            (r["street"], r["house_number"]) != streets[truth_names[r["national_id"]][2]]
            for r in known
        )
        low, high = stale_expected
        assert low <= stale / len(known) <= high, (name, stale / len(known))
    social = registries["social-security"]
    assert social.column("national_id").null_count == 0


def test_identities_link_every_record_to_its_person(
    truth: Truth, definitions: tuple[RegistryDefinition, ...]
) -> None:
    copies = derive_copies(truth, definitions, SEED)
    identities = copies.identities
    assert identities.schema.names == ["person_id", "registry", "record_id"]
    assert identities.num_rows == sum(t.num_rows for t in copies.registries.values())
    national = dict(
        zip(
            truth.persons.column("person_id").to_pylist(),
            truth.persons.column("national_id").to_pylist(),
            strict=True,
        )
    )
    social = copies.registries["social-security"]
    numbers = dict(
        zip(
            social.column("insured_number").to_pylist(),
            social.column("national_id").to_pylist(),
            strict=True,
        )
    )
    links = identities.filter(pc.equal(identities.column("registry"), "social-security"))
    for person, record in zip(
        links.column("person_id").to_pylist(), links.column("record_id").to_pylist(), strict=True
    ):
        assert numbers[record] == national[person]


def test_a_registry_the_generator_does_not_know_is_refused_clearly(
    truth: Truth, definitions: tuple[RegistryDefinition, ...]
) -> None:
    strange = dataclasses.replace(definitions[2], id="fishing-licences")
    with pytest.raises(InvalidInput) as caught:
        derive_registries(truth, (strange,), SEED)
    assert "fishing-licences" in str(caught.value)


def test_a_column_the_generator_cannot_fill_is_refused_clearly(
    truth: Truth, definitions: tuple[RegistryDefinition, ...]
) -> None:
    tax = definitions[2]
    extra = dataclasses.replace(tax.columns[2], name="shoe_size")
    with pytest.raises(InvalidInput) as caught:
        derive_registries(truth, (dataclasses.replace(tax, columns=(*tax.columns, extra)),), SEED)
    assert "shoe_size" in str(caught.value)
