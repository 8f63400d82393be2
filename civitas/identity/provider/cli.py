"""``civitas idp serve``: the development OpenID Connect provider, as its own process.

Also runnable on its own as ``python -m civitas.identity.provider serve``.
"""

from __future__ import annotations

import ipaddress
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.markup import escape

from civitas.config import DEV_CLIENT_SECRET, DEV_PROVIDER_PORT, load_settings
from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.identity.provider.protocol import Client

DEV_CLIENT_ID = "civitas-portal"

idp_app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@idp_app.callback()
def commands() -> None:
    """A development OpenID Connect provider that signs in test people. Never for real use."""
    # A callback keeps `serve` a subcommand when this app runs on its own, as when mounted.


@idp_app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEV_PROVIDER_PORT,
    issuer: Annotated[
        str | None, typer.Option(help="Issuer URL; default: http://127.0.0.1:<port>.")
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Data folder; the signing key is kept in <data dir>/idp."),
    ] = None,
    country: Annotated[
        Path | None,
        typer.Option(help="Country data folder; default: <data dir>/country."),
    ] = None,
    client_id: Annotated[str, typer.Option(help="Client id of the portal.")] = DEV_CLIENT_ID,
    client_secret: Annotated[
        str,
        typer.Option(
            envvar="CIVITAS_IDP_CLIENT_SECRET",
            help="The portal's client secret; default: the public development secret.",
            show_default=False,
        ),
    ] = DEV_CLIENT_SECRET,
    redirect_uri: Annotated[
        list[str] | None,
        typer.Option(help="Exact address to send codes to (repeatable); default: the portal's."),
    ] = None,
    post_logout_redirect_uri: Annotated[
        list[str] | None,
        typer.Option(help="Exact address to return to after sign-out (repeatable)."),
    ] = None,
) -> None:
    """Run the development OpenID provider with test people from the synthetic country."""
    import uvicorn

    from civitas.identity.provider.app import ProviderConfig, create_provider_app

    settings = load_settings()
    folder = data_dir or settings.data_dir
    portal = f"http://{settings.host}:{settings.port}"
    client = Client(
        client_id=client_id,
        secret=client_secret,
        redirect_uris=tuple(redirect_uri or [f"{portal}/sign-in/callback"]),
        post_logout_redirect_uris=tuple(post_logout_redirect_uri or [f"{portal}/"]),
    )
    config = ProviderConfig(
        issuer=checked_issuer(issuer or f"http://127.0.0.1:{port}"),
        clients=(client,),
        country_dir=country or folder / "country",
        key_file=folder / "idp" / "signing-key.json",
    )
    application = create_provider_app(config)  # loads the population and key before listening
    host = host or settings.host
    out.print(
        f"Development identity provider [bold]{config.issuer}[/] on {host}:{port} "
        f"for client [bold]{escape(client_id)}[/] (Ctrl-C stops it)"
    )
    if not _is_loopback(host):
        out.print(f"[yellow]Warning:[/] anyone who reaches {host} can sign in as anyone.")
    if client_secret == DEV_CLIENT_SECRET:
        out.print("Using the public development client secret (set CIVITAS_IDP_CLIENT_SECRET).")
    # uvicorn stops gracefully on SIGTERM, then re-raises it to the previous handler:
    # this one makes that a normal exit (status 0) for process supervisors.
    signal.signal(signal.SIGTERM, _exit_normally)
    uvicorn.run(application, host=host, port=port, log_level="warning")


def checked_issuer(issuer: str) -> str:
    """The issuer URL without a trailing slash; http(s), a host, no query or fragment."""
    parts = urlsplit(issuer.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidInput(
            N_("'{issuer}' cannot be the issuer of the identity provider."),
            hint=N_("Give a URL like http://127.0.0.1:8090, with no query or fragment."),
            params={"issuer": issuer[:100]},
            errors=(FieldError(("--issuer",), N_("Not an http or https URL.")),),
        )
    return issuer.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _exit_normally(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    """``python -m civitas.identity.provider``: the commands, with errors as ``Error/Hint``."""
    try:
        idp_app(args=argv, prog_name="python -m civitas.identity.provider")
    except CivitasError as error:
        message, hint = error.render()
        err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
        if isinstance(error, InvalidInput):
            for problem in error.errors:
                err.print(
                    f"  {problem.location()}: {problem.message}", soft_wrap=True, markup=False
                )
        if hint:
            err.print(f"[bold]Hint:[/] {escape(hint)}", soft_wrap=True)
        sys.exit(1)
