"""Who can sign in: people of the synthetic population, and a few staff test identities.

The subject (``sub``) of a person is their national number written as text
(``123456789``), the way the registries write it, so the relying party can look the
person up in any registry without a mapping table.

Staff test identities (desk agent, case worker, service owner, administrator) are not
in the population: they carry fixed national numbers at the very top of the number
range. In the unlikely event that the population holds one of those numbers, that
person cannot sign in here; the staff identity wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from civitas.core.i18n import N_
from civitas.identity.provider.population import Person, Population
from civitas.registries.identifiers import format_id


@dataclass(frozen=True)
class Identity:
    """A test identity, with the claims a national identity provider would release."""

    national_id: int
    given_name: str
    family_name: str
    birth_date: dt.date
    staff_role: str = ""  # the role's label (translatable) for staff test identities

    @classmethod
    def of(cls, person: Person) -> Identity:
        """The identity of a person of the population register."""
        return cls(person.national_id, person.given_name, person.family_name, person.birth_date)

    @property
    def subject(self) -> str:
        return format_id(self.national_id)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, day: dt.date) -> int:
        birthday_to_come = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - birthday_to_come

    def claims(self) -> dict[str, Any]:
        """The person's claims (OpenID Connect Core 5.1, plus ``national_id``)."""
        return {
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birthdate": self.birth_date.isoformat(),
            "national_id": self.subject,
        }


def _staff(national_id: int, role: str, born: dt.date) -> Identity:
    # The claims are data, like a registry's names: written once, in English.
    return Identity(national_id, role, "(test)", born, staff_role=role)


STAFF: tuple[Identity, ...] = (
    _staff(999_999_010, N_("Desk agent"), dt.date(1988, 3, 14)),
    _staff(999_999_028, N_("Case worker"), dt.date(1979, 11, 2)),
    _staff(999_999_036, N_("Service owner"), dt.date(1983, 6, 21)),
    _staff(999_999_044, N_("Administrator"), dt.date(1975, 1, 30)),
)


@dataclass(frozen=True)
class Featured:
    """A person shown on the chooser page, with why they are interesting to test with."""

    identity: Identity
    why: str  # a translatable template; ``{name}`` placeholders are filled from params
    params: Mapping[str, str] = field(default_factory=dict)


class IdentityBook:
    """Every identity that can sign in, and the short list the chooser page offers."""

    def __init__(
        self,
        population: Population,
        featured: tuple[Featured, ...] = (),
        staff: tuple[Identity, ...] = STAFF,
    ) -> None:
        self.population = population
        self.featured = featured
        self.staff = staff
        # The identities on the page, by the value of their radio button (the subject).
        listed = [f.identity for f in featured] + list(staff)
        self.offered: Mapping[str, Identity] = {identity.subject: identity for identity in listed}
        self._staff_by_id = {identity.national_id: identity for identity in staff}

    @property
    def as_of(self) -> dt.date:
        return self.population.as_of

    def find(self, national_id: int) -> tuple[Identity, bool] | None:
        """The identity with this number and whether they are alive; None when unknown."""
        staff = self._staff_by_id.get(national_id)
        if staff is not None:
            return staff, True
        person = self.population.find(national_id)
        if person is None:
            return None
        return Identity.of(person), person.alive
