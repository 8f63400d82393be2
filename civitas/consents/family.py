"""``Family`` over the identity block's mandates: a parent's children under 18, as the
population register says, and each answer given for a child recorded as an act done
for them (shown on the child's mandates page, "What others did for you")."""

from __future__ import annotations

from collections.abc import Sequence

from civitas.consents.domain import About
from civitas.identity import Person
from civitas.identity.mandates import Ground, Representation
from civitas.identity.representation import Mandates


class ParentsAndChildren:
    def __init__(self, mandates: Mandates) -> None:
        self.mandates = mandates

    async def children(self, parent: Person) -> Sequence[About]:
        return [
            About(child.national_id, child.name, yours=False)
            for child in await self.mandates.children(parent)
        ]

    def record(self, parent: Person, child: About, action: str) -> None:
        acted_for = Representation(child.national_id, child.name, Ground.PARENT, None)
        self.mandates.record(parent, acted_for, action)
