"""The shared kernel: errors, localised text, translations, time."""

from __future__ import annotations
