"""The messages pages and the notification settings of a signed-in person, in the real
portal: newest first, unread marked in words, read when opened, someone else's not
found; the settings form's errors in the house pattern, and choices that count."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civitas.notifications import Channel
from tests.identity.provider_support import number
from tests.notifications.portal import ANA, BRUNO, Portal, running_portal
from tests.notifications.support import offer
from tests.support.forms import post_form


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    folder = tmp_path_factory.mktemp("notifications-pages")
    with running_portal(folder, notification_seconds=3600) as world:  # tests send
        yield world


@pytest.fixture(scope="module")
def ana(portal: Portal) -> TestClient:
    return portal.signed_in(ANA)


@pytest.fixture(scope="module")
def told(portal: Portal) -> tuple[str, str]:
    """Two notices for Ana, minutes apart: an offer, then a suggestion without an address."""
    (first,) = portal.tell(offer("pages:1", number(ANA)))
    portal.clock.advance(dt.timedelta(minutes=5))  # less than a session's idle time
    suggestion = offer(
        "pages:2",
        number(ANA),
        template="service-suggested",
        params={
            "name": "Ana Costa",
            "service": {"en": "Housing allowance", "pt": "Subsídio de renda"},
            "reason": "",
        },
        address=None,
    )
    (second,) = portal.tell(suggestion)
    return first, second


def listed_subjects(page: str) -> list[str]:
    return re.findall(r'<a href="/\w+/messages/msg-[0-9a-f]+">([^<]+)</a>', page)


def test_the_messages_are_listed_newest_first_with_the_unread_marked_in_words(
    ana: TestClient, told: tuple[str, str]
) -> None:
    page = ana.get("/en/messages")
    assert page.status_code == 200, page.text
    assert listed_subjects(page.text) == [
        "You may be able to get Housing allowance",
        "You can get Child benefit",
    ]
    assert page.text.count(">New</strong>") == 2
    assert "You have 2 messages you have not read." in page.text
    assert "not read yet" in page.text  # said to screen readers too


def test_the_messages_are_in_the_pages_language(ana: TestClient, told: tuple[str, str]) -> None:
    page = ana.get("/pt/messages")
    assert "Pode receber: Abono de família" in listed_subjects(page.text)


def test_opening_a_message_shows_it_and_marks_it_read(
    portal: Portal, ana: TestClient, told: tuple[str, str]
) -> None:
    offered, suggested = told
    page = ana.get(f"/en/messages/{offered}")
    assert page.status_code == 200
    assert "<h1>You can get Child benefit</h1>" in page.text
    assert "The amount is €120.50." in page.text
    assert '<a class="button" href="/en/inbox/pages-1">Accept the offer</a>' in page.text
    assert "The letter is being made." in page.text
    assert portal.dispatch() == 1  # the offer's letter; the suggestion had no address
    page = ana.get(f"/en/messages/{offered}")
    assert "Letter printed on 2 March 2026; it comes by post in a few days." in page.text
    listed = ana.get("/en/messages").text
    assert listed.count(">New</strong>") == 1
    assert "You have 1 message you have not read." in listed
    assert "We could not send it by post." in ana.get(f"/en/messages/{suggested}").text


def test_someone_elses_message_is_not_found(portal: Portal, told: tuple[str, str]) -> None:
    bruno = portal.signed_in(BRUNO)
    answer = bruno.get(f"/en/messages/{told[0]}")
    assert answer.status_code == 404
    assert "Child benefit" not in answer.text
    assert bruno.get(f"/api/v1/me/messages/{told[0]}").status_code == 404
    assert listed_subjects(bruno.get("/en/messages").text) == []


def test_without_a_choice_the_settings_say_letters_come_by_post(portal: Portal) -> None:
    page = portal.signed_in(BRUNO).get("/en/account/notifications")
    assert page.status_code == 200
    assert "You have not chosen yet, so we send you letters by post as well, in English." in (
        page.text
    )
    assert re.search(r'value="letter" checked', page.text)
    assert not re.search(r'value="email" checked', page.text)


def test_answers_to_correct_are_shown_with_the_error_summary_and_nothing_is_kept(
    portal: Portal, tmp_path: Path
) -> None:
    browser = portal.signed_in(BRUNO)
    answer = post_form(
        browser,
        "/en/account/notifications",
        {"channels": ["email"], "email": "", "language": "fr"},
    )
    assert answer.status_code == 400
    page = answer.text
    assert "<title>Error: How we tell you" in page
    assert "There is a problem" in page
    assert (
        '<a href="#email">Enter your email address, or untick email to get no emails.</a>' in page
    )
    assert '<a href="#language">Choose the language we write to you in.</a>' in page
    assert 'id="email-error"' in page
    assert 'id="language-error"' in page
    assert re.search(r'value="email" checked', page)  # what was typed stays
    assert browser.get("/api/v1/me/notification-preferences").json()["saved"] is False
    wrong = post_form(
        browser,
        "/en/account/notifications",
        {"channels": ["email"], "email": "bruno at example", "language": "en"},
    )
    assert "Enter an email address like name@example.com." in wrong.text


def test_choices_saved_are_confirmed_and_count_for_the_next_notice(portal: Portal) -> None:
    browser = portal.signed_in(BRUNO)
    answer = post_form(
        browser,
        "/en/account/notifications",
        {"channels": ["email"], "email": "Bruno@Example.ORG", "language": "pt"},
        follow=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/en/account/notifications?saved=1"
    page = browser.get(answer.headers["location"]).text
    assert "Your choices are saved" in page
    assert 'value="Bruno@example.org"' in page
    assert re.search(r'id="language-pt" name="language" value="pt" checked', page)
    (kept,) = portal.tell(offer("pages:bruno", number(BRUNO)))
    assert portal.dispatch() == 0  # no mail server is set: the email waits
    message = browser.get(f"/api/v1/me/messages/{kept}").json()
    assert [(d["channel"], d["state"], d["language"]) for d in message["deliveries"]] == [
        (Channel.PORTAL.value, "delivered", "pt"),
        (Channel.EMAIL.value, "waiting", "pt"),
    ]
    assert "No mail server is set" in message["deliveries"][1]["problem"]
    page = browser.get(f"/en/messages/{kept}").text
    assert "We cannot send emails just now. It goes as soon as we can." in page


# ---------------------------------------------------------------- the JSON API


def test_the_api_lists_the_messages_in_the_language_asked(
    ana: TestClient, told: tuple[str, str]
) -> None:
    answer = ana.get("/api/v1/me/messages", params={"lang": "pt"})
    assert answer.status_code == 200
    assert answer.headers["content-language"] == "pt"
    messages = answer.json()["messages"]
    assert [m["id"] for m in messages] == [told[1], told[0]]
    offered = messages[1]
    assert offered["subject"] == "Pode receber: Abono de família"
    assert "O valor é 120,50\u00a0€." in offered["body"]
    assert (offered["action"], offered["link"]) == ("Aceitar a proposta", "/inbox/pages-1")
    assert [d["channel"] for d in offered["deliveries"]] == ["portal", "letter"]


def test_the_api_asks_for_a_session_before_reading_a_body(portal: Portal) -> None:
    stranger = portal.browser()
    for answer in (
        stranger.get("/api/v1/me/messages"),
        stranger.get("/api/v1/me/notification-preferences"),
        stranger.put("/api/v1/me/notification-preferences", content=b"not json at all"),
    ):
        assert answer.status_code == 401
        assert answer.json()["ok"] is False


def test_the_api_names_each_field_to_correct_in_the_one_error_shape(portal: Portal) -> None:
    browser = portal.signed_in(BRUNO)
    answer = browser.put("/api/v1/me/notification-preferences", content=b"[1, 2]")
    assert answer.status_code == 400
    assert answer.json()["errors"] == [{"path": "body", "message": "Not a JSON object."}]
    answer = browser.put(
        "/api/v1/me/notification-preferences",
        json={"email": "nope", "email_on": "yes", "language": "en"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == [{"path": "email_on", "message": "Give true or false."}]
    answer = browser.put(
        "/api/v1/me/notification-preferences",
        json={"email": "nope", "email_on": True, "letters_on": False, "language": "xx"},
    )
    body = answer.json()
    assert (body["ok"], body["status"]) == (False, 400)
    assert [e["path"] for e in body["errors"]] == ["email", "language"]


def test_the_api_keeps_choices_and_says_them_back(portal: Portal) -> None:
    browser = portal.signed_in(BRUNO)
    chosen = {"email": "bruno@example.org", "email_on": True, "letters_on": True, "language": "en"}
    answer = browser.put("/api/v1/me/notification-preferences", json=chosen)
    assert answer.status_code == 200
    assert answer.json() == {**chosen, "saved": True}
    assert browser.get("/api/v1/me/notification-preferences").json() == {**chosen, "saved": True}
