"""Every user-visible text has a European Portuguese translation, and pt pages show it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from civitas.app import create_app
from civitas.catalogue import Catalogue
from civitas.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "civitas" / "locale" / "pt" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")

MessageId = str | tuple[str, ...]


def source_messages() -> dict[MessageId, list[str]]:
    """msgid -> files it is used in, extracted from the code the way pybabel does."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: dict[MessageId, list[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT / "civitas", method_map, options_map, keywords=keywords
    ):
        key: MessageId = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append(filename)
    return found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The demo portal, built once for this module: these tests only read pages."""
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("demo-data"), _env_file=None
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def messages() -> dict[MessageId, list[str]]:
    return source_messages()


@pytest.fixture(scope="module")
def portuguese() -> Catalog:
    with PO_FILE.open("rb") as fh:
        return read_po(fh, locale="pt")


def key_of(message_id: MessageId) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def test_the_source_has_texts_to_translate(messages: dict[MessageId, list[str]]) -> None:
    assert len(messages) > 100
    assert "What is happening in your life?" in messages
    assert "There is no service called {id}." in messages  # an N_() marker in code


def test_every_text_has_a_portuguese_translation(
    messages: dict[MessageId, list[str]], portuguese: Catalog
) -> None:
    missing = []
    for message_id, files in messages.items():
        entry = portuguese.get(key_of(message_id))
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else strings
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(f"{message_id!r} (used in {files[0]})")
    assert not missing, "Translate in messages.po:\n" + "\n".join(missing)


def test_portuguese_catalogue_holds_only_texts_the_source_uses(
    messages: dict[MessageId, list[str]], portuguese: Catalog
) -> None:
    used = {key_of(m) for m in messages}
    stale = [m.id for m in portuguese if m.id and key_of(m.id) not in used]
    assert not portuguese.obsolete, f"remove obsolete entries: {list(portuguese.obsolete)}"
    assert not stale, f"remove entries no code uses: {stale}"


def test_translations_keep_every_placeholder(portuguese: Catalog) -> None:
    wrong = []
    for entry in portuguese:
        if not entry.id:
            continue
        ids = (entry.id,) if isinstance(entry.id, str) else entry.id
        strings = (entry.string,) if isinstance(entry.string, str) else entry.string
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_portuguese_catalogue_uses_the_portuguese_plural_rule(portuguese: Catalog) -> None:
    assert portuguese.num_plurals == 2
    assert portuguese.plural_expr == "(n != 1)"


def pages(catalogue: Catalogue) -> list[str]:
    service = next(iter(catalogue.services))
    event = next(iter(catalogue.events))
    organisation = next(iter(catalogue.organisations))
    return [
        "/pt/",
        f"/pt/life-events/{event}",
        f"/pt/services/{service}",
        "/pt/services",
        "/pt/organisations",
        f"/pt/organisations/{organisation}",
        "/pt/search?q=registo",
        "/pt/search?q=qqxzvvkkjj",
        "/pt/search?q=" + "x" * 201,
        "/pt/no-such-page",
    ]


def test_portuguese_pages_show_no_english_interface_text(
    client: TestClient,
    demo_catalogue: Catalogue,
    messages: dict[MessageId, list[str]],
    portuguese: Catalog,
) -> None:
    # English texts of several words whose translation differs; one word ("Online")
    # may be the same in both languages.
    english = [
        key_of(m)
        for m in messages
        if " " in key_of(m)
        and not PLACEHOLDER.search(key_of(m))
        and (entry := portuguese.get(key_of(m))) is not None
        and entry.string != key_of(m)
    ]
    assert "Skip to main content" in english
    for path in pages(demo_catalogue):
        text = client.get(path).text
        shown = [phrase for phrase in english if phrase in text]
        assert not shown, f"{path} shows English: {shown}"


def test_portuguese_pages_show_known_translations(
    client: TestClient, demo_catalogue: Catalogue
) -> None:
    start = client.get("/pt/").text
    assert "O que está a acontecer na sua vida?" in start
    assert "Saltar para o conteúdo principal" in start
    results = client.get("/pt/search", params={"q": "registo"}).text
    assert re.search(r"\d+ resultados?\b", results)
