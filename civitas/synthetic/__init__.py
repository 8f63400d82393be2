"""A synthetic country: people, households and their registries, for demos and scale tests."""

from __future__ import annotations
