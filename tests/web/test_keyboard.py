"""A keyboard-only visitor can reach a service from the start page, and search.

Only Tab, Shift+Tab, Enter and typing are used; every element that takes focus
on the way must show it (outline, box-shadow or background changes).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import KeyboardUser, assert_focus_visible

pytestmark = pytest.mark.browser


def test_keyboard_user_goes_from_start_page_to_a_service_through_a_life_event(
    page: Page,
) -> None:
    page.goto("/en/")
    user = KeyboardUser(page)
    user.arrive()

    skip_link = user.press("Tab")
    assert skip_link["href"] == "#main", f"the first Tab should reach the skip link: {skip_link}"
    assert_focus_visible(skip_link)
    landed = user.press("Enter")
    assert (landed["tag"], landed["id"]) == ("main", "main")

    event = user.tab_until('a[href*="/life-events/"]')
    user.follow()
    assert re.search(r"/en/life-events/[^/]+$", page.url), page.url
    expect(page.locator("h1")).to_have_text(re.compile(re.escape(event["text"]), re.I))

    service = user.tab_until('main a[href*="/services/"]')
    user.follow()
    assert re.search(r"/en/services/[^/]+$", page.url), page.url
    expect(page.locator("h1")).to_have_text(service["text"])


def test_shift_tab_goes_back_to_the_element_focused_before(page: Page) -> None:
    page.goto("/en/")
    user = KeyboardUser(page)
    user.arrive()
    user.press("Tab")
    first = user.press("Tab")
    second = user.press("Tab")
    back = user.press("Shift+Tab")
    assert second != first
    assert (back["tag"], back["href"], back["text"]) == (first["tag"], first["href"], first["text"])
    assert_focus_visible(back)


def misspelt(word: str) -> str:
    """The word with two letters in its middle swapped: ``register`` -> ``regsiter``."""
    middle = len(word) // 2
    return word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]


def test_keyboard_user_finds_a_service_despite_a_typo(page: Page) -> None:
    page.goto("/en/")
    wanted = page.locator('main a[href*="/life-events/"]').first
    page.goto(wanted.get_attribute("href") or "")
    service_link = page.locator('main a[href*="/services/"]').first
    service_name = service_link.inner_text().strip()
    service_href = service_link.get_attribute("href")
    query = misspelt(max(service_name.split(), key=len).lower())

    page.goto("/en/")
    user = KeyboardUser(page)
    user.arrive()
    box = user.tab_until('input[name="q"]')
    assert box["tag"] == "input"
    page.keyboard.type(query)
    user.follow()
    assert "/en/search?" in page.url

    assert page.locator('input[name="q"]').input_value() == query
    expect(page.locator(f'main a[href="{service_href}"]').first).to_be_visible()


def test_the_focus_check_notices_a_link_that_does_not_show_focus(page: Page) -> None:
    # The journeys above only prove focus is visible if this check can fail.
    page.set_content(
        '<html lang="en"><style>a:focus { outline: none }</style>'
        '<main><a href="#nowhere">Invisible focus</a></main></html>'
    )
    user = KeyboardUser(page)
    user.arrive()
    with pytest.raises(AssertionError, match="focus is invisible"):
        user.tab_until("a")
