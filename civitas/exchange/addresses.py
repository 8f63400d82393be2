"""Who calls and what is called: X-Road identifiers, written and parsed.

A party of the exchange is a *subsystem* of a *member* (an organisation) of a
*member class* in an *instance* (the country's exchange): ``VLD/GOV/tax-authority/tax``.
A service address follows X-Road's REST convention::

    /r1/{instance}/{class}/{member}/{subsystem}/{service}[/{rest}]

``rest`` is handed to the service (for a registry's ``person`` service, the national
id). The ``X-Road-Represented-Party`` header names the party a client acts for as
``CLASS/CODE``. Every part is plain ASCII (letters, digits, ``.``, ``_``, ``-``), so
an address can be compared as text and no encoding trick can make two differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from civitas.core.errors import FieldError
from civitas.core.i18n import N_
from civitas.exchange.errors import BadCall

PROTOCOL = "r1"
_PART = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,63})$")
_REST_SEGMENT = re.compile(r"^[A-Za-z0-9._~:@!$&'()*+,;=-]{1,200}$")


def _is_rest(text: str) -> bool:
    # No percent-encoding, no empty or dot segments: the service sees exactly what was signed.
    if not text:
        return True
    segments = text.split("/")
    return len(text) <= 500 and all(
        _REST_SEGMENT.match(s) and s not in (".", "..") for s in segments
    )


def is_part(text: str) -> bool:
    """Whether ``text`` can be one part of an identifier (a member code, a service ...)."""
    return bool(_PART.match(text))


@dataclass(frozen=True)
class SubsystemId:
    """One party: ``VLD/GOV/tax-authority/tax``."""

    instance: str
    member_class: str
    member: str
    subsystem: str

    def __str__(self) -> str:
        return f"{self.instance}/{self.member_class}/{self.member}/{self.subsystem}"

    @property
    def party(self) -> str:
        """The short name used in the country pack and in file names: ``tax-authority/tax``."""
        return f"{self.member}/{self.subsystem}"


@dataclass(frozen=True)
class ServiceAddress:
    provider: SubsystemId
    service: str
    rest: str = ""  # the part of the path after the service code, without a leading slash

    @property
    def path(self) -> str:
        p = self.provider
        base = f"/{PROTOCOL}/{p.instance}/{p.member_class}/{p.member}/{p.subsystem}/{self.service}"
        return f"{base}/{self.rest}" if self.rest else base

    @property
    def service_id(self) -> str:
        """``VLD/GOV/tax-authority/tax/person``, the value of ``X-Road-Service``."""
        return f"{self.provider}/{self.service}"

    @property
    def short(self) -> str:
        """``tax-authority/tax/person``, as the country pack writes services."""
        return f"{self.provider.party}/{self.service}"


def parse_client(text: str, header: str = "X-Road-Client") -> SubsystemId:
    """``INSTANCE/CLASS/MEMBER/SUBSYSTEM`` as a :class:`SubsystemId`; :class:`BadCall` if not."""
    parts = text.split("/")
    if len(parts) != 4 or not all(is_part(p) for p in parts):
        raise BadCall(
            N_("The {header} header must be written INSTANCE/CLASS/MEMBER/SUBSYSTEM."),
            hint=N_("Send your own subsystem, for example VLD/GOV/tax-authority/tax."),
            params={"header": header},
            errors=(FieldError(("headers", header), N_("Malformed subsystem identifier.")),),
        )
    return SubsystemId(*parts)


def parse_represented_party(text: str) -> str:
    """``CLASS/CODE``, checked and returned as given."""
    parts = text.split("/")
    if len(parts) != 2 or not all(is_part(p) for p in parts):
        raise BadCall(
            N_("The X-Road-Represented-Party header must be written CLASS/CODE."),
            hint=N_("Name the party you act for, for example GOV/municipality-porto-alto."),
            errors=(
                FieldError(
                    ("headers", "X-Road-Represented-Party"), N_("Malformed party identifier.")
                ),
            ),
        )
    return text


def parse_service_path(path: str) -> ServiceAddress:
    """The service address in a request path ``/r1/...``; :class:`BadCall` when malformed."""
    parts = path.split("/", 7)  # "", "r1", instance, class, member, subsystem, service, rest
    rest = parts[7] if len(parts) == 8 else ""
    if (
        len(parts) < 7
        or parts[0] != ""
        or parts[1] != PROTOCOL
        or not all(is_part(p) for p in parts[2:7])
        or not _is_rest(rest)
    ):
        raise BadCall(
            N_("The address '{path}' is not an exchange service address."),
            hint=N_(
                "Write it /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE, then the service's own "
                "path, for example /r1/VLD/GOV/tax-authority/tax/person/123456789."
            ),
            params={"path": path[:120]},
            errors=(FieldError(("path",), N_("Malformed service address.")),),
        )
    return ServiceAddress(SubsystemId(*parts[2:6]), parts[6], rest)
