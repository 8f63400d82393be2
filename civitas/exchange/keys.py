"""Key files and the trust list, under ``<data dir>/exchange/``.

::

    exchange/keys/<member>.json        one member's private Ed25519 JWK (mode 0600)
    exchange/trust-list.json           every member's public JWK: {"keys": [...]}, kid = member
    exchange/logs/<member>/<subsystem>.jsonl   message logs (and their .head)

``ensure_keys`` makes the keys members lack and writes the trust list again; it
never replaces a key. Keys are read once when a party starts. Every problem with a
file says which file and what to do. Keys never belong in version control: the
data dir is outside the repository, or ignored by it.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from joserfc.jwk import OKPKey

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.exchange.signing import Signer, TrustList, generate_key, key_from_jwk, public_jwk

EXCHANGE_DIR = "exchange"


def key_path(data_dir: Path, member: str) -> Path:
    return data_dir / EXCHANGE_DIR / "keys" / f"{member}.json"


def trust_list_path(data_dir: Path) -> Path:
    return data_dir / EXCHANGE_DIR / "trust-list.json"


def log_path(data_dir: Path, member: str, subsystem: str) -> Path:
    return data_dir / EXCHANGE_DIR / "logs" / member / f"{subsystem}.jsonl"


class KeysInvalid(InvalidInput):
    """A key file or the trust list cannot be used."""


@dataclass(frozen=True)
class KeysMade:
    created: tuple[str, ...]
    kept: tuple[str, ...]
    trust_list: Path


def ensure_keys(data_dir: Path, members: Iterable[str]) -> KeysMade:
    """A key for every member that lacks one, and the trust list of all ``members``."""
    created, kept = [], []
    public: list[dict[str, object]] = []
    for member in members:
        path = key_path(data_dir, member)
        if path.exists():
            key = _read_private(path, member)
            kept.append(member)
        else:
            key = generate_key(member)
            _write_private(path, json.dumps(key.as_dict(private=True), indent=2) + "\n")
            created.append(member)
        public.append(public_jwk(key))
    target = trust_list_path(data_dir)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps({"keys": public}, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return KeysMade(tuple(created), tuple(kept), target)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def load_signer(data_dir: Path, member: str) -> Signer:
    """The signing key of ``member``, checked."""
    path = key_path(data_dir, member)
    if not path.is_file():
        raise KeysInvalid(
            N_("{member} has no exchange key yet (looked for {path})."),
            hint=N_("Make the keys with: civitas exchange keys"),
            params={"member": member, "path": str(path)},
        )
    return Signer(member, _read_private(path, member))


def _read_private(path: Path, member: str) -> OKPKey:
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeysInvalid(
            N_("The exchange key {path} can be read by other users of this computer."),
            hint=N_("Make it private (chmod 600 {path}), then start again."),
            params={"path": str(path)},
        )
    try:
        return key_from_jwk(json.loads(path.read_text(encoding="utf-8")), member, private=True)
    except (ValueError, UnicodeError) as problem:
        raise KeysInvalid(
            N_("The exchange key {path} cannot be used: {problem}."),
            hint=N_(
                "Move the file aside, make a new key with civitas exchange keys, and share the "
                "new trust list with the other members."
            ),
            params={"path": str(path), "problem": str(problem)[:200]},
        ) from None


def load_trust_list(path: Path) -> TrustList:
    """The public keys in the trust list at ``path``; every problem listed with its place."""
    if not path.is_file():
        raise KeysInvalid(
            N_("There is no exchange trust list at {path}."),
            hint=N_("Make the keys and the trust list with: civitas exchange keys"),
            params={"path": str(path)},
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeError) as problem:
        raise KeysInvalid(
            N_("The trust list {path} is not JSON: {problem}."),
            hint=N_("Write it again with: civitas exchange keys"),
            params={"path": str(path), "problem": str(problem)[:200]},
        ) from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise KeysInvalid(
            N_("The trust list {path} holds no list of keys."),
            hint=N_('Write it as {{"keys": [...]}}, or again with: civitas exchange keys'),
            params={"path": str(path)},
        )
    found: dict[str, OKPKey] = {}
    problems: list[FieldError] = []
    for index, jwk in enumerate(keys):
        kid = jwk.get("kid") if isinstance(jwk, dict) else None
        if not isinstance(kid, str) or not kid:
            problems.append(FieldError(("keys", index, "kid"), N_("Missing member id."), path.name))
            continue
        if kid in found:
            problems.append(FieldError(("keys", index, "kid"), N_("Listed twice."), path.name))
            continue
        try:
            found[kid] = key_from_jwk(jwk, kid, private=False)
        except ValueError as problem:
            problems.append(FieldError(("keys", index), str(problem), path.name))
    if problems:
        raise KeysInvalid(
            N_("The trust list {path} has {count} problem(s)."),
            hint=N_("Correct them, or write the trust list again with: civitas exchange keys"),
            params={"path": str(path), "count": len(problems)},
            errors=tuple(problems),
        )
    return TrustList(found)
