"""``civitas notifications status|preview|mail-sink``: the outbox, a template, a local mail server.

civitas notifications status
civitas notifications preview offer-made --lang pt --letter offer.pdf
civitas notifications mail-sink --port 8025 --folder var/mail
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from civitas.catalogue import load_catalogue
from civitas.config import load_settings
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_, load_translators
from civitas.db import create_engine_for, migrate
from civitas.notifications.dispatcher import written
from civitas.notifications.documents import LETTER_PAGE, Documents, Letterhead
from civitas.notifications.domain import (
    Channel,
    Delivery,
    DeliveryState,
    Message,
    Outgoing,
    ParamValue,
    PostalAddress,
)
from civitas.notifications.letters import load_weasyprint
from civitas.notifications.mail_sink import run_mail_sink
from civitas.notifications.pack import load_templates
from civitas.notifications.store import SqlNotificationStore
from civitas.notifications.templates import Filled

notifications_app = typer.Typer(help="Notifications: messages, emails and letters to people.")
out = Console(highlight=False)

SAMPLE: dict[str, ParamValue] = {  # what a preview fills in
    "name": "Ana Costa",
    "service": {"en": "Child benefit", "pt": "Abono de família"},
    "amount_cents": 12050,
    "reason": {
        "en": "Your daughter Carla was born on 1 June 2026.",
        "pt": "A sua filha Carla nasceu a 1 de junho de 2026.",
    },
    "missing": {"en": "the name of Carla's school.", "pt": "o nome da escola da Carla."},
}
SAMPLE_ADDRESS = PostalAddress("Ana Costa", "Rua das Flores", "12", "1200-001", "Porto Alta")


@notifications_app.callback()
def notifications() -> None:
    """Notifications: messages, emails and letters to people."""  # keeps commands subcommands


@notifications_app.command("status")
def status() -> None:
    """How many deliveries each channel has in each state."""
    engine = create_engine_for(load_settings().resolved_database_url)
    migrate(engine)
    counts = SqlNotificationStore(engine).counts()
    engine.dispose()
    if not counts:
        out.print("No notices have been kept yet.")
        return
    table = Table(title="Deliveries by channel and state", title_justify="left")
    table.add_column("Channel", no_wrap=True)
    for state in DeliveryState:
        table.add_column(state.value.capitalize(), justify="right")
    for channel in Channel:
        table.add_row(channel.value, *(str(counts.get((channel, s), 0)) for s in DeliveryState))
    out.print(table)


@notifications_app.command("preview")
def preview(
    template: Annotated[str, typer.Argument(help="A template id of notifications.yaml.")],
    lang: Annotated[str, typer.Option("--lang", help="The language; default: the pack's.")] = "",
    letter: Annotated[
        Path | None, typer.Option("--letter", help="Also write the letter, as PDF, to this file.")
    ] = None,
) -> None:
    """Show a template filled in with sample values, as a person would read it."""
    settings = load_settings()
    templates = load_templates(settings.country_pack)
    language = lang or templates.default_language
    if language not in templates.languages:
        raise InvalidInput(
            N_("The country pack has no language '{language}'."),
            hint=N_("Use one of: {languages}."),
            params={"language": language, "languages": ", ".join(templates.languages)},
            errors=(FieldError(("--lang",), N_("Not a language of the pack.")),),
        )
    found = templates.templates.get(template)
    params = {name: SAMPLE.get(name, f"[{name}]") for name in (found.placeholders if found else ())}
    filled = templates.fill(template, params, language)
    out.print(f"[bold]Subject:[/] {escape(filled.subject)}\n")
    out.print(escape(filled.body))
    if filled.action:
        out.print(f"[bold]Link:[/] {escape(filled.action)}")
    if letter is not None:
        sample = Message(
            "msg-preview",
            "preview",
            "000000000",
            template,
            params,
            "/inbox/preview",
            SAMPLE_ADDRESS,
            dt.datetime.now(dt.UTC),
        )
        letter.write_bytes(_letter(settings.country_pack, sample, filled, settings.portal_url))
        out.print(f"\nThe letter is in {letter}.")


def _letter(pack: Path, message: Message, filled: Filled, portal_url: str) -> bytes:
    """The letter of ``message``, as the dispatcher would make it."""
    country = load_catalogue(pack).country
    documents = Documents(
        Letterhead(country.name, country.portal_name), load_translators(country.languages)
    )
    delivery = Delivery(
        "ntf-preview",
        message.id,
        Channel.LETTER,
        filled.language,
        DeliveryState.PENDING,
        message.created_at,
    )
    outgoing = Outgoing(delivery, message)
    return load_weasyprint()(
        documents.html(LETTER_PAGE, outgoing, written(filled, message, portal_url))
    )


@notifications_app.command("mail-sink")
def mail_sink(
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8025,
    folder: Annotated[
        Path | None,
        typer.Option("--folder", help="The Maildir folder; default: mail in the data folder."),
    ] = None,
) -> None:
    """A local mail server keeping every email in a Maildir folder (sends nothing on)."""
    kept_in = folder or load_settings().data_dir / "mail"
    out.print(f"Mail sink at 127.0.0.1:{port}, keeping emails in {kept_in} (Ctrl-C stops it).")
    try:
        run_mail_sink(kept_in, port)
    except KeyboardInterrupt:
        out.print("Stopped.")
