"""Each agency's copy of the truth: who it knows, under which number, and how well.

``derive_registries`` is a pure function of the truth tables, the pack's registry
definitions and the seed. Every choice that looks random (a mistyped name, an old
address, a missing national number, who owns a company) is a hash of
(seed, registry, person), so re-deriving after ``country advance`` changes only the
records whose truth changed. Rows are sorted by record number, so row order tells
nothing about the hidden person ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries import (
    COLUMN_TYPES,
    SMALLEST_BODY,
    IdentifierFormat,
    RegistryDefinition,
    with_check_digits,
)
from civitas.synthetic.noise import (
    BODY_COUNT,
    Bools,
    Ints,
    formatted_ids,
    key_of,
    permuted_bodies,
    uniform,
    with_typos,
)
from civitas.synthetic.truth import IDENTITIES_SCHEMA, Truth

Column: TypeAlias = pa.Array | pa.ChunkedArray

# How often each kind of noise touches a person, per registry.
TYPO_RATE = 0.015
STALE_ADDRESS_RATE = {"tax": 0.04, "health": 0.035}
MISSING_NATIONAL_ID_RATE = 0.02  # registries whose national id column is nullable
MISSING_POSTCODE_RATE = 0.01
MISSING_RENT_RATE = 0.03
MISSING_VACCINATION_RATE = 0.03
MISSING_GUARDIAN_RATE = 0.05
MISSING_EMPLOYEES_RATE = 0.05
BUSINESS_OWNER_RATE = 0.05  # of people in work

# Illustrative monthly amounts in cents; the rules engine computes real ones.
BENEFIT_AMOUNTS = {
    "child-benefit": 5_000,
    "unemployment-benefit": 65_000,
    "minimum-income": 32_000,
    "pension-supplement": 14_000,
    "housing-allowance": 18_000,
    "social-energy-tariff": 0,
    "free-school-meals": 0,
}


@dataclass(frozen=True)
class Copies:
    """Every registry's table, and which person each record is about (the identities)."""

    registries: dict[str, pa.Table]
    identities: pa.Table


def derive_registries(
    truth: Truth, definitions: Sequence[RegistryDefinition], seed: int
) -> dict[str, pa.Table]:
    """Each registry's table, by registry id, with exactly the columns of its definition."""
    return derive_copies(truth, definitions, seed).registries


def derive_copies(truth: Truth, definitions: Sequence[RegistryDefinition], seed: int) -> Copies:
    """The registries and the identities table (person_id, registry, record_id)."""
    registries: dict[str, pa.Table] = {}
    identities = []
    for registry, table, identity in iter_copies(truth, definitions, seed):
        registries[registry] = table
        identities.append(identity)
    return Copies(registries, identities_table(identities))


