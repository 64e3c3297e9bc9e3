"""Site adapters: one module per job site behind the small `SiteAdapter` interface.

An adapter builds listing URLs, parses a page's text into a `ListingPage` and tells a block
page from a listing. Adapters are pure: no Selenium, no database, no per-run state. Adding a
site is one new module and one line in `SITES`.
"""

from __future__ import annotations

from typing import Protocol

from scraper.model.postings import Block, ListingPage


class SiteAdapter(Protocol):
    """What the runner needs from a site."""

    name: str
    max_pages: int

    def listing_url(self, base_url: str, city: str, keyword: str, page: int) -> str:
        """The URL of listing page `page` (1-based) for a city (Chinese name) and keyword."""
        ...

    def parse_listing(self, html: str, *, url: str) -> ListingPage:
        """Parse one listing page. Raises `LayoutChangedError` when no job data is readable."""
        ...

    def detect_block(self, url: str, title: str, html: str) -> Block | None:
        """A `Block` when the page is a block, verify, login or error page; else None."""
        ...


def get_site(name: str) -> SiteAdapter:
    """The adapter registered under `name`. Raises KeyError for an unknown site."""
    from scraper.sites.lagou.adapter import LagouSite

    sites: dict[str, SiteAdapter] = {"lagou": LagouSite()}
    return sites[name]
