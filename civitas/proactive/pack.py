"""Load the country pack's ``proactive.yaml``: which register changes are which life events.

All or nothing, like every pack file: each problem is reported with its file, line and
field path. A trigger must name a registry of ``registries.yaml`` and a life event of
the catalogue; ``when`` may only test the registry's columns; the services listed
must be the catalogue's.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from civitas.catalogue import Catalogue
from civitas.core.content import YamlDocument, read_pack_file, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.proactive.domain import Trigger
from civitas.registries import RegistryDefinition

PROACTIVE_FILE = "proactive.yaml"


class ProactiveInvalid(InvalidInput):
    """The pack's proactive.yaml cannot be used; ``errors`` lists every problem."""


@dataclass(frozen=True)
class ProactiveFile:
    """`proactive.yaml` as written."""

    client: str = "civil-registry/proactive"  # the exchange subsystem that asks the registers
    triggers: tuple[Trigger, ...] = ()
    once_per_event: tuple[str, ...] = ()  # services paid once for each event (a birth grant)
    # the others are claimed by the household's reference person (its highest earner)
    claimed_by_parent: tuple[str, ...] = ()  # household services the mother, else father, claims


def load_proactive(
    pack_dir: Path, registries: Sequence[RegistryDefinition], catalogue: Catalogue
) -> ProactiveFile:
    """The triggers of ``pack_dir`` (none when the pack has no proactive.yaml), checked
    against the pack's ``registries`` and ``catalogue``."""
    columns = {d.id: d.column_names for d in registries}
    path = pack_dir / PROACTIVE_FILE
    if not path.exists():
        return ProactiveFile()
    errors: list[FieldError] = []
    found: ProactiveFile | None = None
    document = read_pack_file(path, errors)
    if document is not None:
        found, errors = validate(document, document.data, ProactiveFile)
        for n, trigger in enumerate(found.triggers if found else ()):
            at = ("triggers", n)
            errors += _trigger_problems(document, at, trigger, columns, catalogue.events)
        if found is not None:
            errors += _service_problems(document, found, catalogue.services)
    if errors or found is None:
        raise ProactiveInvalid(
            N_("The proactive services of the country pack in {folder} have {count} problem(s)."),
            hint=N_("Fix each problem listed in proactive.yaml, then try again."),
            params={"folder": str(pack_dir), "count": len(errors)},
            errors=tuple(errors),
        )
    return found


def _service_problems(
    document: YamlDocument, found: ProactiveFile, services: Collection[str]
) -> list[FieldError]:
    """The services listed that the catalogue does not have."""
    return [
        document.error((field, n), f"'{service}' is no service of the catalogue.")
        for field in ("once_per_event", "claimed_by_parent")
        for n, service in enumerate(getattr(found, field))
        if service not in services
    ]


def _trigger_problems(
    document: YamlDocument,
    at: tuple[str, int],
    trigger: Trigger,
    registries: Mapping[str, Collection[str]],
    life_events: Collection[str],
) -> list[FieldError]:
    """What a trigger names that the registries or the catalogue do not have."""
    errors = []
    columns = registries.get(trigger.registry)
    if columns is None:
        known = ", ".join(sorted(registries))
        message = f"'{trigger.registry}' is no registry of registries.yaml ({known})."
        errors.append(document.error((*at, "registry"), message))
    else:
        for column in trigger.when:
            if column not in columns:
                message = f"The {trigger.registry} registry has no column '{column}'."
                errors.append(document.error((*at, "when", column), message))
    if trigger.life_event not in life_events:
        message = f"'{trigger.life_event}' is no life event of events.yaml."
        errors.append(document.error((*at, "life_event"), message))
    return errors
