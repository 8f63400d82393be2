"""What the exchange's use cases need from the outside: a message log to append to."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol


class MessageLog(Protocol):
    """An append-only, hash-chained, sealed log of one party (see ``chain.py``)."""

    party: str  # "member/subsystem"

    def append(self, kind: str, fields: Mapping[str, Any]) -> int:
        """Write one entry (``seq``, ``time``, ``prev``, ``hash`` are added); its offset."""
        ...

    def read(self, offset: int) -> dict[str, Any]:
        """The entry written at ``offset``."""
        ...

    def entries(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Every readable entry with its offset, oldest first."""
        ...

    def close(self) -> None:
        """Seal what is not sealed yet and release the file."""
        ...
