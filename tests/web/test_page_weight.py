"""Every page, with the stylesheets, images and scripts it pulls in, weighs under 100 KB.

Measured on the wire from the live server, as a first-time visitor (nothing
cached) downloads it. ``pytest -s`` prints the weights; ``benchmarks/page_weight.py``
prints the same figures as a table.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support.page_weight import BUDGET_BYTES, weigh
from tests.support.site_pages import KINDS, LANGUAGES, SiteMap


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_weigh_less_than_100_kb_with_everything_they_load(
    live_server: str, site_maps: dict[str, SiteMap], lang: str, kind: str
) -> None:
    paths = site_maps[lang].of(kind)
    assert paths, f"no link from /{lang}/ leads to a {kind!r} page"
    with httpx.Client(base_url=live_server) as client:
        weights = [weigh(client, live_server + path) for path in paths]
    print()
    for weight in weights:
        print(weight.describe())
    broken = [problem for weight in weights for problem in weight.broken]
    assert not broken, "assets that do not load: " + "; ".join(broken)
    heavy = [weight.describe() for weight in weights if weight.total >= BUDGET_BYTES]
    assert not heavy, f"pages of {BUDGET_BYTES} bytes or more:\n" + "\n".join(heavy)