def identities_table(parts: Sequence[pa.Table]) -> pa.Table:
    """The identities of every registry as one table of the contract's schema."""
    columns = [
        pa.chunked_array(
            [part.column(name).combine_chunks().cast(field.type) for part in parts], field.type
        )
        for name, field in zip(IDENTITIES_SCHEMA.names, IDENTITIES_SCHEMA, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=IDENTITIES_SCHEMA)


def iter_copies(
    truth: Truth, definitions: Sequence[RegistryDefinition], seed: int
) -> Iterator[tuple[str, pa.Table, pa.Table]]:
    """(registry id, its table, its identities) one registry at a time.

    Join the identities of every registry with :func:`identities_table`.

    A caller that writes each table before asking for the next holds one registry in
    memory at a time, which is what keeps ten million people within a few gigabytes.
    """
    unknown = [d.id for d in definitions if d.id not in _BUILDERS]
    if unknown:
        raise InvalidInput(
            N_("The synthetic country cannot fill the registries {names}."),
            hint=N_("It knows these registries: {known}. Remove the others from registries.yaml."),
            params={"names": ", ".join(unknown), "known": ", ".join(_BUILDERS)},
        )
    source = _Source(truth)
    del truth  # the source's dictionary-encoded copy is all that is needed from here
    for definition in definitions:
        rows = _BUILDERS[definition.id](source, definition, seed)
        table, identity = _finish(rows, definition, seed)
        del rows
        yield definition.id, table, identity


@dataclass
class _Rows:
    """What a builder produces: one row per record, in record-number order."""

    person_ids: Ints  # the person each record is about (the owner, for a company)
    record_numbers: Ints  # the nine-digit record ids, ascending
    columns: dict[str, Column]


@dataclass
class _Selection:
    """The records of one registry, sorted by their record number."""

    order: Ints  # positions in the builder's unsorted selection
    rows: Ints  # rows of the persons table
    person_ids: Ints
    record_numbers: Ints


def _select(
    source: _Source, definition: RegistryDefinition, seed: int, rows: Ints, numbers: Ints
) -> _Selection:
    """Give each record its number and sort by it, before any column is gathered.

    Sorting first means every column is gathered once, already in its final order,
    and row order reveals nothing about the hidden person ids.
    """
    if definition.id_format is IdentifierFormat.NATIONAL:
        bodies = source.national_id[rows] // 10
    else:
        bodies = permuted_bodies(numbers, key_of(seed, definition.id, "ids"))
    order = _order_of_bodies(bodies - SMALLEST_BODY, source.slots)
    rows = rows[order]
    record_numbers = with_check_digits(bodies[order])
    return _Selection(order, rows, source.person_id[rows], record_numbers)


def _order_of_bodies(offsets: Ints, slots: _Slots) -> Ints:
    """The order that sorts distinct numbers in [0, BODY_COUNT).

    For many numbers, placing each in a slot of the whole range and reading the
    slots back is several times faster than a comparison sort.
    """
    if len(offsets) < BODY_COUNT // 64:
        return np.argsort(offsets, kind="stable")
    table, filled = slots.table(), slots.filled()
    table[offsets] = np.arange(len(offsets), dtype=np.int32)
    order = table[np.greater_equal(table, 0, out=filled)].astype(np.int64)
    table[offsets] = -1  # ready for the next registry
    return order


class _Slots:
    """One slot per possible body, allocated once and reused by every registry.

    The mask of filled slots is reused too: memory handed back and asked for again
    costs a page fault per page, which on some virtual machines is slow.
    """

    def __init__(self) -> None:
        self._table: npt.NDArray[np.int32] | None = None
        self._filled: npt.NDArray[np.bool_] | None = None

    def table(self) -> npt.NDArray[np.int32]:
        if self._table is None:
            self._table = np.full(BODY_COUNT, -1, dtype=np.int32)
        return self._table

    def filled(self) -> npt.NDArray[np.bool_]:
        if self._filled is None:
            self._filled = np.empty(BODY_COUNT, dtype=bool)
        return self._filled


class _Source:
    """The truth as dense NumPy lookups, built once for all registries."""

    def __init__(self, truth: Truth) -> None:
        persons = _encoded(truth.persons)
        self.persons = persons
        self.households = _encoded(truth.households)
        self.addresses = _encoded(truth.addresses)
        self.entitlements = truth.entitlements
        self.person_id = _ints(persons, "person_id")
        self.national_id = _ints(persons, "national_id")
        self.alive = np.asarray(persons.column("death_date").is_null().to_numpy(), dtype=bool)
        self.status = persons.column("employment_status")
        self.income = _ints(persons, "monthly_income_cents")
        self.contributions = _ints(persons, "contribution_months")
        self.row_of_person = _dense_index(self.person_id)
        self.row_of_household = _dense_index(_ints(self.households, "household_id"))
        self.row_of_address = _dense_index(_ints(self.addresses, "address_id"))
        self.slots = _Slots()
        self._address_groups: tuple[Ints, Ints, Ints, Ints] | None = None

    def address_groups(self) -> tuple[Ints, Ints, Ints, Ints]:
        """Addresses grouped by municipality: (group of each, order, group starts, rank)."""
        if self._address_groups is None:
            encoded = pc.dictionary_encode(self.addresses.column("municipality"))
            groups = encoded.combine_chunks()
            group = np.asarray(pc.fill_null(groups.indices, 0).to_numpy(), dtype=np.int64)
            order = np.argsort(group, kind="stable")
            counts = np.bincount(group, minlength=len(groups.dictionary))
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order), dtype=np.int64)
            self._address_groups = (group, order, starts, rank)
        return self._address_groups

    def is_status(self, *values: str) -> Bools:
        found = pc.is_in(self.status, value_set=pa.array(values, pa.string()))
        return np.asarray(pc.fill_null(found, False).to_numpy(), dtype=bool)

    def national_ids_of(self, person_ids: Ints) -> pa.Array:
        """National ids of people given by (nullable, 0 = none) person ids."""
        rows = _lookup(self.row_of_person, person_ids)
        known = rows >= 0
        values = self.national_id[np.where(known, rows, 0)]
        return pa.array(values, type=pa.int64(), mask=~known)

    def take(self, name: str, rows: Ints) -> pa.Array:
        return _take(self.persons, name, rows)


