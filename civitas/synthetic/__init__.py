"""A synthetic country: people, households and their registries, for demos and scale tests."""

from __future__ import annotations

from civitas.synthetic.pipeline import Generated, generate_country

__all__ = ["Generated", "generate_country"]
