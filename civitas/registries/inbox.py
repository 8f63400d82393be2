"""A register's inbox: the notices and consents it receives through the once-only exchange.

The use cases behind a node's ``reported-error``, ``address-change`` and ``consent``
services, and the consent check behind every call whose legal basis is a consent. They
take the verified exchange call (who sent it, for whom, for which purpose) and never a
header: only the gate makes calls.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from civitas.core.clock import Clock
from civitas.core.errors import FieldError, InvalidInput, NotAllowed, NotFound
from civitas.core.i18n import N_
from civitas.exchange import CONSENT_PREFIX, BasisKind, ExchangeSetup, SubsystemId, VerifiedCall
from civitas.registries.consents import (
    Consent,
    ConsentAction,
    ConsentEvent,
    ConsentState,
    check_use,
    consent_json,
    decide,
)
from civitas.registries.domain import RegistryDefinition
from civitas.registries.identifiers import format_id, parse_id
from civitas.registries.notices import Notice, NoticeKind, notice_json, read_details
from civitas.registries.ports import InboxStore

CONSENT = "consent"  # the exchange service that keeps consents
PERSON = "person"  # the records of one person: /people/{national id}
STANDING = (ConsentState.REQUESTED, ConsentState.GRANTED, ConsentState.DENIED)
"""States in which a new request is not made: the agency is answered with the one there is."""


class Inbox:
    def __init__(
        self,
        store: InboxStore,
        definition: RegistryDefinition,
        setup: ExchangeSetup,
        me: SubsystemId,
        clock: Clock,
    ) -> None:
        self.store = store
        self.definition = definition
        self.setup = setup
        self.me = me
        self.clock = clock

    # -- notices ---------------------------------------------------------------------

    def receive(
        self, call: VerifiedCall, kind: NoticeKind, person: str, document: object
    ) -> dict[str, Any]:
        """Keep a notice sent in ``call``; the same message twice is kept once."""
        served_as(call, kind.value)
        notice = Notice(
            message_id=call.message_id,
            kind=kind,
            national_id=_national_id(person),
            details=read_details(kind, document, self.definition.column_names),
            sender=call.client.party,
            user=call.user,
            case=call.case,
            received_at=self.clock.now(),
        )
        self.store.add_notice(notice)
        return notice_json(notice)

    def notices(self, limit: int = 100) -> list[Notice]:
        return self.store.notices(limit)

    # -- consents --------------------------------------------------------------------

    def consents(self, call: VerifiedCall, person: str) -> dict[str, Any]:
        """Every consent about ``person`` kept here (the portal shows them to the person)."""
        served_as(call, CONSENT)
        self._only_portal(call)
        national_id = _national_id(person)
        today = self.clock.now().date()
        found = self.store.consents_of(national_id)
        return {"national_id": national_id, "consents": [consent_json(c, today) for c in found]}

    def change_consent(self, call: VerifiedCall, person: str, document: object) -> dict[str, Any]:
        """Request (an agency for its purpose), grant, deny or withdraw (the person, through
        the portal) a consent about ``person``."""
        served_as(call, CONSENT)
        national_id = _national_id(person)
        fields = document if isinstance(document, Mapping) else {}
        action = _action(fields.get("action"))
        now = self.clock.now()
        if action is ConsentAction.REQUEST:
            consent = self._request(call, national_id, str(fields.get("purpose", "")), now)
        else:
            self._only_portal(call)
            consent = self._decided(call, national_id, action, fields, now)
        self.store.save_consent(consent)
        shown = consent_json(consent, now.date())
        if call.columns is not None:  # the requesting agency sees only what its right gives
            shown = {k: v for k, v in shown.items() if k == "id" or k in call.columns}
        return {"consent": shown}

    def check_consent(self, call: VerifiedCall, person: str) -> Consent:
        """The granted consent that a call for a consent-based purpose names; NotAllowed
        when there is none, it is for someone or something else, withdrawn or expired."""
        reference = call.legal_basis.removeprefix(CONSENT_PREFIX)
        consent = self.store.consent(reference[:64])
        today = self.clock.now().date()
        return check_use(consent, person, call.client.party, call.purpose.id, today)

    def _request(
        self, call: VerifiedCall, national_id: str, purpose_id: str, now: dt.datetime
    ) -> Consent:
        purpose = self.setup.purposes.get(purpose_id)
        right = None
        if purpose is not None and purpose.legal_basis.kind is BasisKind.CONSENT:
            service = self.setup.address(f"{self.me.party}/{PERSON}", national_id)
            right = service and self.setup.right(call.client, service, purpose_id)
        if purpose is None or not right:
            raise NotAllowed(
                N_("{client} may not ask for consent to '{purpose}' here."),
                hint=N_(
                    "Ask for consent only for a purpose resting on consent that your access "
                    "rights name for this register."
                ),
                params={"client": call.client.party, "purpose": purpose_id[:60]},
            )
        latest = self.store.latest(national_id, call.client.party, purpose_id)
        if latest is not None and latest.state_on(now.date()) in STANDING:
            return latest  # asking twice is asking once; a "no" is respected
        columns = right.columns or self.definition.column_names
        return Consent(
            id=f"cns-{secrets.token_hex(8)}",
            national_id=national_id,
            purpose=purpose_id,
            client=call.client.party,
            items=tuple(sorted(columns)),
            state=ConsentState.REQUESTED,
            valid_until=None,
            history=(ConsentEvent(now, ConsentState.REQUESTED, call.user),),
        )

    def _decided(
        self,
        call: VerifiedCall,
        national_id: str,
        action: ConsentAction,
        fields: Mapping[str, object],
        now: dt.datetime,
    ) -> Consent:
        consent = self.store.consent(str(fields.get("id", ""))[:64])
        if consent is None or consent.national_id != national_id:
            raise NotFound(
                N_("No consent with that reference is kept about this person."),
                hint=N_("Reload the list of the person's consents."),
            )
        valid_until = _date(fields.get("valid_until")) if action is ConsentAction.GRANT else None
        return decide(consent, action, now, call.user, valid_until)

    def _only_portal(self, call: VerifiedCall) -> None:
        if self.setup.portal is None or call.client != self.setup.portal:
            raise NotAllowed(
                N_("Only the person, through the citizen portal, can see and decide consents."),
                hint=N_("Ask the person to answer your request in their account."),
            )


def served_as(call: VerifiedCall, service: str) -> None:
    """A right to one service is never a right to another served by the same node."""
    if call.address.service != service:
        raise NotAllowed(
            N_("The exchange service {service} does not give access to this operation."),
            hint=N_("Call the service that offers what you need."),
            params={"service": call.address.short},
        )


def _national_id(text: str) -> str:
    return format_id(parse_id(text, field="national_id"))


def _action(value: object) -> ConsentAction:
    try:
        return ConsentAction(str(value))
    except ValueError:
        raise InvalidInput(
            N_("Say what to do with the consent: {actions}."),
            hint=N_("Send the field action with one of those words."),
            params={"actions": ", ".join(a.value for a in ConsentAction)},
            errors=(FieldError(("body", "action"), N_("Unknown action.")),),
        ) from None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            N_("Write the last day of the consent as YYYY-MM-DD."),
            hint=N_("For example 2027-06-30."),
            errors=(FieldError(("body", "valid_until"), N_("Not a date.")),),
        ) from None
