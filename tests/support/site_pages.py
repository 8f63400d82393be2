"""Find the portal's pages the way a visitor does: by following links from the start page.

Each page is sorted into the template it is rendered with ("kind"), so tests can
check every template without hard-coding which services or life events exist.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

LANGUAGES = ("en", "pt")  # the demo country's languages; every page is checked in each
MAX_PAGES = 1000
NO_RESULTS_QUERY = "qqxzvvkkjj"

# Every template of the portal, as the kind of page it renders. Most pages are
# reached by following links; search answers and error pages are asked for.
KINDS = (
    "start",
    "life-event",
    "services",
    "service",
    "organisations",
    "organisation",
    "search",
    "search-no-results",
    "not-found",
    "bad-request",
    "screener",
)
REQUESTED_KINDS = ("search", "search-no-results", "not-found", "bad-request")


class LinkParser(HTMLParser):
    """Collects the targets of <a href> and the text of the first <h1>."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)
        if tag == "h1" and not self.h1:
            self._in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


def kind_of(path: str, lang: str) -> str:
    rest = path.removeprefix(f"/{lang}/").strip("/")
    patterns = {
        "start": r"",
        "life-event": r"life-events/[^/]+",
        "services": r"services",
        "service": r"services/[^/]+",
        "organisations": r"organisations",
        "organisation": r"organisations/[^/]+",
        "search": r"search",
        "screener": r"check-what-you-may-get",  # its first page; the others answer a form
    }
    for kind, pattern in patterns.items():
        if re.fullmatch(pattern, rest):
            return kind
    return "other"


@dataclass
class SiteMap:
    """The pages of one language, by kind, in the order they were found."""

    lang: str
    pages: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # linked pages that did not answer 200

    def of(self, kind: str) -> list[str]:
        """Pages of the kind: the one asked for directly (if any), then those reached by links."""
        requested = [self.requested(kind)] if kind in REQUESTED_KINDS else []
        return requested + self.pages.get(kind, [])

    def requested(self, kind: str) -> str:
        lang = self.lang
        if kind == "search":
            # The name of a real service always finds something.
            services = self.pages.get("service")
            assert services, f"no link from /{lang}/ leads to a service to search for"
            service = services[0]
            return f"/{lang}/search?" + urlencode({"q": self.titles[service]})
        if kind == "search-no-results":
            return f"/{lang}/search?q={NO_RESULTS_QUERY}"
        if kind == "not-found":
            return f"/{lang}/no-such-page"
        if kind == "bad-request":
            return f"/{lang}/search?q={'x' * 201}"
        raise ValueError(kind)


def crawl(client: httpx.Client, lang: str) -> SiteMap:
    """Breadth-first from ``/{lang}/`` over same-language links (no queries, no fragments)."""
    site = SiteMap(lang)
    queue, seen = deque([f"/{lang}/"]), {f"/{lang}/"}
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        try:
            response = client.get(path)
        except httpx.TransportError as error:
            site.broken.append(f"{path}: no answer ({error!r})")
            continue
        if response.status_code == 303 and response.headers["location"].startswith(
            f"/{lang}/sign-in?"
        ):
            continue  # a page for signed-in people: it asks to sign in, and is tested apart
        if response.status_code != 200:
            site.broken.append(f"{path}: answered {response.status_code}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        parser = LinkParser()
        parser.feed(response.text)
        site.pages.setdefault(kind_of(path, lang), []).append(path)
        site.titles[path] = " ".join(parser.h1.split())
        here = urlsplit(str(response.url))
        for href in parser.links:
            target = urlsplit(urljoin(here.geturl(), href))
            if target.netloc != here.netloc or target.query:
                continue
            if target.path.startswith(f"/{lang}/") and target.path not in seen:
                seen.add(target.path)
                queue.append(target.path)
    return site
