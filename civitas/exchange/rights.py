"""Decide whether a client may call a service for a purpose, and what it then receives.

The access rights of the country pack are the only source: a client subsystem
gets a service's data for a purpose only if a right names all three, and then
only the data items (columns) that right lists. The legal basis it sends must be
the purpose's (the law's URL), or, for a purpose resting on consent, a reference
to the person's consent. Hiding a use from the person for a while is allowed only
where the right says so.
"""

from __future__ import annotations

from datetime import date

from civitas.core.errors import FieldError
from civitas.core.i18n import N_
from civitas.exchange.addresses import ServiceAddress, SubsystemId
from civitas.exchange.domain import BasisKind, ExchangeSetup, Purpose, Right
from civitas.exchange.errors import BadCall, CallRefused, Code

CONSENT_PREFIX = "consent:"


def decide(
    setup: ExchangeSetup,
    client: SubsystemId,
    address: ServiceAddress,
    purpose_id: str,
    legal_basis: str,
    hide_until: date | None = None,
) -> tuple[Purpose, Right]:
    """The purpose and the right that allow the call; raises when none does."""
    purpose = setup.purposes.get(purpose_id)
    if purpose is None:
        raise BadCall(
            N_("The exchange has no purpose '{purpose}'."),
            hint=N_("Send one of the purposes of the country pack: {known}."),
            params={"purpose": purpose_id, "known": ", ".join(setup.purposes)},
            errors=(FieldError(("headers", "X-Civitas-Purpose"), N_("Unknown purpose.")),),
            code=Code.UNKNOWN_PURPOSE,
        )
    right = setup.right(client, address, purpose_id)
    if right is None:
        allowed = setup.purposes_allowed(client, address)
        params = {
            "client": client.party,
            "service": address.short,
            "purpose": purpose_id,
            "allowed": ", ".join(allowed),
        }
        if allowed:
            raise CallRefused(
                N_("{client} may not call {service} for the purpose '{purpose}'."),
                hint=N_("Its access rights allow only these purposes: {allowed}."),
                params=params,
            )
        raise CallRefused(
            N_("{client} has no access right to {service}."),
            hint=N_("Ask the organisation that keeps the data to grant one in exchange.yaml."),
            params=params,
        )
    _check_basis(purpose, legal_basis)
    if hide_until is not None and not right.may_hide:
        raise CallRefused(
            N_("{client} may not hide its use of {service} for the purpose '{purpose}'."),
            hint=N_("Leave out X-Civitas-Hide-Until: the person will see this use."),
            params={"client": client.party, "service": address.short, "purpose": purpose_id},
        )
    return purpose, right


def _check_basis(purpose: Purpose, legal_basis: str) -> None:
    basis = purpose.legal_basis
    if basis.kind is BasisKind.LAW and legal_basis != basis.url:
        raise BadCall(
            N_("The legal basis sent is not the one of the purpose '{purpose}'."),
            hint=N_("Send X-Civitas-Legal-Basis: {url}"),
            params={"purpose": purpose.id, "url": basis.url},
            errors=(FieldError(("headers", "X-Civitas-Legal-Basis"), N_("Wrong legal basis.")),),
            code=Code.WRONG_LEGAL_BASIS,
        )
    if basis.kind is BasisKind.CONSENT and (
        not legal_basis.startswith(CONSENT_PREFIX) or not legal_basis[len(CONSENT_PREFIX) :]
    ):
        raise BadCall(
            N_("The purpose '{purpose}' rests on the person's consent, so name the consent."),
            hint=N_("Send X-Civitas-Legal-Basis: consent:<the id of the consent record>"),
            params={"purpose": purpose.id},
            errors=(
                FieldError(("headers", "X-Civitas-Legal-Basis"), N_("Consent reference missing.")),
            ),
            code=Code.WRONG_LEGAL_BASIS,
        )
