"""The OAuth 2.0 and OpenID Connect requests of the provider, with no HTTP in sight.

Validates authorization requests (RFC 6749 4.1.1, OpenID Connect Core 3.1.2) and
authenticates clients at the token endpoint (RFC 6749 2.3.1). Codes and PKCE are in
:mod:`civitas.identity.provider.codes`.

Two kinds of error, because two kinds of reader:

- :class:`OAuthError` goes to the relying party's software as ``error`` and
  ``error_description``. RFC 6749 5.2 limits those to ASCII and they are read by
  developers, so they are plain English and not translated.
- A request that cannot be answered by redirecting (unknown client, unregistered
  redirect URI, RFC 6749 4.1.2.1) raises :class:`InvalidInput` with translatable
  messages, shown to the person as a page.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

MAX_PARAMETER_LENGTH = 512  # state, nonce and friends: generous, but bounded
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")  # base64url of a SHA-256 digest, no padding


@dataclass(frozen=True)
class Client:
    """A relying party registered with the provider."""

    client_id: str
    secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()


class OAuthError(Exception):
    """An OAuth error answer: ``error`` code, a description for developers, HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


class RedirectedError(OAuthError):
    """An authorization error sent back to the client's (verified) redirect URI."""

    def __init__(self, error: str, description: str, redirect_uri: str, state: str) -> None:
        super().__init__(error, description, status=303)
        self.redirect_uri = redirect_uri
        self.state = state


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated authorization request, kept while the person chooses who to be."""

    client_id: str
    redirect_uri: str
    scope: tuple[str, ...]
    state: str
    nonce: str
    code_challenge: str
    acr_values: tuple[str, ...] = ()
    ui_locales: tuple[str, ...] = ()


def parse_authorization_request(
    parameters: Sequence[tuple[str, str]], clients: Mapping[str, Client]
) -> AuthorizationRequest:
    """The request, if valid. Client and redirect URI problems raise :class:`InvalidInput`
    (never redirect to an address we cannot trust); the rest raise :class:`RedirectedError`."""
    values: dict[str, list[str]] = {}
    for name, value in parameters:
        values.setdefault(name, []).append(value)
    client = _client_of(values, clients)
    redirect_uri = _redirect_uri_of(values, client)
    state = values.get("state", [""])[0] if len(values.get("state", [])) == 1 else ""

    def refuse(error: str, description: str) -> RedirectedError:
        return RedirectedError(error, description, redirect_uri, state)

    repeated = sorted(name for name, found in values.items() if len(found) > 1)
    if repeated:
        raise refuse("invalid_request", f"Parameter {repeated[0]} is repeated.")
    one = {name: found[0] for name, found in values.items()}
    too_long = sorted(name for name, value in one.items() if len(value) > MAX_PARAMETER_LENGTH)
    if too_long:
        raise refuse("invalid_request", f"Parameter {too_long[0]} is too long.")
    if "request" in one:
        raise refuse("request_not_supported", "Request objects are not supported.")
    if "request_uri" in one:
        raise refuse("request_uri_not_supported", "request_uri is not supported.")
    response_type = one.get("response_type", "")
    if not response_type:
        raise refuse("invalid_request", "response_type is required.")
    if response_type != "code":
        raise refuse("unsupported_response_type", "Only response_type=code is supported.")
    if one.get("response_mode", "query") != "query":
        raise refuse("invalid_request", "Only response_mode=query is supported.")
    scope = tuple(one.get("scope", "").split())
    if "openid" not in scope:
        raise refuse("invalid_scope", "The scope must include openid.")
    if not state:
        raise refuse("invalid_request", "state is required.")
    if not one.get("nonce"):
        raise refuse("invalid_request", "nonce is required.")
    if not one.get("code_challenge"):
        raise refuse("invalid_request", "code_challenge is required (PKCE with S256).")
    if one.get("code_challenge_method") != "S256":
        raise refuse("invalid_request", "code_challenge_method must be S256.")
    if not _CHALLENGE.fullmatch(one["code_challenge"]):
        raise refuse("invalid_request", "code_challenge is not a base64url SHA-256 digest.")
    if "none" in one.get("prompt", "").split():
        raise refuse("login_required", "This provider always asks who to sign in as.")
    return AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=state,
        nonce=one["nonce"],
        code_challenge=one["code_challenge"],
        acr_values=tuple(one.get("acr_values", "").split()),
        ui_locales=tuple(one.get("ui_locales", "").split()),
    )


def _client_of(values: Mapping[str, list[str]], clients: Mapping[str, Client]) -> Client:
    found = values.get("client_id", [])
    if len(found) != 1 or not found[0]:
        raise InvalidInput(
            N_("This sign-in request does not say which service it comes from."),
            hint=N_("Go back to the service you came from and start signing in again."),
            errors=(FieldError(("client_id",), N_("Missing or repeated.")),),
        )
    client = clients.get(found[0])
    if client is None:
        raise InvalidInput(
            N_("The service '{client}' is not registered with this sign-in service."),
            hint=N_(
                "Go back to the service you came from. If you run it, register its client "
                "id when you start civitas idp serve."
            ),
            params={"client": found[0][:80]},
            errors=(FieldError(("client_id",), N_("Not registered.")),),
        )
    return client


def _redirect_uri_of(values: Mapping[str, list[str]], client: Client) -> str:
    found = values.get("redirect_uri", [])
    if len(found) != 1 or found[0] not in client.redirect_uris:
        # Exact match only (RFC 9700 4.1.3): anything else could send codes to an attacker.
        raise InvalidInput(
            N_("This sign-in request asks to send you back to an address we do not know."),
            hint=N_(
                "Go back to the service you came from. If you run it, register this exact "
                "address with --redirect-uri when you start civitas idp serve."
            ),
            errors=(FieldError(("redirect_uri",), N_("Missing, repeated or not registered.")),),
        )
    return found[0]


def redirect_to(uri: str, parameters: Mapping[str, str]) -> str:
    """``uri`` with ``parameters`` added to its query, which is kept (RFC 6749 3.1.2)."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(parameters.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


# ---------------------------------------------------------------- client authentication


def authenticate_client(
    clients: Mapping[str, Client],
    basic: tuple[str, str] | None,
    posted_id: str | None,
    posted_secret: str | None,
) -> Client:
    """The client proven by ``client_secret_basic`` (``basic``: the header's two parts, as
    sent) or by ``client_secret_post``; ``invalid_client`` (401) when none is."""
    if basic is not None and posted_secret is not None:
        raise OAuthError("invalid_request", "Use one client authentication method, not two.")
    if basic is not None:
        # RFC 6749 2.3.1 form-encodes both parts; some clients (Authlib among them) do not.
        pairs = [basic, (unquote_plus(basic[0]), unquote_plus(basic[1]))]
        if posted_id is not None and posted_id not in (pairs[0][0], pairs[1][0]):
            raise OAuthError("invalid_request", "client_id differs from the Authorization header.")
    elif posted_id is not None and posted_secret is not None:
        pairs = [(posted_id, posted_secret)]
    else:
        raise OAuthError("invalid_client", "Client authentication is required.", 401)
    for client_id, secret in pairs:
        client = clients.get(client_id)
        if client is not None and hmac.compare_digest(secret.encode(), client.secret.encode()):
            return client
    raise OAuthError("invalid_client", "Client authentication failed.", 401)
