"""Put a party of the exchange together from the country pack and the data dir.

``open_provider`` and ``open_consumer`` read everything once (the pack's
exchange.yaml, the party's key, the trust list) and open its message log, so the
composition roots (a registry node, the portal) need one call each. Both check
that the party is declared in the pack and that the trust list holds its key,
so a party whose peers could not check its signatures refuses to start.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from civitas.core.clock import Clock, SystemClock
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.exchange.addresses import SubsystemId
from civitas.exchange.consumer import Consumer
from civitas.exchange.domain import ExchangeSetup
from civitas.exchange.keys import load_signer, load_trust_list, log_path, trust_list_path
from civitas.exchange.logfile import FileMessageLog
from civitas.exchange.pack import load_exchange
from civitas.exchange.provider import Provider
from civitas.exchange.replay import Window
from civitas.exchange.signing import Signer, TrustList, public_jwk


@dataclass(frozen=True)
class LogPolicy:
    """When a party's message log is sealed."""

    seal_every: int = 1000  # entries
    seal_seconds: float = 10.0
    background: bool = True  # a thread seals entries that waited seal_seconds


@dataclass(frozen=True)
class _Party:
    setup: ExchangeSetup
    me: SubsystemId
    signer: Signer
    trust: TrustList
    log: FileMessageLog


def _open(
    pack_dir: Path,
    data_dir: Path,
    member: str,
    subsystem: str,
    clock: Clock,
    data_items: Mapping[str, Collection[str]] | None,
    policy: LogPolicy,
    setup: ExchangeSetup | None = None,
) -> _Party:
    setup = setup or load_exchange(pack_dir, data_items=data_items)
    me = setup.subsystem(member, subsystem)
    if me is None:
        raise InvalidInput(
            N_("The exchange of the country pack declares no subsystem {subsystem} of {member}."),
            hint=N_("Add it under 'members' in exchange.yaml, then start again."),
            params={"member": member, "subsystem": subsystem},
        )
    signer = load_signer(data_dir, member)
    trust = load_trust_list(trust_list_path(data_dir))
    listed = trust.key_of(member)
    if listed is None or public_jwk(listed) != public_jwk(signer.key):
        raise InvalidInput(
            N_("The trust list does not hold the current key of {member}."),
            hint=N_("Write the trust list again with: civitas exchange keys"),
            params={"member": member},
        )
    log = FileMessageLog(
        log_path(data_dir, member, subsystem),
        me.party,
        signer,
        clock,
        seal_every=policy.seal_every,
        seal_seconds=policy.seal_seconds,
        background=policy.background,
    )
    return _Party(setup, me, signer, trust, log)


def open_provider(
    pack_dir: Path,
    data_dir: Path,
    member: str,
    subsystem: str,
    *,
    clock: Clock | None = None,
    data_items: Mapping[str, Collection[str]] | None = None,
    window: Window | None = None,
    policy: LogPolicy | None = None,
) -> Provider:
    """The provider side of ``member/subsystem``; close it to seal its log."""
    clock = clock or SystemClock()
    party = _open(pack_dir, data_dir, member, subsystem, clock, data_items, policy or LogPolicy())
    return Provider(party.setup, party.me, party.signer, party.trust, party.log, clock, window)


def open_consumer(
    pack_dir: Path,
    data_dir: Path,
    member: str,
    subsystem: str,
    *,
    clock: Clock | None = None,
    policy: LogPolicy | None = None,
    setup: ExchangeSetup | None = None,
) -> Consumer:
    """The consumer side of ``member/subsystem``; close it to seal its log.

    ``setup``: the pack's exchange when the caller has already read it."""
    clock = clock or SystemClock()
    party = _open(pack_dir, data_dir, member, subsystem, clock, None, policy or LogPolicy(), setup)
    return Consumer(party.setup, party.me, party.signer, party.trust, party.log, clock)
