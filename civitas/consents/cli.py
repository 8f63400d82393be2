"""``civitas consent request|use``: an agency's side of consent, for operators and demos.

An organisation's system asks a register for a person's consent, then, once the person
has given it in the portal, reads the data the consent allows. Both run as the client
subsystem named, through the once-only exchange, signed with its member's key:

    civitas consent request --client education-ministry/education \\
        --purpose school-health-check 123456789
    civitas consent use --client education-ministry/education \\
        --purpose school-health-check --consent cns-0123456789abcdef 123456789

The register is the one whose ``person`` service the client may read for the purpose.
A refusal is printed as such, and the command exits with 1.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from civitas.config import Settings, load_settings
from civitas.consents.domain import PURPOSE, SERVICE
from civitas.core.errors import CivitasError, InvalidInput, NotAllowed
from civitas.core.i18n import N_
from civitas.exchange import (
    BasisKind,
    ExchangeClient,
    ExchangeSetup,
    ensure_keys,
    load_exchange,
    open_consumer,
)
from civitas.registries import REGISTRIES_FILE, load_registry_definitions

PERSON = "person"  # the register service that gives one person's records

consent_app = typer.Typer(help="Consents: ask a person for their consent, then use it.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

Client = Annotated[
    str,
    typer.Option("--client", help="The asking subsystem, member/subsystem (exchange.yaml)."),
]
Purpose = Annotated[
    str, typer.Option("--purpose", help="The purpose resting on consent, e.g. school-health-check.")
]
NationalId = Annotated[str, typer.Argument(help="The national number of the person.")]
User = Annotated[str, typer.Option("--user", help="The officer the call runs for (X-Road-UserId).")]
Case = Annotated[str, typer.Option("--case", help="The case (X-Road-Issue); default: one made up.")]


@consent_app.callback()
def consent() -> None:
    """Consents: ask a person for their consent, then use it."""  # keeps commands as subcommands


@consent_app.command("request")
def request(
    national_id: NationalId,
    client: Client,
    purpose: Purpose,
    user: User = "civitas-cli",
    case: Case = "",
) -> None:
    """Ask the register for the person's consent to PURPOSE; print the consent and its state.

    Asking again while a request waits, a consent holds or after a refusal gives back
    that same consent: a person is asked once, and a "no" is respected.
    """

    async def ask(exchange: ExchangeClient, register: str) -> dict[str, Any]:
        answer = await exchange.post(
            f"{register}/{SERVICE}",
            {"action": "request", "purpose": purpose},
            national_id.strip(),
            purpose=PURPOSE,
            user=user,
            case=case or f"{purpose}-{national_id.strip()}",
        )
        body = answer.json()
        found = body.get("consent") if isinstance(body, dict) else None
        return found if isinstance(found, dict) else {}

    register, shown = _run(client, purpose, ask, consent_service=True)
    out.print(f"Consent [bold]{escape(str(shown.get('id', '?')))}[/] from {escape(register)}")
    out.print(f"  about:   {escape(str(shown.get('national_id', national_id)))}")
    out.print(f"  purpose: {escape(str(shown.get('purpose', purpose)))}")
    out.print(f"  state:   [bold]{escape(str(shown.get('state', '?')))}[/]")
    if shown.get("valid_until"):
        out.print(f"  until:   {escape(str(shown['valid_until']))}")
    if shown.get("state") == "requested":
        out.print("The person answers in the portal, under Your account > Your consents.")


@consent_app.command("use")
def use(
    national_id: NationalId,
    client: Client,
    purpose: Purpose,
    consent_id: Annotated[
        str, typer.Option("--consent", help="The consent's reference, as `request` printed it.")
    ],
    user: User = "civitas-cli",
    case: Case = "",
) -> None:
    """Read the person's data for PURPOSE with their consent; print each item.

    Exits with 1 and says why when the register refuses: no such consent, not granted,
    withdrawn, ended, or given for someone or something else.
    """

    async def read(exchange: ExchangeClient, register: str) -> dict[str, Any]:
        answer = await exchange.get(
            f"{register}/{PERSON}",
            national_id.strip(),
            purpose=purpose,
            user=user,
            case=case or f"{purpose}-{national_id.strip()}",
            legal_basis=f"consent:{consent_id.strip()}",
        )
        body = answer.json()
        return body if isinstance(body, dict) else {}

    register, body = _run(client, purpose, read, consent_service=False)
    records = [r for r in body.get("records", []) if isinstance(r, dict)]
    out.print(
        f"{len(records)} record(s) from {escape(register)} with consent {escape(consent_id)}:"
    )
    for record in records:
        for item, value in record.items():
            out.print(f"  {escape(item)}: {escape(_shown(value))}")


def _run(
    client: str, purpose: str, call: Any, *, consent_service: bool
) -> tuple[str, dict[str, Any]]:
    """Open the client's side of the exchange, make ``call`` to the right register, close."""
    try:
        settings = load_settings()
        setup = load_exchange(settings.country_pack)
        member, _, subsystem = client.strip().partition("/")
        if setup.subsystem(member, subsystem) is None:
            raise InvalidInput(
                N_("The exchange has no subsystem '{client}'."),
                hint=N_("Write it member/subsystem as exchange.yaml declares it."),
                params={"client": client[:100]},
            )
        register = register_for(setup, client.strip(), purpose, consent_service)
        ensure_keys(settings.data_dir, setup.member_codes)
        consumer = open_consumer(
            settings.country_pack, settings.data_dir, member, subsystem, setup=setup
        )
        try:
            answer = asyncio.run(_with_client(consumer, locations(settings), call, register))
        finally:
            consumer.close()
    except NotAllowed as refused:
        _report("Refused:", refused)
        raise typer.Exit(1) from None
    except CivitasError as error:
        _report("Error:", error)
        raise typer.Exit(1) from None
    return register, answer


