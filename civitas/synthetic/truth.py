"""The hidden truth of a synthetic country: five Arrow tables, drawn from a seed.

``generate_truth`` composes the parts (households and people, places, names,
livelihoods, entitlements). Each part draws from its own random stream spawned
from the seed, so the same seed and generator version give identical tables and
a change to one part does not shift the others. Registries are copies derived
from this truth elsewhere; registry nodes never serve it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries import SMALLEST_BODY, with_check_digits
from civitas.synthetic.economy import (
    SCHOOL_NAMES,
    STATUS_NAMES,
    TENURE_NAMES,
    Livelihoods,
    generate_livelihoods,
)
from civitas.synthetic.entitlement import BENEFIT_NAMES, assess
from civitas.synthetic.memory import map_large_blocks, release_free_memory
from civitas.synthetic.names import FAMILY, FEMALE_FIRST, MALE_FIRST, zipf_weights
from civitas.synthetic.places import Places, place_households
from civitas.synthetic.population import (
    HOUSEHOLD_TYPE_NAMES,
    NO_ONE,
    Population,
    generate_population,
)
from civitas.synthetic.shape import Shape

GENERATOR_VERSION = "1"
MAX_PEOPLE = 50_000_000  # national ids have 90 million bodies; keep them sparse
BODIES = 90_000_000
EPOCH = date(1970, 1, 1)
_NONE = np.zeros(0, dtype=np.int32)  # stands in for a released array

PERSONS_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("national_id", pa.int64()),
        ("first_name", pa.string()),
        ("family_name", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.date32()),
        ("death_date", pa.date32()),
        ("household_id", pa.int64()),
        ("mother_id", pa.int64()),
        ("father_id", pa.int64()),
        ("partner_id", pa.int64()),
        ("address_id", pa.int64()),
        ("municipality", pa.string()),
        ("region", pa.string()),
        ("disability", pa.bool_()),
        ("employment_status", pa.string()),
        ("monthly_income_cents", pa.int64()),
        ("contribution_months", pa.int16()),
        ("job_end_date", pa.date32()),
        ("school_level", pa.string()),
        ("vaccinated", pa.bool_()),
    ]
)
HOUSEHOLDS_SCHEMA = pa.schema(
    [
        ("household_id", pa.int64()),
        ("type", pa.string()),
        ("size", pa.int16()),
        ("address_id", pa.int64()),
        ("municipality", pa.string()),
        ("region", pa.string()),
        ("tenure", pa.string()),
        ("monthly_rent_cents", pa.int64()),
    ]
)
ADDRESSES_SCHEMA = pa.schema(
    [
        ("address_id", pa.int64()),
        ("street", pa.string()),
        ("house_number", pa.int16()),
        ("postcode", pa.string()),
        ("municipality", pa.string()),
        ("region", pa.string()),
    ]
)
ENTITLEMENTS_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("benefit", pa.string()),
        ("entitled", pa.bool_()),
        ("enrolled", pa.bool_()),
    ]
)
IDENTITIES_SCHEMA = pa.schema(
    [("person_id", pa.int64()), ("registry", pa.string()), ("record_id", pa.string())]
)


@dataclass(frozen=True)
class Truth:
    """The country as it really is. ``identities`` is filled when registries are derived."""

    persons: pa.Table
    households: pa.Table
    addresses: pa.Table
    entitlements: pa.Table
    identities: pa.Table


def generate_truth(shape: Shape, people: int, seed: int) -> Truth:
    """Draw a country of ``people`` people from ``shape``; the same seed gives the same country."""
    if not 1 <= people <= MAX_PEOPLE:
        raise InvalidInput(
            N_("A synthetic country needs between 1 and {most} people; {people} were asked."),
            hint=N_("Ask for fewer people."),
            params={"most": MAX_PEOPLE, "people": people},
            errors=(FieldError(("people",), N_("Out of range.")),),
        )
    if seed < 0:
        raise InvalidInput(
            N_("The seed must be zero or a positive whole number."),
            errors=(FieldError(("seed",), N_("Negative seed.")),),
        )
    streams = np.random.SeedSequence(seed).spawn(7)
    rngs = [np.random.Generator(np.random.PCG64(s)) for s in streams[:5]]
    homes_rng, places_rng, names_rng, ids_rng, dates_rng = rngs
    as_of = (shape.start_date - EPOCH).days

    map_large_blocks()
    population = generate_population(shape, people, homes_rng)
    release_free_memory()
    # Columns whose making needs large scratch arrays come first, while little is held.
    national_ids = pa.array(_national_ids(people, ids_rng))
    births = pa.array(_birth_dates(shape.start_date, population.age, dates_rng), pa.date32())
    first, family = _names(population, names_rng)
    places = place_households(shape, len(population.size), places_rng)
    municipality = places.municipality[population.household]
    region = places.region_of[municipality]
    livelihoods = generate_livelihoods(shape, population, region, as_of, streams[5])
    release_free_memory()
    rights = assess(shape, population, livelihoods, region, as_of, streams[6])
    entitlements = pa.Table.from_arrays(
        [
            pa.array(rights.person + 1),
            _strings(rights.benefit, list(BENEFIT_NAMES)),
            pa.array(rights.entitled),
            pa.array(rights.enrolled),
        ],
        schema=ENTITLEMENTS_SCHEMA,
    )
    del rights
    release_free_memory()

    municipality_codes = [m.code for _, m in shape.municipalities]
    region_codes = [r.code for r in shape.regions]
    households = _household_table(population, places, livelihoods, municipality_codes, region_codes)
    addresses = _address_table(places, municipality_codes, region_codes)
    address_ids = places.address[population.household] + 1
    del places
    release_free_memory()

    # At 10 M people each source array is 10-80 MB: release each once it is a column.
    p, lv = population, livelihoods
    columns: list[pa.Array] = [pa.array(np.arange(1, people + 1, dtype=np.int64)), national_ids]
    columns += [_strings(first, [*FEMALE_FIRST, *MALE_FIRST]), _strings(family, list(FAMILY))]
    del first, family, national_ids
    columns += [_strings(np.where(p.female, 0, 1).astype(np.int8), ["F", "M"]), births]
    columns += [pa.nulls(people, pa.date32()), pa.array(p.household.astype(np.int64) + 1)]
    del births
    for link in ("mother", "father", "partner"):
        columns.append(_person_ids(getattr(p, link)))
        setattr(p, link, _NONE)
    columns += [pa.array(address_ids), _strings(municipality, municipality_codes)]
    columns.append(_strings(region, region_codes))
    del address_ids, municipality, region, p
    columns += [pa.array(lv.disability), _strings(lv.status, list(STATUS_NAMES))]
    columns += [pa.array(lv.income), pa.array(lv.contribution_months)]
    columns.append(pa.array(lv.job_end, pa.date32(), mask=~lv.job_end_known))
    columns += [_strings(lv.school, list(SCHOOL_NAMES)), pa.array(lv.vaccinated)]
    del lv, livelihoods, population
    persons = pa.Table.from_arrays(columns, schema=PERSONS_SCHEMA)
    return Truth(
        persons=persons,
        households=households,
        addresses=addresses,
        entitlements=entitlements,
        identities=IDENTITIES_SCHEMA.empty_table(),
    )


def _household_table(
    population: Population,
    places: Places,
    livelihoods: Livelihoods,
    municipality_codes: list[str],
    region_codes: list[str],
) -> pa.Table:
    count = len(population.size)
    return pa.Table.from_arrays(
        [
            pa.array(np.arange(1, count + 1, dtype=np.int64)),
            _strings(population.kind, list(HOUSEHOLD_TYPE_NAMES)),
            pa.array(population.size),
            pa.array(places.address + 1),
            _strings(places.municipality, municipality_codes),
            _strings(places.region_of[places.municipality], region_codes),
            _strings(livelihoods.tenure, list(TENURE_NAMES)),
            pa.array(livelihoods.rent),
        ],
        schema=HOUSEHOLDS_SCHEMA,
    )


def _address_table(
    places: Places, municipality_codes: list[str], region_codes: list[str]
) -> pa.Table:
    count = len(places.street)
    return pa.Table.from_arrays(
        [
            pa.array(np.arange(1, count + 1, dtype=np.int64)),
            _strings(places.street, places.streets),
            pa.array(places.house_number),
            _strings(places.postcode, places.postcodes),
            _strings(places.address_municipality, municipality_codes),
            _strings(places.region_of[places.address_municipality], region_codes),
        ],
        schema=ADDRESSES_SCHEMA,
    )


def _strings(codes: npt.NDArray[np.integer], names: list[str]) -> pa.Array:
    """Plain string column from small integer codes (negative = null), built in C++."""
    indices = pa.array(codes, mask=codes < 0) if codes.size and codes.min() < 0 else pa.array(codes)
    return pc.take(pa.array(names, pa.string()), indices)


def _person_ids(index: npt.NDArray[np.int32]) -> pa.Array:
    return pa.array(index.astype(np.int64) + 1, mask=index == NO_ONE)


def _names(
    population: Population, rng: np.random.Generator
) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int16]]:
    """First names by sex; family names passed from the father (else the mother)."""
    n = population.people
    draw = rng.random(n)
    female = np.searchsorted(np.cumsum(zipf_weights(len(FEMALE_FIRST), 0.9)), draw, side="right")
    male = np.searchsorted(np.cumsum(zipf_weights(len(MALE_FIRST), 0.9)), draw, side="right")
    first = np.where(
        population.female,
        np.minimum(female, len(FEMALE_FIRST) - 1),
        len(FEMALE_FIRST) + np.minimum(male, len(MALE_FIRST) - 1),
    ).astype(np.int16)
    cdf = np.cumsum(zipf_weights(len(FAMILY), 0.8))
    family = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(FAMILY) - 1)
    family = family.astype(np.int16)
    # Grandparents in the home carry the reference person's family name.
    elders = population.elders.astype(np.int64)
    old = np.repeat(population.start + population.size - elders, elders)
    old += np.arange(len(old)) - np.repeat(np.cumsum(elders) - elders, elders)
    family[old] = family[np.repeat(population.start, elders)]
    kids = np.flatnonzero(population.is_child)
    parent = np.where(
        population.father[kids] >= 0, population.father[kids], population.mother[kids]
    )
    family[kids] = family[parent]
    return first, family


def _national_ids(people: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Unique valid national ids in random order: one random body per equal stretch."""
    width = BODIES // people
    bodies = SMALLEST_BODY + np.arange(people, dtype=np.int64) * width
    bodies += rng.integers(0, width, people)
    ids: npt.NDArray[np.int64] = with_check_digits(rng.permutation(bodies))
    return ids


def _birth_dates(
    as_of: date, age: npt.NDArray[np.int16], rng: np.random.Generator
) -> npt.NDArray[np.int32]:
    """Days since 1970 of a birth date giving exactly ``age`` at ``as_of``."""
    day = min(as_of.day, 28) if as_of.month == 2 else as_of.day
    months = (as_of.year - age.astype(np.int64) - 1970) * 12 + (as_of.month - 1)
    birthday = months.astype("datetime64[M]").astype("datetime64[D]") + (day - 1)
    back = rng.integers(0, 365, len(age))
    days: npt.NDArray[np.int32] = (birthday - back).astype(np.int64).astype(np.int32)
    return days
