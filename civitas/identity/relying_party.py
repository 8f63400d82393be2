"""One OpenID Connect provider, spoken to as a relying party (Authlib; ID tokens with joserfc).

The authorization-code flow with PKCE (S256), state and nonce. The provider's
discovery document and keys are read once and kept; keys are read again when a
token names one not seen yet (the provider rotated them).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx2
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from civitas.core.clock import Clock
from civitas.core.errors import ExternalServiceUnavailable, NotAllowed
from civitas.core.i18n import N_
from civitas.identity.assurance import AssuranceMap, Level
from civitas.identity.domain import Person, VerifiedSignIn

log = logging.getLogger("civitas.identity")
SIGNING_ALGORITHMS = ("RS256", "ES256", "EdDSA", "PS256")
TIMEOUT = 10.0


class OpenIdProvider:
    """A provider from the settings: its client credentials and its assurance words."""

    def __init__(
        self,
        *,
        id: str,
        name: str,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        assurance: AssuranceMap,
        clock: Clock,
        scope: str = "openid profile",
        transport: httpx2.AsyncBaseTransport | None = None,  # tests: the provider in-process
    ) -> None:
        self.id = id
        self.name = name
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.assurance = assurance
        self.scope = scope
        self.clock = clock
        self.transport = transport
        self._metadata: Mapping[str, Any] | None = None
        self._keys: KeySet | None = None

    def level_of(self, acr: str) -> Level:
        return self.assurance.level_of(acr)

    def acr_values_for(self, level: Level) -> list[str]:
        return self.assurance.asking_for(level)

    async def authorization_url(
        self,
        *,
        state: str,
        nonce: str,
        code_verifier: str,
        acr_values: Sequence[str],
        language: str,
    ) -> str:
        metadata = await self.metadata()
        async with self._client() as client:
            extra = {"ui_locales": language}  # the provider's pages in the person's language
            if acr_values:
                extra["acr_values"] = " ".join(acr_values)
            url, _ = client.create_authorization_url(
                metadata["authorization_endpoint"],
                state=state,
                nonce=nonce,
                code_verifier=code_verifier,
                **extra,
            )
        return str(url)

    async def redeem(
        self, *, code: str, code_verifier: str, nonce: str, issuer: str | None
    ) -> VerifiedSignIn:
        if issuer is not None and issuer.rstrip("/") != self.issuer:
            # RFC 9207: an answer naming another issuer is a mix-up attack, not ours
            raise _refused("the answer came from {issuer}", issuer=issuer)
        metadata = await self.metadata()
        try:
            async with self._client() as client:
                token = await client.fetch_token(
                    metadata["token_endpoint"], code=code, code_verifier=code_verifier
                )
        except OAuthError as error:
            detail = f"{error.error}: {error.description}"
            raise _refused("the token endpoint said {detail}", detail=detail) from None
        except httpx2.HTTPError as error:
            raise _unreachable(self.name, error) from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise _refused("no ID token in the answer")
        claims = await self._verified_claims(id_token, nonce)
        person = Person(
            national_id=str(claims["sub"]),
            name=str(claims.get("name") or claims["sub"]),
            given_name=str(claims.get("given_name", "")),
            family_name=str(claims.get("family_name", "")),
            birthdate=str(claims.get("birthdate", "")),
        )
        return VerifiedSignIn(person, str(claims.get("acr", "")), id_token)

    async def logout_url(self, *, id_token: str, return_to: str) -> str | None:
        try:
            endpoint = (await self.metadata()).get("end_session_endpoint")
        except ExternalServiceUnavailable:
            return None  # our session is over; theirs will time out
        if not endpoint:
            return None
        query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": return_to})
        return f"{endpoint}?{query}"

    # -- discovery and keys ----------------------------------------------------------

    async def metadata(self) -> Mapping[str, Any]:
        if self._metadata is None:
            found = await self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            if str(found.get("issuer", "")).rstrip("/") != self.issuer:
                raise _unreachable(self.name, "its discovery document names another issuer")
            self._metadata = found
        return self._metadata

    async def _key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            document = await self._get_json(str((await self.metadata())["jwks_uri"]))
            try:
                self._keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError) as error:
                raise _unreachable(self.name, f"its keys cannot be read ({error})") from None
        return self._keys

    async def _verified_claims(self, id_token: str, nonce: str) -> Mapping[str, Any]:
        keys = await self._key_set()
        try:
            try:
                token = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
            except JoseError:
                token = jwt.decode(id_token, await self._key_set(refresh=True), SIGNING_ALGORITHMS)
            jwt.JWTClaimsRegistry(
                now=int(self.clock.now().timestamp()),
                leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except JoseError as error:
            raise _refused("the ID token is not valid ({error})", error=error.error) from None
        azp = token.claims.get("azp")
        if azp is not None and azp != self.client_id:
            raise _refused("the ID token was made for {azp}", azp=azp)
        return token.claims

    async def _get_json(self, url: str) -> Mapping[str, Any]:
        try:
            async with httpx2.AsyncClient(transport=self.transport, timeout=TIMEOUT) as http:
                response = await http.get(url)
                response.raise_for_status()
                found = response.json()
        except (httpx2.HTTPError, ValueError) as error:
            raise _unreachable(self.name, error) from None
        if not isinstance(found, dict):
            raise _unreachable(self.name, f"{url} is not a JSON object")
        return found

    def _client(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scope,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
            transport=self.transport,
            timeout=TIMEOUT,
        )


def _refused(why: str, **params: Any) -> NotAllowed:
    """The provider's answer cannot be trusted: say so, log the detail for staff."""
    log.warning("sign-in refused: " + why.format(**params))
    return NotAllowed(
        N_("We could not confirm your sign-in."),
        hint=N_("Start again from the sign-in page. If it happens again, contact us."),
    )


def _unreachable(name: str, error: object) -> ExternalServiceUnavailable:
    log.warning("identity provider %s unavailable: %s", name, error)
    return ExternalServiceUnavailable(
        N_("{name} is not answering at the moment."),
        hint=N_("Try again in a few minutes."),
        params={"name": name},
    )
