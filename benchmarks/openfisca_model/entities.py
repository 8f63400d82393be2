"""Who Valdoria's law speaks about: persons, and the households they live in."""

from __future__ import annotations

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="Person",
    is_person=True,
)

Household = build_entity(
    key="household",
    plural="households",
    label="Household",
    doc="Every person belongs to one household, as an adult or as a child.",
    roles=[
        {"key": "adult", "plural": "adults", "label": "Adult"},
        {"key": "child", "plural": "children", "label": "Child living with a parent"},
    ],
)

entities = [Person, Household]
