"""Staff roles and what each may do: least privilege, written down once.

A desk agent finds people and acts for them only under a mandate or a consent code
they give on the spot; a case worker decides cases; a service owner looks after a
service's content and figures; an administrator grants roles. No role reads people's
data just because it is powerful: the administrator grants, but sees no one's file.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from civitas.core.errors import InvalidInput, NotAllowed
from civitas.core.i18n import N_


class Role(enum.StrEnum):
    DESK_AGENT = "desk-agent"
    CASE_WORKER = "case-worker"
    SERVICE_OWNER = "service-owner"
    ADMINISTRATOR = "administrator"

    @classmethod
    def named(cls, name: str) -> Role:
        try:
            return cls(name.strip().lower())
        except ValueError:
            raise InvalidInput(
                N_("There is no staff role called '{name}'."),
                hint=N_("Use one of: {known}."),
                params={"name": name, "known": ", ".join(role.value for role in cls)},
            ) from None


class Permission(enum.StrEnum):
    FIND_PERSON = "find-person"  # look a person up at the desk, to serve them
    ACT_FOR_PERSON = "act-for-person"  # only with their mandate or consent code
    HANDLE_CASES = "handle-cases"  # read and decide the cases of their organisation
    EDIT_SERVICES = "edit-services"  # the content of their organisation's services
    VIEW_SERVICE_FIGURES = "view-service-figures"  # aggregates, never a person
    GRANT_ROLES = "grant-roles"


PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.DESK_AGENT: frozenset({Permission.FIND_PERSON, Permission.ACT_FOR_PERSON}),
    Role.CASE_WORKER: frozenset({Permission.HANDLE_CASES}),
    Role.SERVICE_OWNER: frozenset({Permission.EDIT_SERVICES, Permission.VIEW_SERVICE_FIGURES}),
    Role.ADMINISTRATOR: frozenset({Permission.GRANT_ROLES}),
}


@dataclass(frozen=True)
class StaffRole:
    """One role held by one member of staff, in one organisation."""

    national_id: str
    role: Role
    organisation: str
    granted_by: str  # who granted it: an administrator's national number, or "setup"
    granted_at: dt.datetime


@dataclass(frozen=True)
class StaffMember:
    """Everything one person may do as staff."""

    national_id: str
    roles: tuple[StaffRole, ...]

    @property
    def permissions(self) -> frozenset[Permission]:
        return frozenset().union(*(PERMISSIONS[held.role] for held in self.roles))

    def may(self, permission: Permission, organisation: str | None = None) -> bool:
        return any(
            permission in PERMISSIONS[held.role]
            and (organisation is None or held.organisation == organisation)
            for held in self.roles
        )

    def require(self, permission: Permission, organisation: str | None = None) -> None:
        if not self.may(permission, organisation):
            raise NotAllowed(
                N_("Your staff role does not allow this."),
                hint=N_("Ask an administrator of your organisation if you need it for your work."),
            )