async def _with_client(
    consumer: Any, where: dict[str, str], call: Any, register: str
) -> dict[str, Any]:
    async with ExchangeClient(consumer, where) as exchange:
        answered: dict[str, Any] = await call(exchange, register)
        return answered


def register_for(setup: ExchangeSetup, client: str, purpose: str, consent_service: bool) -> str:
    """The register (member/subsystem) that ``client`` may read for ``purpose`` on consent."""
    known = setup.purposes.get(purpose)
    if known is None or known.legal_basis.kind is not BasisKind.CONSENT:
        raise InvalidInput(
            N_("'{purpose}' is not a purpose that rests on a person's consent."),
            hint=N_("Name a purpose of exchange.yaml whose legal basis is consent."),
            params={"purpose": purpose[:60]},
        )
    for right_client, service, right_purpose in setup.rights:
        register, _, name = service.rpartition("/")
        if (right_client, right_purpose, name) != (client, purpose, PERSON):
            continue
        if not consent_service or (client, f"{register}/{SERVICE}", PURPOSE) in setup.rights:
            return register
    raise NotAllowed(
        N_("{client} may not ask for consent to '{purpose}' in any register."),
        hint=N_("exchange.yaml must give it a right to a register's person and consent services."),
        params={"client": client, "purpose": purpose},
    )


def locations(settings: Settings) -> dict[str, str]:
    """Where each registry node listens (as the portal finds them, civitas.portal_exchange)."""
    if not (settings.country_pack / REGISTRIES_FILE).exists():
        return {}
    return {
        f"{d.organisation}/{d.id}": settings.registry_urls.get(
            d.id, f"http://{settings.host}:{settings.registry_port_base + position}"
        )
        for position, d in enumerate(load_registry_definitions(settings.country_pack))
    }


def _report(label: str, error: CivitasError) -> None:
    message, hint = error.render()
    err.print(f"[bold red]{label}[/] {escape(message)}", soft_wrap=True)
    if isinstance(error, InvalidInput):
        for problem in error.errors:
            err.print(f"  {problem.location()}: {problem.message}", soft_wrap=True, markup=False)
    if hint:
        err.print(f"[bold]Hint:[/] {escape(hint)}", soft_wrap=True)


def _shown(value: object) -> str:
    if value is None:
        return "(not recorded)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
