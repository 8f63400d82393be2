"""The screener in a real Chromium: a keyboard-only walk to the results, and axe on every page.

The portal runs as its own process (``civitas serve``, the demo country) and the
browser is Debian's Chromium, as in tests/web. Each page of the walk, its error state
and the results are checked with axe-core (WCAG 2.2 A/AA) in both languages, at desktop
and phone width, and photographed to test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    DESKTOP,
    MOBILE,
    KeyboardUser,
    assert_focus_visible,
    axe_violations,
    describe_violations,
    screenshot,
)

# live_server, browser and page come from tests/support/portal.py.

pytestmark = pytest.mark.browser

BIRTH_DATES = {
    "you": ("1", "5", "1985"),
    "partner": ("3", "9", "1987"),
    "child1": ("10", "2", "2024"),
}


def accessible(page: Page, name: str, problems: list[str]) -> None:
    """Axe at desktop and phone width; a photograph of each."""
    for size, label in ((DESKTOP, "desktop"), (MOBILE, "mobile")):
        page.set_viewport_size(size)
        if found := axe_violations(page):
            problems.append(describe_violations(f"{name} at {size['width']} px", found))
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def questions(page: Page) -> list[str]:
    asked = page.locator("input[name=asked]")
    return (asked.get_attribute("value") or "").split() if asked.count() else []


def answer_with_the_keyboard(page: Page, user: KeyboardUser, key: str) -> None:
    """Reach the question's first field with Tab, then answer with keys only."""
    member, variable = key.split(".")
    base = "q-" + key.replace(".", "-")
    if page.locator(f"#{base}-day").count():
        user.tab_until(f"#{base}-day")
        if variable == "birth_date" and member in BIRTH_DATES:
            day, month, year = BIRTH_DATES[member]
            page.keyboard.type(day)
            user.press("Tab")
            page.keyboard.type(month)
            user.press("Tab")
            page.keyboard.type(year)
        else:
            user.tab_until(f"#{base}-unknown")
            user.press("Space")
    elif page.locator(f"#{base}-true").count():  # yes / no: the arrow moves to "No"
        user.tab_until(f"#{base}-true")
        user.press("ArrowRight")
    elif page.locator(f"input[type=radio][name='q.{key}']").count():
        user.tab_until(f"input[type=radio][name='q.{key}']")
        user.press("ArrowUp")  # from the first choice round to the last: I do not know
    elif page.locator(f"select#{base}").count():
        user.tab_until(f"select#{base}")
        user.press("End")
    else:
        user.tab_until(f"#{base}")
        page.keyboard.type("12" if "month" in variable else "450")
    focused = user.focused()
    assert_focus_visible(focused)


def test_keyboard_user_goes_from_the_start_page_to_the_results(page: Page) -> None:
    page.goto("/en/")
    user = KeyboardUser(page)
    user.arrive()
    user.tab_until('main a[href="/en/check-what-you-may-get"]')
    user.follow()
    expect(page.locator("h1")).to_have_text("Check what you may get")

    user.tab_until("#partner-yes")
    user.press("Space")
    user.tab_until("#children")
    page.keyboard.type("1")
    user.follow()  # Enter in a text field sends the form

    pages = 0
    while keys := questions(page):
        pages += 1
        assert pages < 25, "the screener never reached its results"
        for key in keys:
            answer_with_the_keyboard(page, user, key)
        user.tab_until("main button[type=submit]")
        user.follow()
        assert not page.locator(".error-summary").count(), page.locator("main").inner_text()
    expect(page.locator("h1")).to_have_text("Your results")
    expect(page.locator("#may-get")).to_be_visible()
    user.tab_until("main details summary")
    user.press("Enter")
    assert page.locator("main details[open]").count() == 1


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_every_screener_page_has_no_wcag_violations(page: Page, lang: str) -> None:
    problems: list[str] = []
    page.goto(f"/{lang}/check-what-you-may-get")
    accessible(page, f"{lang}-screener-start", problems)

    page.locator("main button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    accessible(page, f"{lang}-screener-start-errors", problems)

    page.check("#partner-yes")
    page.fill("#children", "1")
    page.locator("main button[type=submit]").click()

    number = 0
    while keys := questions(page):
        number += 1
        assert number < 25
        accessible(page, f"{lang}-screener-page-{number}", problems)
        if number == 1:  # send it unanswered once: every field shows its error
            page.locator("main button[type=submit]").click()
            expect(page.locator(".error-summary")).to_be_visible()
            accessible(page, f"{lang}-screener-page-{number}-errors", problems)
        for key in keys:
            fill(page, key)
        page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(re.compile("Your results|Os seus resultados"))
    accessible(page, f"{lang}-screener-results", problems)
    for details in page.locator("main details").all():
        details.evaluate("element => { element.open = true }")
    accessible(page, f"{lang}-screener-results-open", problems)
    assert not problems, "\n\n".join(problems)


def fill(page: Page, key: str) -> None:
    member, variable = key.split(".")
    base = "q-" + key.replace(".", "-")
    if page.locator(f"#{base}-day").count():
        day, month, year = BIRTH_DATES.get(member, ("1", "10", "2026"))
        page.fill(f"#{base}-day", day)
        page.fill(f"#{base}-month", month)
        page.fill(f"#{base}-year", year)
    elif page.locator(f"#{base}-false").count():
        page.check(f"#{base}-true" if variable == "has_child_at_home" else f"#{base}-false")
    elif page.locator(f"input[type=radio][name='q.{key}']").count():
        wanted = {
            "employment_status": "unemployed",
            "school_level": "childcare",
            "tenure": "renter",
        }
        choice = page.locator(f"#{base}-{wanted.get(variable, '')}")
        if variable in wanted and choice.count():
            choice.check()
        else:
            page.locator(f"input[type=radio][name='q.{key}']").first.check()
    elif page.locator(f"select#{base}").count():
        page.select_option(f"select#{base}", index=2)
    else:
        page.fill(f"#{base}", "12" if "month" in variable else "450")
