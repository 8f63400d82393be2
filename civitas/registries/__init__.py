"""Base-registry nodes: each registry served as its own HTTP service."""

from __future__ import annotations

from civitas.registries.domain import Column, ColumnType, IdentifierFormat, RegistryDefinition

__all__ = ["Column", "ColumnType", "IdentifierFormat", "RegistryDefinition"]
