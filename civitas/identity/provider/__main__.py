from __future__ import annotations

from civitas.identity.provider.cli import main

main()
