"""Refusals of the exchange: house errors that also carry an ``X-Road-Error`` code.

Each refusal is an ordinary Civitas error (so every edge renders it the house way,
and a consumer catches ``NotAllowed`` without knowing the exchange), plus the short
machine code X-Road puts in the ``X-Road-Error`` header of the answer. Codes start
with ``Client.`` when the caller must change something, ``Server.`` when the
provider's exchange refused or failed, ``Service.`` when the service behind it did.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from civitas.core.errors import (
    CivitasError,
    ExternalServiceUnavailable,
    InvalidInput,
    NotAllowed,
    NotFound,
)


class Code(enum.StrEnum):
    BAD_REQUEST = "Client.BadRequest"  # malformed address or headers
    UNKNOWN_CLIENT = "Client.UnknownMember"  # the client subsystem is not in the pack
    INVALID_SIGNATURE = "Client.InvalidSignature"  # missing, unknown key, or not matching
    EXPIRED = "Client.Expired"  # issued too long ago, or in the future
    REPLAYED = "Client.Replayed"  # the message id was already used
    UNKNOWN_PURPOSE = "Client.UnknownPurpose"
    WRONG_LEGAL_BASIS = "Client.WrongLegalBasis"
    ACCESS_DENIED = "Server.AccessDenied"  # no access right for this client, service, purpose
    UNKNOWN_SERVICE = "Server.UnknownService"
    TOO_LARGE = "Server.RequestTooLarge"
    SERVER_FAILED = "Server.Failed"
    SERVICE_BAD_REQUEST = "Service.BadRequest"
    SERVICE_ACCESS_DENIED = "Service.AccessDenied"
    SERVICE_NOT_FOUND = "Service.NotFound"
    SERVICE_FAILED = "Service.Failed"


@dataclass
class BadCall(InvalidInput):
    """The request cannot be read as an exchange call."""

    code: str = Code.BAD_REQUEST


@dataclass
class CallRefused(NotAllowed):
    """The request was read but is not allowed: signature, time, replay or rights."""

    code: str = Code.ACCESS_DENIED


@dataclass
class CallNotFound(NotFound):
    """The address names no service this provider offers, or the service found nothing."""

    code: str = Code.UNKNOWN_SERVICE


@dataclass
class ProviderUnavailable(ExternalServiceUnavailable):
    """The provider cannot be reached, failed, or answered without a valid signature."""

    code: str = Code.SERVER_FAILED


_BY_STATUS = {
    400: Code.SERVICE_BAD_REQUEST,
    403: Code.SERVICE_ACCESS_DENIED,
    404: Code.SERVICE_NOT_FOUND,
}


def error_code(error: CivitasError) -> str:
    """The ``X-Road-Error`` code of a refusal raised by the exchange."""
    code = getattr(error, "code", None)
    return str(code) if code else Code.SERVER_FAILED


def service_error_code(status: int) -> str:
    """The ``X-Road-Error`` code of an error answered by the service behind the gate."""
    return _BY_STATUS.get(status, Code.SERVICE_FAILED)
