"""A real Chromium driven by Playwright, and what tests ask of it: axe, focus, screenshots.

The browser is the system's own Chromium (Debian's ``/usr/bin/chromium``, or
``CIVITAS_CHROMIUM``); Playwright never downloads one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, Playwright, Route, ViewportSize

from tests.support.live_server import REPO_ROOT

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP = ViewportSize(width=1280, height=800)
MOBILE = ViewportSize(width=390, height=844)

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


def chromium_path() -> Path:
    return Path(os.environ.get("CIVITAS_CHROMIUM", DEFAULT_CHROMIUM))


def launch_chromium(playwright: Playwright, executable: Path) -> Browser:
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)


# ---------------------------------------------------------------- accessibility


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    results = AXE.run(page, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """One block per violation: what rule, how bad, how to fix, which elements."""
    lines = [f"{url}: {len(violations)} accessibility violation(s)"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"      at {target}")
            lines.append(f"         {node['failureSummary']}".replace("\n", "\n         "))
    return "\n".join(lines)


# ---------------------------------------------------------------- focus

# A focus indicator is a change the eye can see: outline, box-shadow or background,
# on the element or on its ::before/::after (cards often draw focus on a pseudo-element).
_FOCUS_SIGNATURE = """
(el) => {
  const part = (style) => {
    const outline = style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0
      ? 'none' : `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    return [outline, style.boxShadow, style.backgroundColor].join(' | ');
  };
  return [null, '::before', '::after'].map((p) => part(getComputedStyle(el, p))).join(' || ');
}
"""

_REMEMBER_UNFOCUSED = f"""
() => {{
  const signature = {_FOCUS_SIGNATURE};
  window.__civitasUnfocused = new Map();
  const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]';
  for (const el of document.querySelectorAll(focusable)) {{
    window.__civitasUnfocused.set(el, signature(el));
  }}
}}
"""

_FOCUSED = f"""
() => {{
  const el = document.activeElement;
  const signature = {_FOCUS_SIGNATURE};
  const before = window.__civitasUnfocused && window.__civitasUnfocused.get(el);
  return {{
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute('href') || '',
    type: el.getAttribute('type') || '',
    name: el.getAttribute('name') || '',
    text: (el.innerText || el.value || '').trim().replace(/\\s+/g, ' '),
    unfocused: before || null,
    focused: signature(el),
  }};
}}
"""


class KeyboardUser:
    """Moves through a page with Tab, Shift+Tab and Enter only, as a keyboard user does."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def arrive(self) -> None:
        """After each page load: remember how every focusable element looks unfocused."""
        self.page.wait_for_load_state()
        self.page.evaluate(_REMEMBER_UNFOCUSED)

    def press(self, key: str) -> dict[str, Any]:
        """Press a key that keeps us on the page; return what has focus afterwards."""
        self.page.keyboard.press(key)
        return self.focused()

    def focused(self) -> dict[str, Any]:
        focused: dict[str, Any] = self.page.evaluate(_FOCUSED)
        return focused

    def follow(self) -> None:
        """Press Enter on the focused link and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.arrive()

    def tab_until(self, wanted: str, limit: int = 80) -> dict[str, Any]:
        """Tab forward until the focused element matches the CSS selector ``wanted``.

        Every element passed on the way must show that it has focus.
        """
        for _ in range(limit):
            focused = self.press("Tab")
            assert_focus_visible(focused)
            if self.page.evaluate("(s) => document.activeElement.matches(s)", wanted):
                return focused
        raise AssertionError(f"{limit} presses of Tab never reached {wanted!r}")


def assert_focus_visible(focused: dict[str, Any]) -> None:
    assert focused["unfocused"] is not None, f"focus went to an unexpected element: {focused}"
    assert focused["focused"] != focused["unfocused"], (
        f"focus is invisible on <{focused['tag']} href={focused['href']!r}> {focused['text']!r}: "
        f"outline, box-shadow and background look the same with and without focus "
        f"({focused['focused']})"
    )


# ---------------------------------------------------------------- screenshots


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------- pages rendered ahead

Served = dict[str, tuple[int, str, bytes]]
"""Path -> (status, content type, body): pages a portal rendered before the browser started
(Playwright's event loop must not overlap with the portal's), and what they load."""

_ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def keep_assets(client: TestClient, served: Served) -> None:
    """Add to ``served`` the style sheets and images its pages load, as the portal serves them."""
    for _status, _kind, body in list(served.values()):
        for asset in _ASSET.findall(body.decode(errors="replace")):
            loaded = client.get(asset)
            served[asset] = (200, loaded.headers["content-type"], loaded.content)


def check_served_page(
    browser: Browser, served: Served, origin: str, path: str, name: str, viewport: ViewportSize
) -> list[dict[str, Any]]:
    """Load ``path`` of ``served`` as from ``origin``, keep a screenshot ``name``; the axe
    violations (WCAG 2.2 A and AA) of the page."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()

    def fulfil(route: Route) -> None:
        found = served.get(route.request.url.removeprefix(origin).split("?")[0])
        if found is None:
            route.fulfill(status=404, body="")
        else:
            status, kind, body = found
            route.fulfill(status=status, content_type=kind, body=body)

    page.route(f"{origin}/**", fulfil)
    page.goto(origin + path)
    assert page.locator("h1").count() == 1  # the page itself, not an empty stand-in
    violations = axe_violations(page)
    screenshot(page, name)
    context.close()
    return violations
