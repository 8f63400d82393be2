"""Levels of assurance: one internal scale, and each identity provider's own words for it.

Identity providers name the confidence of a sign-in in their own vocabulary: eIDAS says
low / substantial / high, gov.br says bronze / silver / gold, NIST 800-63 counts IAL and
AAL. Civitas maps each provider's ``acr`` values onto one scale, so that a service
declares its minimum once and any provider's sign-in can be compared with it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_


class Level(enum.IntEnum):
    """How sure we are that the person is who they say (higher is surer)."""

    NONE = 0  # not signed in
    LOW = 1
    SUBSTANTIAL = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def named(cls, name: str) -> Level:
        """The level called ``name`` (``low``, ``substantial``, ``high``)."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise InvalidInput(
                N_("There is no level of assurance called '{name}'."),
                hint=N_("Use low, substantial or high."),
                params={"name": name},
            ) from None


_LABELS = {
    Level.NONE: N_("not signed in"),
    Level.LOW: N_("low"),
    Level.SUBSTANTIAL: N_("substantial"),
    Level.HIGH: N_("high"),
}

# The vocabularies of well-known identity schemes, so a provider setting can name one.
VOCABULARIES: Mapping[str, Mapping[str, Level]] = {
    "eidas": {
        "http://eidas.europa.eu/LoA/low": Level.LOW,
        "http://eidas.europa.eu/LoA/substantial": Level.SUBSTANTIAL,
        "http://eidas.europa.eu/LoA/high": Level.HIGH,
    },
    "govbr": {
        "urn:govbr:bronze": Level.LOW,
        "urn:govbr:prata": Level.SUBSTANTIAL,
        "urn:govbr:ouro": Level.HIGH,
    },
    "nist": {
        "urn:nist:800-63:ial1": Level.LOW,
        "urn:nist:800-63:ial2": Level.SUBSTANTIAL,
        "urn:nist:800-63:ial3": Level.HIGH,
    },
}


class AssuranceMap:
    """One provider's ``acr`` values and the internal level each stands for."""

    def __init__(self, levels: Mapping[str, Level]) -> None:
        self.levels = dict(levels)

    def level_of(self, acr: str | None) -> Level:
        """The level a sign-in reached; an ``acr`` the provider never declared counts as low,
        never higher: a surprise must not open doors."""
        if not acr:
            return Level.LOW
        return self.levels.get(acr, Level.LOW)

    def asking_for(self, level: Level) -> list[str]:
        """The ``acr_values`` that ask the provider for at least ``level``, weakest first."""
        found = sorted(
            ((reached, acr) for acr, reached in self.levels.items() if reached >= level),
        )
        return [acr for _, acr in found]


def assurance_map(vocabulary: str | Mapping[str, str]) -> AssuranceMap:
    """A provider's map from a setting: a known vocabulary's name, or acr → level name."""
    if isinstance(vocabulary, str):
        try:
            return AssuranceMap(VOCABULARIES[vocabulary])
        except KeyError:
            raise InvalidInput(
                N_("There is no assurance vocabulary called '{name}'."),
                hint=N_("Use {known}, or map each acr value to low, substantial or high."),
                params={"name": vocabulary, "known": ", ".join(VOCABULARIES)},
            ) from None
    return AssuranceMap({acr: Level.named(level) for acr, level in vocabulary.items()})
