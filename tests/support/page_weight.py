"""Weigh a page as a first-time visitor downloads it: the HTML and everything it pulls in.

Counts the bytes on the wire (compressed body as sent, plus status line and
headers) of the HTML, its stylesheets (and what they import or point to with
``url()``), images, icons and scripts. Nothing is cached between pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

BUDGET_BYTES = 100_000

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class AssetParser(HTMLParser):
    """Collects what the browser would download for an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and rel & {"stylesheet", "icon", "preload", "manifest"}:
            self.assets.append(values.get("href", ""))
        elif tag in {"img", "script", "source", "input"} and values.get("src"):
            self.assets.append(values["src"])
        if values.get("srcset"):
            self.assets.extend(part.split()[0] for part in values["srcset"].split(",") if part)
        if values.get("style"):
            self.inline_css.append(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline_css.append(data)


@dataclass
class PageWeight:
    url: str
    status: int
    html_bytes: int
    assets: dict[str, int] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # assets that did not answer 200

    @property
    def total(self) -> int:
        return self.html_bytes + sum(self.assets.values())

    def describe(self) -> str:
        parts = ", ".join(f"{urlsplit(url).path} {size}" for url, size in self.assets.items())
        return f"{self.total:>7} B  {self.url}  (html {self.html_bytes}; {parts or 'no assets'})"


def wire_bytes(response: httpx.Response) -> int:
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in response.headers.multi_items())
    return len(head) + 2 + response.num_bytes_downloaded


def css_references(css: str) -> list[str]:
    return [first or second for first, second in CSS_URL.findall(css)]


def weigh(client: httpx.Client, url: str) -> PageWeight:
    """The page at ``url`` and its assets, each asset counted once."""
    response = client.get(url)
    page = PageWeight(url, response.status_code, wire_bytes(response))
    parser = AssetParser()
    parser.feed(response.text)
    pending = [urljoin(url, ref) for ref in parser.assets]
    pending += [urljoin(url, ref) for css in parser.inline_css for ref in css_references(css)]
    while pending:
        asset = pending.pop(0)
        if asset in page.assets or asset.startswith("data:"):
            continue
        answer = client.get(asset)
        page.assets[asset] = wire_bytes(answer)
        if answer.status_code != 200:
            page.broken.append(f"{asset} answered {answer.status_code}")
        if "css" in answer.headers.get("content-type", ""):
            pending += [urljoin(asset, ref) for ref in css_references(answer.text)]
    return page
