"""The message log's chain: how an entry is written, hashed, linked and sealed.

A log is JSON Lines. Each entry holds ``seq`` (1, 2, 3 ... with no gap), ``time``,
``kind``, its own fields, ``prev`` (the hash of the entry before; 64 zeros for the
first) and ``hash``: the SHA-256 (hex) of the entry's canonical JSON without
``hash`` (keys sorted, no spaces, UTF-8). Changing an entry changes its hash;
re-computing that hash breaks the next entry's ``prev``; re-computing the whole
rest of the chain breaks the next *seal*.

A seal is an entry of kind ``seal`` whose ``signature`` is a JWS, by the log
owner's key, over the party, the seal's ``seq``, ``prev`` and the first ``seq`` it
covers. Only the key holder can seal, so entries before a valid seal cannot be
changed, removed or reordered without it showing. A copy of the latest seal is
kept next to the log (``<log>.head``), so cutting sealed entries off the end shows
too.

The line puts ``hash`` first, then the other keys sorted: one JSON encoding per entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64
SEAL = "seal"
OPEN = "open"


# One encoder for every entry: json.dumps would build a new one per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(body: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over (``body`` without ``hash``)."""
    return _CANONICAL.encode(body).encode()


def entry_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


def render(body: Mapping[str, Any]) -> tuple[str, bytes]:
    """The hash of ``body`` and its line in the log (with the newline)."""
    text = canonical(body)
    hashed = hashlib.sha256(text).hexdigest()
    head = b'{"hash":"' + hashed.encode() + b'"'
    return hashed, head + (b"," + text[1:] if len(text) > 2 else b"}") + b"\n"


def seal_claims(party: str, seq: int, prev: str, first: int) -> dict[str, Any]:
    """What a seal's signature covers."""
    return {"party": party, "seq": seq, "prev": prev, "first": first}
