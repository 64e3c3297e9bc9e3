"""scraper.sites: the `SITES` registry, and `read_page`, the one-parse entry point the worker calls.

`read_page` hands one parsed tree to block detection and to the listing readers; its result must
be exactly what `detect_block` and `parse_listing` (tested in full in test_lagou_blocks.py and
test_lagou_parser.py) give on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.common.errors import ConfigError, LayoutChangedError
from scraper.model.postings import Block, ListingPage
from scraper.sites import SITES, get_site
from scraper.sites.lagou.adapter import LagouSite

FIXTURES = Path(__file__).parent / "fixtures" / "lagou"
NEW_URL = "https://www.lagou.com/wn/jobs?kd=Python&city=%E5%8C%97%E4%BA%AC&pn=2"
LAST_URL = "https://www.lagou.com/wn/jobs?kd=Python&city=%E4%B8%8A%E6%B5%B7&pn=30"
OLD_URL = "https://www.lagou.com/jobs/list_Python?city=%E5%8C%97%E4%BA%AC&cl=false&fromSearch=true"
# Where the browser may end up for NEW_URL: same page, other query order, no city to fall back on.
FINAL_URL = "https://www.lagou.com/wn/jobs?pn=2&fromSearch=true&kd=Python"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def site() -> LagouSite:
    return LagouSite()


def test_sites_registry_builds_adapters_by_name() -> None:
    assert sorted(SITES) == ["51job", "lagou"]
    assert isinstance(get_site("lagou"), LagouSite)
    with pytest.raises(ConfigError, match=r"^unknown site 'boss' \(known: 51job, lagou\)$"):
        get_site("boss")


@pytest.mark.parametrize(
    ("name", "url"),
    [("new_page.html", NEW_URL), ("new_dom_only.html", NEW_URL), ("last_page.html", LAST_URL),
     ("old_list.html", OLD_URL), ("empty.html", NEW_URL)],
)  # fmt: skip
def test_read_page_gives_the_listing_parse_listing_gives(site: LagouSite, name: str, url: str) -> None:
    html = read_fixture(name)

    page = site.read_page(FINAL_URL, "「Python招聘」-拉勾招聘", html, listing_url=url)

    assert isinstance(page, ListingPage)
    assert page == site.parse_listing(html, url=url)
    assert all(posting.source_url == url for posting in page.postings)  # the requested URL, not the final one


def test_read_page_raises_layout_changed_for_a_page_it_cannot_read(site: LagouSite) -> None:
    with pytest.raises(LayoutChangedError, match="no job data"):
        site.read_page(NEW_URL, "拉勾招聘", "<html><body><div id='__next'></div></body></html>", listing_url=NEW_URL)


def test_read_page_names_a_redirect_block_even_over_a_listing_body(site: LagouSite) -> None:
    final_url = "https://www.lagou.com/utrack/trackMid.html?f=https%3A%2F%2Fwww.lagou.com%2Fwn%2Fjobs"

    page = site.read_page(final_url, "", read_fixture("new_page.html"), listing_url=NEW_URL)

    assert page == Block("verify_redirect", "www.lagou.com/utrack/trackMid.html")


def test_read_page_names_a_block_body_at_the_listing_url(site: LagouSite) -> None:
    page = site.read_page(NEW_URL, "", read_fixture("block_rate_limit_2402.html"), listing_url=NEW_URL)

    assert page == Block("rate_limit", "state 2402")
