"""Where households live: municipality, region and a street address.

Households are spread over municipalities by their configured shares (exact
counts, in random order). Every municipality has its own streets, more in larger
ones, each with one postcode; flats share a building's number. A few addresses
more than households are made: vacant homes, for stale registry addresses and
for people who move.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civitas.synthetic.names import street_pool
from civitas.synthetic.population import quota
from civitas.synthetic.shape import Shape

VACANT_SHARE = 0.08  # addresses with nobody living there, per household
HOUSEHOLDS_PER_STREET = 120
MIN_STREETS = 12
HIGHEST_NUMBER = 400  # house numbers are log-uniform in 1..this: low numbers are common


@dataclass
class Places:
    # per household
    municipality: npt.NDArray[np.int16]  # index into shape.municipalities
    address: npt.NDArray[np.int64]  # 0-based address index (address_id - 1)
    # per address
    address_municipality: npt.NDArray[np.int16]
    street: npt.NDArray[np.int32]  # index into streets
    postcode: npt.NDArray[np.int32]  # index into postcodes
    house_number: npt.NDArray[np.int16]
    streets: list[str]
    postcodes: list[str]
    # per municipality
    region_of: npt.NDArray[np.int8]  # index into shape.regions

    def region(self, municipality: npt.NDArray[np.int16]) -> npt.NDArray[np.int8]:
        return self.region_of[municipality]


def place_households(shape: Shape, households: int, rng: np.random.Generator) -> Places:
    places = shape.municipalities
    shares = np.array([region.share * m.share for region, m in places])
    region_of = np.array([shape.regions.index(region) for region, _ in places], dtype=np.int8)
    municipality = rng.permutation(
        np.repeat(np.arange(len(places), dtype=np.int16), quota(shares, households))
    )
    vacant = int(np.ceil(households * VACANT_SHARE))
    total = households + vacant
    address = rng.permutation(total)[:households].astype(np.int64)
    address_municipality = np.empty(total, dtype=np.int16)
    address_municipality[address] = municipality
    empty = np.ones(total, dtype=np.bool_)
    empty[address] = False
    address_municipality[empty] = rng.permutation(
        np.repeat(np.arange(len(places), dtype=np.int16), quota(shares, vacant))
    )

    # Streets: each municipality draws its own from the pool; larger ones have more.
    pool = street_pool()
    per_place = np.bincount(address_municipality, minlength=len(places))
    street = np.empty(total, dtype=np.int32)
    postcode = np.empty(total, dtype=np.int32)
    postcodes: list[str] = []
    for index, (_, place) in enumerate(places):
        mine = address_municipality == index
        count = int(np.clip(per_place[index] // HOUSEHOLDS_PER_STREET, MIN_STREETS, len(pool)))
        names = rng.permutation(len(pool))[:count].astype(np.int32)
        # Busy streets hold many addresses, quiet ones few (Zipf-like).
        weights = 1.0 / np.arange(1, count + 1) ** 0.6
        rank = rng.choice(count, size=int(mine.sum()), p=weights / weights.sum())
        street[mine] = names[rank]
        postcode[mine] = len(postcodes) + rank
        postcodes.extend(f"{place.postcode}-{1 + r % 999:03d}" for r in range(count))
    number = np.exp(rng.random(total) * np.log(HIGHEST_NUMBER)).astype(np.int16)
    return Places(
        municipality=municipality,
        address=address,
        address_municipality=address_municipality,
        street=street,
        postcode=postcode,
        house_number=number,
        streets=pool,
        postcodes=postcodes,
        region_of=region_of,
    )
