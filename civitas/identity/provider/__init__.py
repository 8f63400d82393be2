"""A development OpenID Connect provider with test people from the synthetic country.

Run as its own process (``civitas idp serve``); for development and demos only.
"""

from __future__ import annotations

from civitas.identity.provider.app import ProviderConfig, create_provider_app
from civitas.identity.provider.protocol import Client

__all__ = ["Client", "ProviderConfig", "create_provider_app"]
