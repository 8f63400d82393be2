"""The plan of the proactive services: the pack's triggers with the catalogue's journeys."""

from __future__ import annotations

from pathlib import Path

from civitas.catalogue import Catalogue
from civitas.proactive.pack import load_proactive
from civitas.proactive.services import Plan
from civitas.registries import RegistryDefinition


def plan_of(
    pack_dir: Path, catalogue: Catalogue, registries: tuple[RegistryDefinition, ...]
) -> Plan:
    """What happens for each life event the pack's registers can show."""
    found = load_proactive(pack_dir, registries, catalogue)
    return Plan(
        triggers=found.triggers,
        services={e.id: tuple(s.service for s in e.steps) for e in catalogue.events.values()},
        delivery={s.id: s.delivery.value for s in catalogue.services.values()},
        names={s.id: dict(s.name) for s in catalogue.services.values()},
        once_per_event=frozenset(found.once_per_event),
        client=found.client,
    )
