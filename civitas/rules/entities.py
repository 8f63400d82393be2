"""Entities: who the rules speak about. One person entity and groups of persons.

A group (a household, a benefit unit) has members, each in one role (adult, child).
Every person belongs to exactly one group of each kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from civitas.core.text import LocalText

PERSON = "person"


@dataclass(frozen=True)
class Role:
    """A member's role in a group, e.g. adult or child."""

    label: LocalText


@dataclass(frozen=True)
class Group:
    """A kind of group of persons, e.g. a household."""

    label: LocalText
    roles: Mapping[str, Role]  # every member has one of these roles


@dataclass(frozen=True)
class Entities:
    """The entities of a country pack's rules: ``rules/entities.yaml``.

    The person entity always exists; `groups` names each kind of group, such as
    `household`, and the roles its members can have.
    """

    person: Role  # the label of the person entity
    groups: Mapping[str, Group]

    def names(self) -> tuple[str, ...]:
        return (PERSON, *self.groups)
