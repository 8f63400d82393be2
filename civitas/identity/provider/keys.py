"""The provider's signing key: made on first start, kept in a file readable only by its owner.

RS256 (RSA 2048, SHA-256), because OpenID Connect requires every provider to support it
(Core 15.1; Discovery lists it as mandatory) and it is what relying parties assume
when nothing else is agreed. A relying party tested against this provider therefore
meets the algorithm every national provider offers. The key is kept across restarts,
so tokens signed before a restart still verify against ``/jwks`` afterwards.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from civitas.core.errors import CivitasError
from civitas.core.i18n import N_

ALGORITHM = "RS256"
KEY_SIZE = 2048


def load_signing_key(path: Path) -> RSAKey:
    """The key in ``path``, made (mode 0600) when the file does not exist yet."""
    if not path.exists():
        return _create(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)  # a private key readable by others is tightened, as ssh-keygen would
    try:
        key = RSAKey.import_key(json.loads(path.read_text(encoding="utf-8")))
        if not key.is_private or not key.kid:
            raise ValueError("not a private key with a kid")
    except (OSError, ValueError, TypeError, JoseError):
        raise CivitasError(
            N_("The signing key in {file} cannot be read."),
            hint=N_(
                "Delete the file to make a new key; tokens signed with the old one will no "
                "longer be accepted."
            ),
            params={"file": str(path)},
        ) from None
    return key


def _create(path: Path) -> RSAKey:
    key = RSAKey.generate_key(KEY_SIZE, parameters={"use": "sig", "alg": ALGORITHM})
    key.ensure_kid()  # the RFC 7638 thumbprint
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)  # left by a crash, perhaps with other permissions
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(key.as_dict(private=True), file, indent=2)
    partial.replace(path)  # atomic: a crash never leaves half a key behind
    return key


def public_key_set(key: RSAKey) -> dict[str, Any]:
    """The JSON Web Key Set served at ``/jwks``: the public half only."""
    return dict(KeySet([key]).as_dict(private=False))
