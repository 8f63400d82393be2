"""The access guard of a node that answers only through the once-only exchange.

With the exchange on, the node's gate (``civitas.exchange.ExchangeGate``) admits
signed, allowed calls and serves them with the verified call in context. This
guard reads that call, never a header: a request that did not come through the
gate has no call and is refused, whatever it claims. A verified call gets the
columns its access right grants; after data left, the guard records the data use
(whose data, which columns, for which purpose and case) in the provider's signed
message log, which is what the person later sees as "who used my data". Whose
data: the person asked about and, for a look-up by relation, every person the
records served are about (a parent's children see that the parent looked them up);
for a page of the change feed, the person of each event in it: one logged use per
page, naming them all, not one per event.
"""

from __future__ import annotations

from collections.abc import Iterable

from civitas.core.errors import NotAllowed
from civitas.core.i18n import N_
from civitas.exchange import BasisKind, Provider, VerifiedCall, current_call
from civitas.registries.consents import CONSENT_ITEMS
from civitas.registries.domain import RegistryDefinition
from civitas.registries.inbox import CONSENT, PERSON, Inbox, served_as
from civitas.registries.inbox_web import INBOX_ROUTES
from civitas.registries.notices import NOTICE_ITEMS
from civitas.registries.ports import AccessRequest, Grant, Operation, Served

RELATED = "related"  # the records naming one person in another role: /related/{national id}
CHANGES = "changes"  # a page of the change feed: /changes?after=<cursor>&limit=<n>
ROUTES = {PERSON: "/people", RELATED: "/related", CHANGES: "/changes", **INBOX_ROUTES}
"""Exchange services of a registry node and the node routes that serve them."""

SERVICES = {Operation.LOOKUP: PERSON, Operation.RELATED: RELATED, Operation.CHANGES: CHANGES}
"""The one service that reaches each operation, so a right to one is never a right to the other."""

_ABOUT_ONE_PERSON = frozenset({Operation.LOOKUP, Operation.RELATED})  # asked by national id


def exchange_services(definition: RegistryDefinition) -> tuple[str, ...]:
    """The exchange services a node of ``definition`` serves (besides ``data-use``)."""
    return (PERSON, RELATED, CHANGES) if definition.related_by else (PERSON, CHANGES)


def exchange_data_items(definitions: Iterable[RegistryDefinition]) -> dict[str, tuple[str, ...]]:
    """The data items of every registry's exchange services (for checking exchange.yaml)."""
    inbox_items = {CONSENT: CONSENT_ITEMS, **{k.value: v for k, v in NOTICE_ITEMS.items()}}
    items: dict[str, tuple[str, ...]] = {}
    for d in definitions:
        party = f"{d.organisation}/{d.id}"
        items.update({f"{party}/{s}": d.column_names for s in exchange_services(d)})
        items.update({f"{party}/{s}": fields for s, fields in inbox_items.items()})
    return items


class ExchangeGuard:
    """Allows verified exchange calls only, with their granted columns, and logs data use."""

    def __init__(
        self, provider: Provider, definition: RegistryDefinition, inbox: Inbox | None = None
    ) -> None:
        self.provider = provider
        self.definition = definition
        self.inbox = inbox  # keeps the consents that calls for consent-based purposes name

    def before(self, request: AccessRequest) -> Grant:
        call = current_call()
        if call is None:
            me = self.provider.me
            raise NotAllowed(
                N_("The {registry} registry answers only through the once-only exchange."),
                hint=N_(
                    "Send a signed request to its exchange address, "
                    "/r1/{instance}/{member_class}/{member}/{subsystem}/person/<national id>."
                ),
                params={
                    "registry": self.definition.id,
                    "instance": me.instance,
                    "member_class": me.member_class,
                    "member": me.member,
                    "subsystem": me.subsystem,
                },
            )
        served_as(call, SERVICES.get(request.operation, ""))
        if call.purpose.legal_basis.kind is BasisKind.CONSENT:
            return self._consented(request, call)
        return Grant(call.columns)

    def _consented(self, request: AccessRequest, call: VerifiedCall) -> Grant:
        """Only one person's records, only with their consent, only the items it names."""
        if self.inbox is None or request.operation is not Operation.LOOKUP:
            raise NotAllowed(
                N_("This register shares data on consent only about one person at a time."),
                hint=N_("Ask for the person's own records, naming their consent."),
            )
        consent = self.inbox.check_consent(call, request.identifiers[0])
        items = frozenset(consent.items)
        return Grant(items if call.columns is None else call.columns & items)

    def after(self, request: AccessRequest, served: Served) -> None:
        call = current_call()
        if call is None or not served.rows:
            return  # nothing left the node
        # A parent's look-up by relation used the children's data too: each sees the use.
        # A feed page was asked for by cursor, not about anyone: its events' people are whose.
        asked = request.identifiers if request.operation in _ABOUT_ONE_PERSON else ()
        people = tuple(dict.fromkeys((*asked, *served.people)))
        self.provider.record_use(call, people, served.columns, served.rows)