def _encoded(table: pa.Table) -> pa.Table:
    """Text columns as dictionaries: gathering small integers is far faster than strings."""
    for index, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            column = pc.dictionary_encode(table.column(index).combine_chunks())
            table = table.set_column(index, field.name, column)
    return table


def _ints(table: pa.Table, name: str) -> Ints:
    column = pc.fill_null(table.column(name), 0).cast(pa.int64())
    return np.asarray(column.to_numpy(), dtype=np.int64)


def _take(table: pa.Table, name: str, rows: Ints) -> pa.Array:
    column = table.column(name)
    chunk = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return chunk.take(pa.array(rows, type=pa.int64()))


def _lookup(index: Ints, ids: Ints) -> Ints:
    """Rows of ``ids`` in a dense index; -1 for ids it does not hold (0, unknown, too large)."""
    inside = (ids > 0) & (ids < len(index))
    return np.where(inside, index[np.where(inside, ids, 0)], -1)


def _dense_index(ids: Ints) -> Ints:
    """Row of each id, -1 where none: ids are small positive integers, so an array works."""
    index = np.full(int(ids.max(initial=0)) + 1, -1, dtype=np.int64)
    index[ids] = np.arange(len(ids), dtype=np.int64)
    return index


def _rate(person_ids: Ints, seed: int, registry: str, purpose: str, rate: float) -> Bools:
    return uniform(person_ids, key_of(seed, registry, purpose)) < rate


# ---------------------------------------------------------------- shared columns


def _person_columns(source: _Source, rows: Ints, *names: str) -> dict[str, Column]:
    return {name: source.take(name, rows) for name in names}


def _address_columns(source: _Source, rows: Ints, registry: str, seed: int) -> dict[str, Column]:
    """The address each person has in this registry: their own, or (sometimes) an old one.

    An old address is another address in the same municipality, as if the person
    moved within it and told only some agencies.
    """
    address_ids = _ints(source.persons, "address_id")[rows]
    address_rows = source.row_of_address[address_ids]
    rate = STALE_ADDRESS_RATE.get(registry, 0.0)
    if rate:
        person_ids = source.person_id[rows]
        stale = _rate(person_ids, seed, registry, "stale-address", rate)
        draw = uniform(person_ids, key_of(seed, registry, "old-address"))
        address_rows = np.where(stale, _other_in_group(source, address_rows, draw), address_rows)
    columns = {
        name: _take(source.addresses, name, address_rows)
        for name in ("street", "house_number", "postcode", "municipality", "region")
    }
    columns["house_number"] = columns["house_number"].cast(pa.int64())
    missing = _rate(source.person_id[rows], seed, registry, "no-postcode", MISSING_POSTCODE_RATE)
    columns["postcode"] = _blank(columns["postcode"], missing)
    return columns


OLD_ADDRESS_SPAN = 1024


def _other_in_group(source: _Source, rows: Ints, draw: npt.NDArray[np.float64]) -> Ints:
    """For each address row, another address row of the same municipality (itself if alone)."""
    group, order, starts, rank = source.address_groups()
    own = group[rows]
    size = np.diff(np.append(starts, len(order)))[own]
    own_offset = rank[rows] - starts[own]
    # Pick among the municipality's oldest addresses, skipping one's own position. Addresses
    # are only ever added (with higher ids), so the pick stays put as the country moves on
    # and an old address does not show up as a change every period.
    span = np.minimum(np.maximum(size - 1, 1), OLD_ADDRESS_SPAN)
    offset = np.floor(draw * span).astype(np.int64)
    offset = np.where(offset >= own_offset, offset + 1, offset)
    offset = np.where(size > 1, offset, own_offset)
    return order[starts[own] + offset]


