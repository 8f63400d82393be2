"""The life-event service catalogue (CPSV-AP 3.2.0) and its portal pages and API."""

from __future__ import annotations

from civitas.catalogue.domain import Catalogue
from civitas.catalogue.pack import PackInvalid, load_catalogue
from civitas.catalogue.services import CatalogueSearch
from civitas.catalogue.store import search_index_for

__all__ = ["Catalogue", "CatalogueSearch", "PackInvalid", "load_catalogue", "search_index_for"]
