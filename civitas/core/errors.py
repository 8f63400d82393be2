"""One error hierarchy, raised by domain and services, rendered once at each edge.

Every error carries a message and a hint that a person can act on. Both are
message templates marked for translation (``N_``) by the code that raises them,
with ``{placeholders}`` filled from ``params``; the edges translate them into the
reader's language with :meth:`CivitasError.render`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of some input.

    ``path`` locates the field: a form or JSON field (``("query", "q")``) or a
    place in a content file (``("services", 3, "name", "pt")``). ``file`` and
    ``line`` are set for content files.
    """

    path: tuple[str | int, ...]
    message: str
    file: str | None = None
    line: int | None = None

    @property
    def dotted_path(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def location(self) -> str:
        """Where the problem is, as ``file:line: path`` (parts that are known)."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.path:
            where = f"{where}: {self.dotted_path}" if where else self.dotted_path
        return where


@dataclass
class CivitasError(Exception):
    """Base of every error a person may see."""

    message: str
    hint: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    status: int = 500

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def render(self, gettext: Callable[[str], str] = str) -> tuple[str, str]:
        """(message, hint) translated with ``gettext`` and filled in."""
        message = gettext(self.message).format(**self.params)
        hint = gettext(self.hint).format(**self.params) if self.hint else ""
        return message, hint

    def __str__(self) -> str:
        return self.render()[0]


@dataclass
class NotFound(CivitasError):
    status: int = 404


@dataclass
class NotAllowed(CivitasError):
    status: int = 403


@dataclass
class InvalidInput(CivitasError):
    """Input that cannot be used as given; ``errors`` says field by field why."""

    errors: tuple[FieldError, ...] = field(default_factory=tuple)
    status: int = 400


@dataclass
class PayloadTooLarge(CivitasError):
    status: int = 413


@dataclass
class RuleBroken(CivitasError):
    """A business rule forbids what was asked, although the input is well formed."""

    status: int = 409


@dataclass
class ExternalServiceUnavailable(CivitasError):
    status: int = 503