def _blank(column: Column, missing: Bools) -> pa.Array:
    """``column`` with nulls where ``missing``."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return pc.if_else(pa.array(missing), pa.nulls(len(array), array.type), array)


def _select_people(
    source: _Source, definition: RegistryDefinition, seed: int, rows: Ints
) -> _Selection:
    """One record per person: the record number is keyed on the person id."""
    return _select(source, definition, seed, rows, source.person_id[rows] - 1)


# ---------------------------------------------------------------- registries


def _population(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    everyone = np.arange(len(source.person_id), dtype=np.int64)
    selection = _select(source, definition, seed, everyone, everyone)
    rows = selection.rows
    columns = _person_columns(
        source, rows, "first_name", "family_name", "sex", "birth_date", "death_date", "municipality"
    )
    for role in ("mother", "father", "partner"):
        related = _ints(source.persons, f"{role}_id")[rows]
        columns[f"{role}_national_id"] = source.national_ids_of(related)
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(selection.person_ids, selection.record_numbers, columns)


def _addresses(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    selection = _select_people(source, definition, seed, np.flatnonzero(source.alive))
    rows, person_ids = selection.rows, selection.person_ids
    columns = _address_columns(source, rows, definition.id, seed)
    households = source.row_of_household[_ints(source.persons, "household_id")[rows]]
    columns["tenure"] = _take(source.households, "tenure", households)
    columns["household_size"] = _take(source.households, "size", households).cast(pa.int64())
    rent = _take(source.households, "monthly_rent_cents", households)
    renter = np.asarray(pc.not_equal(columns["tenure"], "owner").to_numpy(zero_copy_only=False))
    undeclared = renter & _rate(person_ids, seed, definition.id, "no-rent", MISSING_RENT_RATE)
    columns["monthly_rent_cents"] = _blank(rent, undeclared)
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(person_ids, selection.record_numbers, columns)


def _tax(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    selection = _select_people(
        source,
        definition,
        seed,
        np.flatnonzero(source.alive & (source.income > 0) & ~source.is_status("child")),
    )
    rows, person_ids = selection.rows, selection.person_ids
    columns = _person_columns(source, rows, "first_name", "family_name", "birth_date")
    columns |= _address_columns(source, rows, definition.id, seed)
    retired = source.is_status("retired")[rows]
    employed = source.is_status("employed")[rows]
    source_code = np.where(retired, 1, np.where(employed, 0, 2))
    columns["income_source"] = _codes(source_code, ("employment", "pension", "other"))
    columns["annual_income_cents"] = pa.array(source.income[rows] * 12, type=pa.int64())
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(person_ids, selection.record_numbers, columns)


def _social_security(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    enrolled = _enrolled_people(source)
    worked = source.is_status("employed", "unemployed", "retired") | (source.contributions > 0)
    covered = source.alive & ~source.is_status("child") & (worked | enrolled)
    selection = _select_people(source, definition, seed, np.flatnonzero(covered))
    rows, person_ids = selection.rows, selection.person_ids
    columns = _person_columns(
        source,
        rows,
        "first_name",
        "family_name",
        "birth_date",
        "employment_status",
        "job_end_date",
        "disability",
    )
    columns["monthly_earnings_cents"] = pa.array(source.income[rows], type=pa.int64())
    columns["contribution_months"] = pa.array(source.contributions[rows], type=pa.int64())
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(person_ids, selection.record_numbers, columns)


def _enrolled_people(source: _Source) -> Bools:
    table = source.entitlements
    enrolled_ids = _ints(table.filter(pc.fill_null(table.column("enrolled"), False)), "person_id")
    found = np.zeros(len(source.person_id), dtype=bool)
    rows = _lookup(source.row_of_person, enrolled_ids)
    found[rows[rows >= 0]] = True
    return found


def _benefits(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    codes = definition.column("benefit").codes
    table = source.entitlements.filter(pc.fill_null(source.entitlements.column("enrolled"), False))
    benefit = pc.index_in(table.column("benefit"), value_set=pa.array(codes, pa.string()))
    unknown = pc.unique(table.column("benefit").filter(pc.is_null(benefit))).to_pylist()
    if unknown:
        raise InvalidInput(
            N_("The truth has benefits that the benefits registry does not list: {names}."),
            hint=N_("Add them to the codes of the column 'benefit' in registries.yaml."),
            params={"names": ", ".join(sorted(str(name) for name in unknown))},
        )
    benefit_index = np.asarray(benefit.to_numpy(), dtype=np.int64)
    person_ids = _ints(table, "person_id")
    rows = _lookup(source.row_of_person, person_ids)
    keep = (rows >= 0) & source.alive[np.maximum(rows, 0)]
    rows, person_ids, benefit_index = rows[keep], person_ids[keep], benefit_index[keep]
    numbers = (person_ids - 1) * len(codes) + benefit_index
    if numbers.size and numbers.max() >= BODY_COUNT:
        raise InvalidInput(
            N_("The benefits registry can number enrolments for at most {limit} people."),
            hint=N_("Generate a smaller country."),
            params={"limit": BODY_COUNT // len(codes)},
        )
    selection = _select(source, definition, seed, rows, numbers)
    rows, person_ids = selection.rows, selection.person_ids
    benefit_index = benefit_index[selection.order]
    columns = _person_columns(source, rows, "first_name", "family_name", "municipality")
    columns["benefit"] = _codes(benefit_index, codes)
    columns["monthly_amount_cents"] = pa.array(
        _benefit_amounts(source, rows, person_ids, benefit_index, codes, seed), type=pa.int64()
    )
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(person_ids, selection.record_numbers, columns)


def _benefit_amounts(
    source: _Source,
    rows: Ints,
    person_ids: Ints,
    benefit_index: Ints,
    codes: Sequence[str],
    seed: int,
) -> Ints:
    """A plausible amount per enrolment: a base per benefit, varied per person by +-25 %."""
    base = np.array([BENEFIT_AMOUNTS.get(code, 10_000) for code in codes], dtype=np.int64)
    spread = 0.75 + 0.5 * uniform(
        person_ids * 16 + benefit_index, key_of(seed, "benefits", "amount")
    )
    amounts = np.round(base[benefit_index] * spread / 100).astype(np.int64) * 100
    if "housing-allowance" in codes:
        # Housing allowance is a share of the rent, up to the base amount.
        households = source.row_of_household[_ints(source.persons, "household_id")[rows]]
        rent = _ints(source.households, "monthly_rent_cents")[households]
        housing = benefit_index == codes.index("housing-allowance")
        share = np.minimum(rent * 4 // 10, BENEFIT_AMOUNTS["housing-allowance"])
        amounts = np.where(housing, share // 100 * 100, amounts)
    return amounts


def _education(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    at_school = np.asarray(source.persons.column("school_level").is_valid().to_numpy(), dtype=bool)
    selection = _select_people(source, definition, seed, np.flatnonzero(source.alive & at_school))
    rows, person_ids = selection.rows, selection.person_ids
    columns = _person_columns(
        source, rows, "first_name", "family_name", "birth_date", "school_level", "municipality"
    )
    mothers = _ints(source.persons, "mother_id")[rows]
    fathers = _ints(source.persons, "father_id")[rows]
    guardians = np.where(mothers > 0, mothers, fathers)
    unrecorded = _rate(person_ids, seed, definition.id, "no-guardian", MISSING_GUARDIAN_RATE)
    columns["guardian_national_id"] = source.national_ids_of(np.where(unrecorded, 0, guardians))
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(person_ids, selection.record_numbers, columns)


def _health(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    selection = _select_people(source, definition, seed, np.flatnonzero(source.alive))
    rows, person_ids = selection.rows, selection.person_ids
    columns = _person_columns(
        source, rows, "first_name", "family_name", "sex", "birth_date", "disability", "vaccinated"
    )
    columns |= _address_columns(source, rows, definition.id, seed)
    unrecorded = _rate(person_ids, seed, definition.id, "no-vaccination", MISSING_VACCINATION_RATE)
    columns["vaccinated"] = _blank(columns["vaccinated"], unrecorded)
    columns["national_id"] = pa.array(source.national_id[rows], type=pa.int64())
    return _Rows(person_ids, selection.record_numbers, columns)


LEGAL_FORMS = ("sole-trader", "partnership", "private-company")
SECTORS = (
    "agriculture",
    "construction",
    "manufacturing",
    "retail",
    "hospitality",
    "transport",
    "services",
)


def _business(source: _Source, definition: RegistryDefinition, seed: int) -> _Rows:
    working = source.alive & source.is_status("employed")
    owners = working & _rate(source.person_id, seed, definition.id, "owner", BUSINESS_OWNER_RATE)
    selection = _select_people(source, definition, seed, np.flatnonzero(owners))
    rows, person_ids = selection.rows, selection.person_ids

    def draw(purpose: str) -> npt.NDArray[np.float64]:
        return uniform(person_ids, key_of(seed, definition.id, purpose))

    form = np.searchsorted(np.array([0.6, 0.75]), draw("legal-form"), side="right")
    sector = np.floor(draw("sector") * len(SECTORS)).astype(np.int64)
    role = np.where(form == 0, 0, np.where(form == 1, 1, np.where(draw("role") < 0.4, 2, 0)))
    # Employees: a few for sole traders, a long tail for companies.
    scale = np.where(form == 0, 1.5, 8.0)
    employees = np.floor(-np.log1p(-draw("employees")) * scale).astype(np.int64)
    undeclared = draw("no-employees") < MISSING_EMPLOYEES_RATE
    family = source.take("family_name", rows).cast(pa.string())
    first = source.take("first_name", rows).cast(pa.string())
    sector_names = _codes(sector, tuple(s.capitalize() for s in SECTORS)).cast(pa.string())
    suffix = _codes(form, ("", "& Partners", "")).cast(pa.string())
    name_sole = pc.binary_join_element_wise(first, family, " ")
    name_partnership = pc.binary_join_element_wise(family, suffix, " ")
    name_company = pc.binary_join_element_wise(family, sector_names, " ")
    name = pc.if_else(
        pa.array(form == 0),
        name_sole,
        pc.if_else(pa.array(form == 1), name_partnership, name_company),
    )
    columns: dict[str, Column] = {
        "company_name": name,
        "legal_form": _codes(form, LEGAL_FORMS),
        "sector": _codes(sector, SECTORS),
        "municipality": source.take("municipality", rows),
        "employees": pa.array(employees, type=pa.int64(), mask=undeclared),
        "owner_national_id": pa.array(source.national_id[rows], type=pa.int64()),
        "owner_role": _codes(role, ("owner", "partner", "director")),
    }
    return _Rows(person_ids, selection.record_numbers, columns)


def _codes(positions: Ints, words: Sequence[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(positions, type=pa.int32()), pa.array(list(words), pa.string())
    )


_BUILDERS: Mapping[str, Callable[[_Source, RegistryDefinition, int], _Rows]] = {
    "population": _population,
    "addresses": _addresses,
    "tax": _tax,
    "social-security": _social_security,
    "benefits": _benefits,
    "education": _education,
    "health": _health,
    "business": _business,
}


# ---------------------------------------------------------------- finishing


def _finish(rows: _Rows, definition: RegistryDefinition, seed: int) -> tuple[pa.Table, pa.Table]:
    """Record ids, the noise every registry shares, exact column types, and sorted rows."""
    registry = definition.id
    record_ids = formatted_ids(rows.record_numbers, definition.id_prefix)
    person_ids = subject_ids = rows.person_ids
    columns = dict(rows.columns)
    columns[definition.record_id] = record_ids
    typo = _rate(subject_ids, seed, registry, "typo", TYPO_RATE)
    in_family = uniform(subject_ids, key_of(seed, registry, "typo-in")) < 0.6
    for name, where in (("family_name", typo & in_family), ("first_name", typo & ~in_family)):
        # The civil registry is where names come from; every other copy may misspell them.
        if name in columns and definition.id_format is IdentifierFormat.PREFIXED:
            columns[name] = with_typos(columns[name], where, f"{seed}|{registry}|{name}")
    national = definition.national_id
    if national and national in columns and definition.column(national).nullable:
        missing = _rate(subject_ids, seed, registry, "no-national-id", MISSING_NATIONAL_ID_RATE)
        columns[national] = _blank(columns[national], missing)

    unfilled = [c.name for c in definition.columns if c.name not in columns]
    if unfilled:
        raise InvalidInput(
            N_("The synthetic country cannot fill the columns {names} of the registry {registry}."),
            hint=N_("Remove them from registries.yaml, or name columns it knows."),
            params={"names": ", ".join(unfilled), "registry": registry},
            errors=tuple(FieldError((registry, name), "Unknown column.") for name in unfilled),
        )
    arrays = [_as_type(columns[c.name], COLUMN_TYPES[c.type]) for c in definition.columns]
    schema = pa.schema(
        [
            pa.field(c.name, a.type, c.nullable)
            for c, a in zip(definition.columns, arrays, strict=True)
        ]
    )
    table = pa.Table.from_arrays(arrays, schema=schema)
    # The registry name stays dictionary-encoded (4 bytes a row) until identities_table.
    identity = pa.table(
        {
            "person_id": pa.array(person_ids, type=pa.int64()),
            "registry": _codes(np.zeros(len(person_ids), dtype=np.int64), [registry]),
            "record_id": record_ids,
        }
    )
    return table, identity


def _as_type(column: Column, kind: pa.DataType) -> pa.Array:
    """``column`` as ``kind``; text stays dictionary-encoded (cheaper to build and to write)."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(array.type):
        if pa.types.is_string(kind) and pa.types.is_string(array.type.value_type):
            return array
        array = array.cast(array.type.value_type)
    return array if array.type == kind else array.cast(kind)
