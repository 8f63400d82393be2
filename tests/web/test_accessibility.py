"""Every page template, in both languages, has no WCAG 2.2 A/AA violation axe-core can find.

Pages are found by following links from each start page, so new life events,
services and organisations are checked without editing this file. The first
page of each kind is also checked at phone width (target sizes, reflow) and
photographed to test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.support.browser import (
    DESKTOP,
    MOBILE,
    axe_violations,
    describe_violations,
    screenshot,
)
from tests.support.site_pages import KINDS, LANGUAGES, SiteMap

EXPECTED_STATUS = {"not-found": 404, "bad-request": 400}


@pytest.mark.browser
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_of_each_template_have_no_wcag_violations(
    page: Page, site_maps: dict[str, SiteMap], lang: str, kind: str
) -> None:
    paths = site_maps[lang].of(kind)
    assert paths, f"no link from /{lang}/ leads to a {kind!r} page"
    problems = []
    for number, path in enumerate(paths):
        response = page.goto(path)
        assert response is not None
        assert response.status == EXPECTED_STATUS.get(kind, 200), path
        if found := axe_violations(page):
            problems.append(describe_violations(path, found))
        if number == 0:
            screenshot(page, f"{lang}-{kind}-desktop")
            page.set_viewport_size(MOBILE)
            if found := axe_violations(page):
                problems.append(describe_violations(f"{path} at {MOBILE['width']} px", found))
            screenshot(page, f"{lang}-{kind}-mobile")
            page.set_viewport_size(DESKTOP)
    print(f"\n{lang} {kind}: {len(paths)} page(s) checked")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_linked_page_is_of_a_template_checked_here(
    site_maps: dict[str, SiteMap], lang: str
) -> None:
    unknown = site_maps[lang].pages.get("other", [])
    assert not unknown, (
        f"pages of a template this module does not know: {unknown}; "
        "add their URL pattern to tests/support/site_pages.py"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_linked_page_answers(site_maps: dict[str, SiteMap], lang: str) -> None:
    assert not site_maps[lang].broken, "\n".join(site_maps[lang].broken)


@pytest.mark.browser
def test_the_checker_reports_a_field_without_a_label(page: Page) -> None:
    # Zero violations above only means something if this check can fail.
    page.set_content('<html lang="en"><title>Form</title><main><input type="text"></main></html>')
    assert "label" in {violation["id"] for violation in axe_violations(page)}
