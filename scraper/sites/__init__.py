"""Site adapters: one module per job site behind the small `SiteAdapter` interface.

An adapter builds listing URLs, parses a page's text into a `ListingPage` and tells a block
page from a listing; `read_page` does both on one parse of the page, which is what the worker
calls. Adapters are pure: no Selenium, no database, no per-run state. Adding a site is one new
module and one line in `SITES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from scraper.common.errors import ConfigError
from scraper.model.postings import Block, ListingPage
from scraper.sites.lagou.adapter import LagouSite


class SiteAdapter(Protocol):
    """What the runner needs from a site."""

    name: str
    max_pages: int

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
}


def get_site(name: str) -> SiteAdapter:
    """The adapter registered under `name` in `SITES`. Raises ConfigError for an unknown site."""
    factory = SITES.get(name)
    if factory is None:
        raise ConfigError(f"unknown site {name!r} (known: {', '.join(sorted(SITES))})")
    return factory()
