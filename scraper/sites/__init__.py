"""Site adapters: one package per job site behind the small `SiteAdapter` interface.

An adapter owns everything particular to its site: its default root URL, the cities it has codes
for, its page size and page cap, how page N is reached (`steps_to`: navigate to a URL, or click and
jump inside the page), when a page is ready (`ready`: loaded, or its list rendered), its block
signals and its parsing (`read_page` does both on one parse of the page, which is what the worker
calls). The crawl engine and the fetch layer take these as data and never name a site. Adapters
are pure: no Selenium, no database, no per-run state. Adding a site is one new package, its
replica under `scraper.sandbox`, and one line in `SITES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from scraper.common.errors import ConfigError
from scraper.model.navigation import ReadyRule, Step
from scraper.model.postings import Block, ListingPage
from scraper.sites.job51.adapter import Job51Site
from scraper.sites.lagou.adapter import LagouSite


class SiteAdapter(Protocol):
    """What the runner needs from a site. Attributes are constants of the site."""

    name: str
    display_name: str
    default_base_url: str
    page_size: int
    max_pages: int
    ready: ReadyRule
    # Other hosts the real site's pages need (scripts of its WAF or front end), as Chrome proxy-bypass
    # patterns; the browser reaches these beside the root's host, and only when the root is the site's own.
    asset_hosts: tuple[str, ...]

    def supports_city(self, city: str) -> bool:
        """Whether the site can be searched for `city` (a Chinese name); a site with city codes
        answers False for a city it has no code for."""
        ...

    def steps_to(self, base_url: str, city: str, keyword: str, page: int, *, showing: int | None) -> tuple[Step, ...]:
        """How the browser reaches listing page `page` when its tab shows page `showing` of the
        same query (None: anything else, such as a fresh tab or a page that blocked)."""
        ...

    def listing_url(self, base_url: str, city: str, keyword: str, page: int) -> str:
        """The URL of listing page `page` (1-based) for a city (Chinese name) and keyword."""
        ...

    def read_page(self, url: str, title: str, html: str, *, listing_url: str) -> Block | ListingPage:
        """Parse the page the browser ended on (final `url`, `title`, `html`) once: a `Block` for
        a block page, else the listing requested at `listing_url`. Raises what `parse_listing` does."""
        ...

    def parse_listing(self, html: str, *, url: str) -> ListingPage:
        """Parse one listing page. Raises `LayoutChangedError` when no job data is readable and
        `IncompletePageError` when the page was cut off."""
        ...

    def detect_block(self, url: str, title: str, html: str) -> Block | None:
        """A `Block` when the page is a block, verify, login or error page; else None."""
        ...


# Site name → a factory of its adapter (adapters are stateless; each call gives a fresh one).
SITES: dict[str, Callable[[], SiteAdapter]] = {
    "lagou": LagouSite,
    "51job": Job51Site,
}


def get_site(name: str) -> SiteAdapter:
    """The adapter registered under `name` in `SITES`. Raises ConfigError for an unknown site."""
    factory = SITES.get(name)
    if factory is None:
        raise ConfigError(f"unknown site {name!r} (known: {', '.join(sorted(SITES))})")
    return factory()
