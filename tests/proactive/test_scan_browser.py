"""The scan's report in a real Chromium: no WCAG 2.2 A/AA violation axe-core can find, in
English on a desk and Portuguese on a phone; its chart text stays readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from civitas.config import DEMO_PACK
from civitas.proactive.places import region_names
from civitas.proactive.scan.report import render_report
from tests.proactive.conftest import ScanWorld
from tests.support.browser import DESKTOP, MOBILE, axe_violations, describe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reports(scan_world: ScanWorld, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scan-reports")
    found = {}
    for language in ("en", "pt"):
        page = render_report(scan_world.scanned.result, language, region_names(DEMO_PACK))
        found[language] = folder / f"report-{language}.html"
        found[language].write_text(page, encoding="utf-8")
    return found


@pytest.mark.parametrize(
    ("language", "size"), [("en", DESKTOP), ("pt", MOBILE)], ids=["en-desktop", "pt-mobile"]
)
def test_the_report_has_no_accessibility_violation(
    browser: Browser, reports: dict[str, Path], language: str, size: dict[str, int]
) -> None:
    context = browser.new_context(viewport=size)  # type: ignore[arg-type]
    tab = context.new_page()
    try:
        tab.goto(reports[language].as_uri())
        violations = axe_violations(tab)
        assert not violations, describe_violations(reports[language].name, violations)
        assert tab.evaluate("document.documentElement.lang") == language
    finally:
        context.close()


def test_chart_text_is_at_least_14_pixels_on_a_phone(
    browser: Browser, reports: dict[str, Path]
) -> None:
    context = browser.new_context(viewport=MOBILE)
    tab = context.new_page()
    try:
        tab.goto(reports["en"].as_uri())
        smallest = tab.evaluate(
            "Math.min(...[...document.querySelectorAll('svg text')]"
            ".map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 14
        widest = tab.evaluate(
            "Math.max(...[...document.querySelectorAll('svg text')]"
            ".map(t => t.getBoundingClientRect().right))"
        )
        assert widest <= MOBILE["width"]  # values after the longest bar stay on screen
    finally:
        context.close()
