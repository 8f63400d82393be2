from __future__ import annotations

from civitas.cli import main

main()
