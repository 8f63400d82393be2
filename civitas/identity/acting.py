"""Acting for someone online: begin, check again at every request, record, stop.

A person who may act for someone (their child under 18, their company, a person who
gave them a mandate) switches their session to acting for them. The session keeps
whom (:class:`ActingFor`), but that is never trusted alone: each request asks again
(:meth:`ActingOnline.check`), from the mandates kept here or from the register that
says so, so a revoked or ended mandate, a child who turned 18 or a company sold stops
the acting at once. A register that does not answer stops nothing but allows nothing
either. What is done for them is recorded (channel ``web``) and shown to them on
their mandates page.
"""

from __future__ import annotations

import logging

from civitas.core.errors import CivitasError
from civitas.core.i18n import N_
from civitas.identity.domain import Session, Subject
from civitas.identity.mandates import Acting, ActingFor, ActingStatus, Ground, cannot_act
from civitas.identity.ports import SessionStore
from civitas.identity.representation import Mandates

log = logging.getLogger(__name__)

BEGAN = N_("Began acting for you online")
STOPPED = N_("Stopped acting for you online")
ONLINE = "web"
ONLINE_GROUNDS = {Ground.GRANTED.value, Ground.PARENT.value, Ground.COMPANY.value}  # no codes


class ActingOnline:
    def __init__(self, sessions: SessionStore, mandates: Mandates) -> None:
        self.sessions = sessions
        self.mandates = mandates

    async def begin(
        self, session: Session, national_id: str, ground: str, mandate_id: str = ""
    ) -> Acting:
        """Act for ``national_id`` from now on, if the signed-in person may; else NotAllowed
        and nothing is kept."""
        actor = session.person
        representation = None
        if ground in ONLINE_GROUNDS:
            claimed = ActingFor(national_id, "", Ground(ground), mandate_id)
            representation = await self.mandates.confirm(actor, claimed)
        if representation is None:
            log.warning("acting refused: %s for %s (%s)", actor.national_id, national_id, ground)
            raise cannot_act()
        acting_for = ActingFor(
            representation.national_id,
            representation.name,
            representation.ground,
            representation.mandate_id,
        )
        self.sessions.act_for(session.id, acting_for)
        self.mandates.record(actor, representation, BEGAN, channel=ONLINE)
        log.info("acting: %s for %s (%s)", actor.national_id, national_id, ground)
        return Acting(acting_for, ActingStatus.ACTIVE, representation)

    async def check(self, session: Session) -> Acting | None:
        """Whom the session acts for on this request, asked again; None for no one.

        When the person may no longer act for them, the session stops acting (ENDED);
        when the register did not answer, the session is kept as it is (UNCHECKED).
        """
        acting_for = session.acting
        if acting_for is None:
            return None
        who = (session.person.national_id, acting_for.national_id)
        try:
            representation = await self.mandates.confirm(session.person, acting_for)
        except CivitasError:
            log.warning("acting unchecked: %s for %s", *who)
            return Acting(acting_for, ActingStatus.UNCHECKED)
        if representation is None:
            self.sessions.act_for(session.id, None)
            log.warning("acting ended: %s for %s", *who)
            return Acting(acting_for, ActingStatus.ENDED)
        return Acting(acting_for, ActingStatus.ACTIVE, representation)

    def stop(self, session: Session, acting: Acting | None) -> None:
        """Back to the person's own affairs."""
        self.sessions.act_for(session.id, None)
        if acting is not None and acting.representation is not None:
            self.mandates.record(session.person, acting.representation, STOPPED, channel=ONLINE)

    def record(self, subject: Subject, action: str, service: str = "") -> None:
        """Write down what was done for the person acted for (nothing for one's own)."""
        if subject.representation is not None:
            self.mandates.record(
                subject.actor, subject.representation, action, service, channel=ONLINE
            )
