"""The building blocks of Civitas, in dependency order (lowest first).

Each block is a sub-package with the same skeleton; the composition root
(``civitas.app``) wires them, and this list tells tools where their templates,
translations and docs live.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

BLOCKS: tuple[str, ...] = (
    "catalogue",
    "registries",
    "identity",
    "rules",
    "deliveries",
    "notifications",
    "applications",
    "proactive",
    "consents",
    "tell_us_once",
    "synthetic",
)


def template_dirs() -> list[Path]:
    """Every block's ``templates`` folder; pages are named ``<block>/<page>.html``."""
    folders = (PACKAGE_DIR / block / "templates" for block in BLOCKS)
    return [folder for folder in folders if folder.is_dir()]
