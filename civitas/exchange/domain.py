"""The exchange as a country pack declares it: members, purposes and access rights.

``exchange.yaml`` says which organisations (members) take part with which
subsystems and services, for which purposes data may be asked (each with its legal
basis), and which client subsystem may call which service for which purpose,
receiving which data items (columns). :class:`ExchangeSetup` is that file checked
and indexed for the hot path: deciding a call is a few dictionary look-ups.

A call that passed the gate is a :class:`VerifiedCall`: the facts a service and its
data-use log need, all proven by the client's signature and the access rights.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from civitas.core.text import LocalText
from civitas.exchange.addresses import ServiceAddress, SubsystemId

DATA_USE = "data-use"
"""The service every provider subsystem offers: who used one person's data, and why."""

ALL_COLUMNS = "all"


class BasisKind(enum.StrEnum):
    LAW = "law"  # a law allows or requires the use; the request names the law (its URL)
    CONSENT = "consent"  # the person agreed; the request names the consent (consent:<id>)


@dataclass(frozen=True)
class LegalBasis:
    """Why the law allows the use: shown to people next to each use of their data."""

    kind: BasisKind  # a law, or the person's consent
    text: LocalText  # e.g. "Family Benefits Act 2018, article 12"
    url: str  # where it can be read; for a law, what X-Civitas-Legal-Basis must say


@dataclass(frozen=True)
class Purpose:
    """Why data may be asked for."""

    id: str  # sent in X-Civitas-Purpose, e.g. own-data
    label: LocalText  # shown to people on "who used my data"
    legal_basis: LegalBasis  # the law (or consent) that allows it


@dataclass(frozen=True)
class Subsystem:
    """A system of a member that calls or serves: a registry node, the portal."""

    code: str  # e.g. tax; for a registry, the registry's id
    services: tuple[str, ...] = ()  # services it offers, e.g. [person]; data-use always


@dataclass(frozen=True)
class Member:
    """An organisation taking part in the exchange."""

    code: str  # the organisation's id in organisations.yaml
    subsystems: tuple[Subsystem, ...]  # at least one
    member_class: str = "GOV"  # X-Road member class: GOV, COM, NGO ...


@dataclass(frozen=True)
class RightRule:
    """One entry of ``rights`` in exchange.yaml, as written."""

    client: str  # the calling subsystem, written member/subsystem
    services: tuple[str, ...]  # services it may call, each member/subsystem/service
    purposes: tuple[str, ...]  # purposes it may call them for
    columns: tuple[str, ...] | Literal["all"] = ()  # data items it receives; data-use needs none
    may_hide: bool = False  # whether the use may be hidden from the person for a while


@dataclass(frozen=True)
class ExchangeFile:
    """``exchange.yaml`` as written."""

    instance: str  # the exchange's X-Road instance code, e.g. VLD
    members: tuple[Member, ...]  # the organisations taking part
    purposes: tuple[Purpose, ...]  # why data may be asked for
    rights: tuple[RightRule, ...] = ()  # who may call what, why, receiving which data items
    portal: str = ""  # the subsystem the citizen portal calls as, member/subsystem


@dataclass(frozen=True)
class Right:
    """What one client may receive from one service for one purpose."""

    columns: frozenset[str] | None  # None: every data item
    may_hide: bool = False


@dataclass(frozen=True)
class ExchangeSetup:
    """The checked exchange of one country pack, indexed for deciding calls."""

    instance: str
    members: Mapping[str, Member]
    purposes: Mapping[str, Purpose]
    rights: Mapping[tuple[str, str, str], Right]  # (client party, service short, purpose)
    portal: SubsystemId | None = None  # the subsystem the citizen portal calls as
    _offered: frozenset[str] = field(default=frozenset(), repr=False)  # service shorts

    @classmethod
    def from_file(cls, file: ExchangeFile) -> ExchangeSetup:
        """Index a file that passed the pack checks (later entries never override earlier)."""
        rights: dict[tuple[str, str, str], Right] = {}
        for rule in file.rights:
            columns = None if rule.columns == ALL_COLUMNS else frozenset(rule.columns)
            for service in rule.services:
                for purpose in rule.purposes:
                    rights.setdefault(
                        (rule.client, service, purpose), Right(columns, rule.may_hide)
                    )
        offered = frozenset(
            f"{m.code}/{s.code}/{service}"
            for m in file.members
            for s in m.subsystems
            for service in (*s.services, DATA_USE)
        )
        members = {m.code: m for m in file.members}
        portal = None
        if file.portal:
            member, _, subsystem = file.portal.partition("/")
            portal = SubsystemId(file.instance, members[member].member_class, member, subsystem)
        return cls(
            instance=file.instance,
            members=members,
            purposes={p.id: p for p in file.purposes},
            rights=rights,
            portal=portal,
            _offered=offered,
        )

    def subsystem(self, member: str, subsystem: str) -> SubsystemId | None:
        """The full identifier of ``member/subsystem``, if the pack declares it."""
        found = self.members.get(member)
        if found is None or all(s.code != subsystem for s in found.subsystems):
            return None
        return SubsystemId(self.instance, found.member_class, member, subsystem)

    def knows(self, party: SubsystemId) -> bool:
        return self.subsystem(party.member, party.subsystem) == party

    def offers(self, address: ServiceAddress) -> bool:
        return self.knows(address.provider) and address.short in self._offered

    def right(self, client: SubsystemId, address: ServiceAddress, purpose: str) -> Right | None:
        return self.rights.get((client.party, address.short, purpose))

    def purposes_allowed(self, client: SubsystemId, address: ServiceAddress) -> tuple[str, ...]:
        """The purposes ``client`` may call ``address`` for, in file order."""
        return tuple(p for (c, s, p) in self.rights if c == client.party and s == address.short)

    def address(self, service: str, rest: str = "") -> ServiceAddress | None:
        """``member/subsystem/service`` as a full address, if the pack declares it."""
        parts = service.split("/")
        if len(parts) != 3 or f"{parts[0]}/{parts[1]}/{parts[2]}" not in self._offered:
            return None
        provider = self.subsystem(parts[0], parts[1])
        return ServiceAddress(provider, parts[2], rest) if provider else None

    @property
    def member_codes(self) -> tuple[str, ...]:
        return tuple(self.members)


@dataclass(frozen=True)
class VerifiedCall:
    """A request that passed the gate: signed by its client, in time, new, and allowed."""

    message_id: str
    client: SubsystemId
    address: ServiceAddress
    purpose: Purpose
    legal_basis: str  # as sent in X-Civitas-Legal-Basis: the law's URL, or a consent reference
    case: str  # X-Road-Issue
    user: str  # X-Road-UserId
    represented_party: str | None
    hide_until: date | None
    columns: frozenset[str] | None  # what the access right grants; None: every data item
    issued_at: int  # seconds since the epoch, as signed
    request_hash: str  # SHA-256 of the request's signature, as in X-Road-Request-Hash
    request_id: str  # given by the gate, as in X-Road-Request-Id
    signature: str  # the client's signature (compact JWS): the proof kept in the log
