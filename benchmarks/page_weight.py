"""Print the weight of the portal's main pages: HTML plus every asset each one loads.

    .venv/bin/python benchmarks/page_weight.py            # starts its own server
    .venv/bin/python benchmarks/page_weight.py --url http://127.0.0.1:8000

One row per kind of page and language: the heaviest of the pages of that kind
found by following links from the start page. The budget is 100 000 bytes on
the wire per page, HTML and assets together, nothing cached.
Never asserts: tests/web/test_page_weight.py does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.live_server import live_server
from tests.support.page_weight import BUDGET_BYTES, weigh
from tests.support.site_pages import KINDS, crawl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Civitas; default: start one")
    parser.add_argument("--languages", default="en,pt")
    arguments = parser.parse_args()
    with ExitStack() as stack:
        base_url = arguments.url or stack.enter_context(
            live_server(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        )
        client = stack.enter_context(httpx.Client(base_url=base_url))
        columns = f"{'pages':>6}{'html':>8}{'assets':>8}{'total':>8}{'budget':>8}"
        print(f"{'lang':<5}{'page':<19}{columns}  url")
        for lang in arguments.languages.split(","):
            site = crawl(client, lang)
            for kind in KINDS:
                paths = site.of(kind)
                if not paths:
                    continue
                # The heaviest page of each kind is the one that counts against the budget.
                weights = [weigh(client, base_url.rstrip("/") + path) for path in paths]
                page = max(weights, key=lambda weight: weight.total)
                assets = page.total - page.html_bytes
                share = f"{page.total / BUDGET_BYTES:.0%}"
                path = page.url.removeprefix(base_url.rstrip("/"))
                print(
                    f"{lang:<5}{kind:<19}{len(paths):>6}{page.html_bytes:>8}{assets:>8}"
                    f"{page.total:>8}{share:>8}  {path[:60]}"
                )


if __name__ == "__main__":
    main()
