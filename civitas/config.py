"""One typed settings object, read once at the edge and passed explicitly.

Values come from environment variables prefixed ``CIVITAS_`` and from a ``.env``
file in the working directory. Nothing reads settings at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

PACKAGE_DIR = Path(__file__).resolve().parent
DEMO_PACK = PACKAGE_DIR / "packs" / "demo"
DEV_PROVIDER_PORT = 8090
DEV_PROVIDER_URL = f"http://127.0.0.1:{DEV_PROVIDER_PORT}"
# Development only: the secret the portal and `civitas idp` share on one machine.
DEV_CLIENT_SECRET = "civitas-development-only"


class IdentityProviderSetting(BaseModel):
    """One OpenID Connect provider people may sign in with."""

    model_config = {"frozen": True}

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Short name in addresses.")
    name: str = Field(description="The name people know it by, shown on the sign-in page.")
    issuer: str = Field(description="Its issuer URL; discovery is read from there.")
    client_id: str
    client_secret: SecretStr
    acr: str | dict[str, str] = Field(
        default="eidas",
        description=(
            "Its assurance vocabulary: eidas, govbr or nist, or a mapping of its own acr "
            "values to low, substantial or high."
        ),
    )
    scope: str = "openid profile"


def _development_provider() -> list[IdentityProviderSetting]:
    return [
        IdentityProviderSetting(
            id="valdoria-id",
            name="Valdoria ID (development)",
            issuer=DEV_PROVIDER_URL,
            client_id="civitas-portal",
            client_secret=SecretStr(DEV_CLIENT_SECRET),
        )
    ]


class Settings(BaseSettings):
    """Every setting of a Civitas installation (see docs/reference/settings.md)."""

    model_config = SettingsConfigDict(
        env_prefix="CIVITAS_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the embedded database and other local data.",
    )
    database_url: str = Field(
        default="",
        description=(
            "SQLAlchemy URL of the operational database. Empty means SQLite in data_dir; "
            "use postgresql+psycopg://user:password@host/db for PostgreSQL."
        ),
    )
    country_pack: Path = Field(
        default=DEMO_PACK,
        description="Folder of the country pack: catalogue content in every language, and theme.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port of the web server.")
    registry_port_base: int = Field(
        default=8101,
        ge=1,
        le=65000,
        description=(
            "First port of the registry nodes started by `civitas run`; each registry of the "
            "pack takes the next one."
        ),
    )
    public_url: str = Field(
        default="",
        description=(
            "Address people reach the portal at, such as https://services.gov.example; "
            "empty means http://host:port. Cookies are Secure when it starts with https."
        ),
    )
    identity_providers: list[IdentityProviderSetting] = Field(
        default_factory=_development_provider,
        description=(
            "OpenID Connect providers for sign-in, as JSON. The default is the development "
            "provider that `civitas idp` runs on port 8090."
        ),
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A session ends after this long without a request."
    )
    session_hours: int = Field(
        default=12, ge=1, description="A session ends this long after sign-in, however used."
    )
    registry_urls: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Where the registry nodes listen, by registry id, as JSON: "
            '{"tax": "https://tax.gov.example"}. A registry not listed is at host, port '
            "registry_port_base plus its place in the pack."
        ),
    )
    delivery_seconds: float = Field(
        default=10.0,
        gt=0,
        description=(
            "How often the portal sends what waits in its outbox (changes of address, "
            "reported errors) to the agencies; it also sends at once when something is told."
        ),
    )
    max_request_bytes: int = Field(
        default=1_000_000,
        ge=1024,
        description="Largest request body accepted; larger requests get a 413 answer.",
    )
    smtp_host: str | None = Field(
        default=None,
        description=(
            "Mail server that sends people's emails (civitas.notifications); empty: no "
            "email is sent, and emails wait until one is set."
        ),
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the mail server.")
    smtp_sender: str | None = Field(
        default=None,
        description=(
            'Who emails come from, e.g. "Valdoria <no-reply@gov.vd.example>"; empty: '
            "no-reply@ the host name of the portal's address."
        ),
    )
    smtp_starttls: bool = Field(
        default=False, description="Encrypt the connection to the mail server with STARTTLS."
    )
    smtp_username: str | None = Field(
        default=None, description="User name at the mail server; empty: no sign-in."
    )
    smtp_password: SecretStr | None = Field(
        default=None, description="Password at the mail server, with smtp_username."
    )
    notification_seconds: float = Field(
        default=10.0,
        gt=0,
        description=(
            "How often the portal sends the emails and letters that wait; it also sends at "
            "once when a notice is kept."
        ),
    )
    event_broker_url: str | None = Field(
        default=None,
        description=(
            "NATS server for the proactive services' events, e.g. nats://127.0.0.1:4222; "
            "empty: the queue lives in the database."
        ),
    )

    @property
    def country_dir(self) -> Path:
        """Where the synthetic country and its registries live."""
        return self.data_dir / "country"

    @property
    def portal_url(self) -> str:
        """The portal's public address, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'civitas.db'}"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning a bad value into one clear error per variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        errors = tuple(
            FieldError(
                (f"CIVITAS_{str(error['loc'][0]).upper()}",) if error["loc"] else (),
                f"{error['msg']}; it is {error['input']!r}.",
            )
            for error in exc.errors()
        )
        raise InvalidInput(
            N_("Some settings have values Civitas cannot use."),
            hint=N_("Correct the variables listed (in the environment or in .env)."),
            errors=errors,
        ) from None
