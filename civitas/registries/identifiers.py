"""Identifiers of people in registries: nine digits, the last one a mod-11 check digit.

The national identifier is the nine digits themselves (``123456789``); each agency's
own identifiers put a prefix before them (``TX-123456789``). The check digit catches
most typing mistakes, so a malformed identifier is refused before any look-up.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
_WEIGHTS = tuple(int(w) for w in WEIGHTS)
SMALLEST_BODY = 10_000_000  # bodies have eight digits and never start with 0
_FORMAT = re.compile(r"^(?:(?P<prefix>[A-Z]{2})-)?(?P<digits>[0-9]{9})$")


def check_digit(body: int) -> int:
    """The check digit of an eight-digit body (plain Python: one number, no array)."""
    total = sum(int(c) * w for c, w in zip(f"{body:08d}", _WEIGHTS, strict=True))
    return _digit_from_sum(total)


def with_check_digits(bodies: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Nine-digit identifiers for many eight-digit bodies at once (vectorised)."""
    total = np.zeros(bodies.shape, dtype=np.int64)
    rest = bodies.copy()
    for weight in WEIGHTS[::-1]:  # last digit first
        total += (rest % 10) * weight
        rest //= 10
    check = 11 - total % 11
    check[check >= 10] = 0
    return bodies * 10 + check


def _digit_from_sum(total: int) -> int:
    check = 11 - total % 11
    return 0 if check >= 10 else check


def is_valid(identifier: int) -> bool:
    body, check = divmod(identifier, 10)
    return SMALLEST_BODY <= body <= 99_999_999 and check_digit(body) == check


def format_id(identifier: int, prefix: str = "") -> str:
    return f"{prefix}-{identifier:09d}" if prefix else f"{identifier:09d}"


def parse_id(text: str, prefix: str = "", field: str = "id") -> int:
    """The number inside ``text``; :class:`InvalidInput` when malformed or mistyped."""
    match = _FORMAT.match(text.strip().upper())
    expected = format_id(123456789, prefix)
    if not match or (match["prefix"] or "") != prefix:
        raise InvalidInput(
            N_("'{text}' is not written like an identifier of this registry."),
            hint=N_("Write it like {expected}."),
            params={"text": text[:40], "expected": expected},
            errors=(FieldError(("path", field), N_("Malformed identifier.")),),
        )
    number = int(match["digits"])
    if not is_valid(number):
        raise InvalidInput(
            N_("The identifier '{text}' has a wrong check digit, so it was mistyped."),
            hint=N_("Check each digit against the document it comes from."),
            params={"text": text[:40]},
            errors=(FieldError(("path", field), N_("Wrong check digit.")),),
        )
    return number
