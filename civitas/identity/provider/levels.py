"""The three eIDAS levels of assurance the development provider can sign in at.

A real provider reaches a level by how the person proves who they are (a password, a
code sent to a phone, an identity card and its PIN). Here the tester simply picks the
level, so the relying party's handling of every level, including a lower one than it
asked for, can be tried without real credentials.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from civitas.core.i18n import N_

EIDAS = "http://eidas.europa.eu/LoA/"


@dataclass(frozen=True)
class Level:
    """One level: its ``acr`` value, the ``amr`` a real sign-in would report, plain words."""

    acr: str
    amr: tuple[str, ...]  # RFC 8176 method names
    label: str
    means: str  # how a real sign-in reaches this level, for the chooser page

    @property
    def key(self) -> str:
        """The last part of the acr (``low``), for form values and element ids."""
        return self.acr.rsplit("/", 1)[-1]


LEVELS: tuple[Level, ...] = (
    Level(EIDAS + "low", ("pwd",), N_("Low"), N_("a password")),
    Level(
        EIDAS + "substantial",
        ("pwd", "otp", "mfa"),
        N_("Substantial"),
        N_("a password and a code sent to your phone"),
    ),
    Level(
        EIDAS + "high",
        ("sc", "pin", "mfa"),
        N_("High"),
        N_("your identity card and its PIN"),
    ),
)
ACR_VALUES = tuple(level.acr for level in LEVELS)


def level_of(acr: str) -> Level | None:
    return next((level for level in LEVELS if level.acr == acr), None)


def asked_level(acr_values: Sequence[str]) -> Level | None:
    """The first level in ``acr_values`` this provider knows (they come in order of
    preference, OpenID Connect Core 3.1.2.1); None when it asked for none of them."""
    for acr in acr_values:
        level = level_of(acr)
        if level is not None:
            return level
    return None
