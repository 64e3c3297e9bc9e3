"""The site interface: what each adapter declares (root, cities, page size and cap, steps, ready rule).

The crawl engine and the fetch layer act on these declarations alone; these tests pin Lagou's
(one URL per page, ready once loaded) and the rule that picks a plain load over in-tab steps.
"""

from __future__ import annotations

import pytest

from scraper.model.navigation import LOADED, Click, Navigate, ReadyRule, is_plain_load
from scraper.sites import SITES, get_site

LAGOU_ROOT = "https://www.lagou.com"


def test_lagou_declares_its_root_page_size_cap_and_ready_rule() -> None:
    site = get_site("lagou")

    assert (site.name, site.default_base_url, site.page_size, site.max_pages) == ("lagou", LAGOU_ROOT, 15, 30)
    assert site.ready == LOADED
    assert site.ready.is_loaded_enough


@pytest.mark.parametrize("showing", [None, 1, 2, 7])
def test_lagou_reaches_every_page_by_its_own_url_whatever_the_tab_shows(showing: int | None) -> None:
    site = get_site("lagou")

    steps = site.steps_to(LAGOU_ROOT, "北京", "Python", 2, showing=showing)

    assert steps == (Navigate(site.listing_url(LAGOU_ROOT, "北京", "Python", 2)),)


def test_lagou_supports_the_known_cities_only() -> None:
    site = get_site("lagou")

    assert site.supports_city("北京")
    assert site.supports_city("成都")
    assert not site.supports_city("火星")


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_site_has_a_cap_its_ready_rule_can_wait_for(name: str) -> None:
    site = get_site(name)

    assert site.page_size > 0
    assert site.max_pages > 0
    assert site.ready.is_loaded_enough or site.ready.timeout > 0


def test_a_plain_load_is_one_navigation_to_the_url_with_nothing_to_wait_for() -> None:
    url = "http://127.0.0.1/x"
    waiting = ReadyRule(selectors=(".item",), timeout=5)

    assert is_plain_load((Navigate(url),), url, LOADED)
    assert not is_plain_load((Navigate(url),), url, waiting)
    assert not is_plain_load((Navigate("http://127.0.0.1/y"),), url, LOADED)
    assert not is_plain_load((Navigate(url), Click(".next")), url, LOADED)
    assert not is_plain_load((Click(".next"),), url, LOADED)
