"""Letters: a real, tagged PDF (PDF/UA-1) in the print house's folder, read back with
pypdf; made once; waiting, never crashing, when WeasyPrint cannot load Pango."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from civitas.notifications import Channel, DeliveryState, Preferences
from civitas.notifications.domain import Outgoing
from civitas.notifications.letters import MakePdf
from civitas.notifications.ports import Written
from tests.notifications.support import ANA, PORTAL, World, offer, require_pango


def letter_of(world: World, message_id: str) -> tuple[DeliveryState, str]:
    (letter,) = [d for d in world.message(message_id).deliveries if d.channel is Channel.LETTER]
    return letter.state, letter.problem


def tags(node: Any, found: set[str]) -> set[str]:
    """Every structure type (/S) under ``node`` of the structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            tags(child, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            tags(node["/K"], found)
    return found


@pytest.fixture
def printed(world: World) -> tuple[str, Path]:
    """Ana's offer, made into a letter in Portuguese; its message id and file."""
    require_pango()
    world.choose(ANA, Preferences("pt", letters_on=True))
    (kept,) = world.keep(offer())
    assert world.send_due(world.dispatcher(world.letters())) == 1
    return kept, world.folder / "letters" / "2026-11-23" / f"{kept}.pdf"


def test_a_letter_is_printed_to_the_days_folder(world: World, printed: tuple[str, Path]) -> None:
    kept, path = printed
    assert path.is_file()
    assert letter_of(world, kept) == (DeliveryState.PRINTED, "")
    assert [p.name for p in (world.folder / "letters").rglob("*")] == ["2026-11-23", path.name]


def test_the_letter_is_a_tagged_pdf_with_its_language_and_title(
    printed: tuple[str, Path],
) -> None:
    reader = PdfReader(printed[1])
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "pt"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == "Pode receber: Abono de família"
    structure = tags(catalog["/StructTreeRoot"]["/K"], set())
    assert {"/H1", "/H2", "/P"} <= structure


def test_the_letter_says_the_message_to_the_address_with_the_link_written_out(
    printed: tuple[str, Path],
) -> None:
    kept, path = printed
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    for words in (
        "República da Valdória",
        "Ana Costa Rua das Flores 12 1200-001 Porto Alta",
        "23 de novembro de 2026",
        f"{kept}",
        "Pode receber: Abono de família",
        "O valor é 120,50 €.",
        "Porque lho propomos: A sua filha Carla nasceu.",
        f"{PORTAL}/pt/inbox/decision-1",
        f"{PORTAL}/pt/messages/{kept}",
    ):
        assert words in text.replace("\u00a0", " ")


def test_a_letter_made_before_is_not_made_again(world: World, printed: tuple[str, Path]) -> None:
    kept, path = printed
    made: list[str] = []

    def counting() -> MakePdf:
        def make(html: str) -> bytes:
            made.append(html)
            return b"%PDF-again"

        return make

    letters = world.letters(load=counting)
    assert letters.unavailable() == ""
    message = world.message(kept)
    filled = world.templates.fill(message.template, message.params, "pt")
    again = Outgoing(message.deliveries[1], message)
    asyncio.run(letters.send(again, Written(filled, "", "", "")))
    assert made == []
    assert path.read_bytes().startswith(b"%PDF-1")


def test_without_pango_letters_wait_with_what_to_install(world: World) -> None:
    def no_pango() -> MakePdf:
        raise OSError("cannot load library 'libpango-1.0-0': No such file")

    (kept,) = world.keep(offer())
    dispatcher = world.dispatcher(world.letters(load=no_pango))
    assert world.send_due(dispatcher) == 0
    state, problem = letter_of(world, kept)
    assert state is DeliveryState.WAITING
    assert "cannot load library 'libpango-1.0-0'" in problem
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in problem
    assert not (world.folder / "letters").exists()
    require_pango()
    assert world.send_due(world.dispatcher(world.letters())) == 1  # Pango installed, restarted
    assert letter_of(world, kept) == (DeliveryState.PRINTED, "")
