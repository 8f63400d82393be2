"""The provider's metadata (OpenID Connect Discovery 1.0 3, RFC 8414), served at
``/.well-known/openid-configuration`` so relying parties configure themselves from it."""

from __future__ import annotations

from typing import Any

from civitas.identity.provider.keys import ALGORITHM
from civitas.identity.provider.levels import ACR_VALUES
from civitas.identity.provider.pages import LANGUAGES

SCOPES = ("openid", "profile")
CLAIMS = (
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "at_hash",
    "name",
    "given_name",
    "family_name",
    "birthdate",
    "national_id",
)


def discovery_document(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks",
        "end_session_endpoint": f"{issuer}/logout",
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": list(ACR_VALUES),
        "claims_supported": list(CLAIMS),
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "ui_locales_supported": list(LANGUAGES),
        "authorization_response_iss_parameter_supported": True,  # RFC 9207
    }
