"""The Lagou (拉勾网) site adapter: listing URLs, listing-page parsing and block detection.

`read_page` parses a fetched page once and hands the tree to block detection and then to the
listing readers; `detect_block` and `parse_listing` are the two halves on their own. A listing
is read in order of trust: the NEW page's `__NEXT_DATA__` JSON (`layout="next_data"`), then the
NEW job cards in the DOM (`"dom"`, for pages whose JSON is missing or lacks the result list),
then the OLD `li.con_list_item` markup (`"old"`). A page with none of them is either the
empty-result page or a changed layout (`LayoutChangedError`). The readers live in `next_data`,
`dom` and `block`; this module only chooses between them. Everything here is pure: no browser,
no network, no per-run state.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlencode, urlsplit

from selectolax.lexbor import LexborNode

from scraper.common.errors import IncompletePageError, LayoutChangedError, WrongAnswerError
from scraper.model.cities import CITIES
from scraper.model.cleaning import clean_posting
from scraper.model.navigation import LOADED, Navigate, ReadyRule, Step
from scraper.model.postings import Block, ListingPage, Posting
from scraper.sites.lagou.block import block_from_url, block_in_page, detect_block
from scraper.sites.lagou.dom import (
    has_empty_marker,
    read_new_cards,
    read_new_has_next,
    read_old_has_next,
    read_old_items,
)
from scraper.sites.lagou.next_data import posting_from_job, read_jobs
from scraper.sites.markup import parse_html

LISTING_PATH = "/wn/jobs"
DEFAULT_BASE_URL = "https://www.lagou.com"
# The result list is in the server HTML and images are blocked: the page needs no other host.
ASSET_HOSTS: tuple[str, ...] = ()
# Lagou shows at most 30 pages of 15 jobs per search (reference §3.3).
PAGE_SIZE = 15
MAX_PAGES = 30
LAYOUT_NEXT_DATA = "next_data"
LAYOUT_DOM = "dom"
LAYOUT_OLD = "old"
# Elements only an OLD page has; they name the layout of an OLD empty-result page.
OLD_PAGE_MARKERS = ("#s_position_list", ".item_con_pager")


class LagouSite:
    """Lagou behind the `SiteAdapter` interface. Stateless: one instance serves every thread."""

    name = "lagou"
    display_name = "Lagou"
    default_base_url = DEFAULT_BASE_URL
    page_size = PAGE_SIZE
    max_pages = MAX_PAGES
    asset_hosts = ASSET_HOSTS
    # The listing is server-rendered (the result sits in __NEXT_DATA__): loaded means ready.
    ready: ReadyRule = LOADED

    def supports_city(self, city: str) -> bool:
        """Lagou's URLs take the Chinese city name itself: every known city works."""
        return any(known.name == city for known in CITIES)

    def steps_to(self, base_url: str, city: str, keyword: str, page: int, *, showing: int | None) -> tuple[Step, ...]:
        """Every Lagou page has its own URL: one navigation, whatever the tab shows."""
        return (Navigate(self.listing_url(base_url, city, keyword, page)),)

    def listing_url(self, base_url: str, city: str, keyword: str, page: int) -> str:
        """`{base}/wn/jobs?kd=…&city=…&pn=…`, percent-encoded (UTF-8), for 1-based `page`.

        A trailing slash on `base_url` is ignored. Raises ValueError for `page` < 1.
        """
        if page < 1:
            raise ValueError(f"page numbers start at 1, got {page}")
        query = urlencode({"kd": keyword, "city": city, "pn": page})
        return f"{base_url.rstrip('/')}{LISTING_PATH}?{query}"

    def read_page(self, url: str, title: str, html: str, *, listing_url: str) -> Block | ListingPage:
        """Read what the browser ended on: a `Block`, else the parsed listing (see `parse_listing`).

        `url` and `title` are the final page's (redirects are blocks); `listing_url` is the URL
        that was requested, used as `source_url` and for its `city`. The HTML is parsed once.
        Raises what `parse_listing` raises.
        """
        block = block_from_url(url)
        if block is not None:
            return block
        root = parse_html(html)
        jobs, total_count = read_jobs(root)
        block = block_in_page(root, jobs, title=title, html=html)
        if block is not None:
            return block
        return _read_listing(root, jobs, total_count, url=listing_url)

    def parse_listing(self, html: str, *, url: str) -> ListingPage:
        """Parse one listing page fetched from `url` (used as `source_url` and for its `city`).

        Returns the postings with `has_next` (None when the page shows no pager) and, on the
        empty-result page, no postings, `is_empty=True` and `has_next=False`. Raises
        `LayoutChangedError` when the page has neither job data nor the empty-result marker, and
        `IncompletePageError` when a listing was cut off before its pager or inside its JSON.
        """
        root = parse_html(html)
        return _read_listing(root, *read_jobs(root), url=url)

    def detect_block(self, url: str, title: str, html: str) -> Block | None:
        """A `Block` for a rate-limit, verify, login, WAF, forbidden or interstitial page, else None.

        Raises `IncompletePageError` when the page's `__NEXT_DATA__` was cut off mid-JSON.
        """
        return detect_block(url, title, html)


def _read_listing(root: LexborNode, jobs: list[object] | None, total_count: int | None, *, url: str) -> ListingPage:
    """The listing in a parsed page whose `__NEXT_DATA__` gave `jobs` and `total_count`, its
    postings cleaned (`clean_posting`) and filed under the queried city (`file_under_query_city`)."""
    page = _read_raw_listing(root, jobs, total_count, url=url)
    if not page.postings:
        return page
    cleaned = (clean_posting(posting) for posting in page.postings)
    postings = file_under_query_city([p for p in cleaned if p is not None], city=query_city(url), url=url)
    return dataclasses.replace(page, postings=postings)


def file_under_query_city(postings: list[Posting], *, city: str | None, url: str) -> tuple[Posting, ...]:
    """`postings` with the queried `city` as their city: a row is filed under the city asked for.

    Raises `WrongAnswerError` when every posting names another city (the site answered another
    query, or sent text in an encoding it did not declare, which mangles the names): such a
    page is a wrong answer, not data. Without a queried city the postings stay as they are.
    """
    if city is None or not postings:
        return tuple(postings)
    others = [posting.city for posting in postings if posting.city != city]
    if len(others) == len(postings):
        named = ", ".join(dict.fromkeys(others))
        raise WrongAnswerError(f"every job on the page names another city ({named[:60]}), not {city}: {url}")
    return tuple(posting if posting.city == city else dataclasses.replace(posting, city=city) for posting in postings)


def _read_raw_listing(root: LexborNode, jobs: list[object] | None, total_count: int | None, *, url: str) -> ListingPage:
    city_hint = query_city(url)
    from_json = (posting_from_job(job, city_hint=city_hint, source_url=url) for job in jobs or ())
    postings: list[Posting] = [posting for posting in from_json if posting is not None]
    if postings:
        return ListingPage(tuple(postings), read_new_has_next(root), False, LAYOUT_NEXT_DATA, total_count)
    postings = read_new_cards(root, city_hint=city_hint, source_url=url)
    if postings:
        has_next = read_new_has_next(root)
        if has_next is None and root.css_first("#jobList") is not None:
            # A full listing ends with its pager (and then __NEXT_DATA__): cards without one
            # mean the body was cut off, and taking them would skip the rest of the page.
            raise IncompletePageError(f"page cut short: job cards without the pager on {url}")
        return ListingPage(tuple(postings), has_next, False, LAYOUT_DOM, total_count)
    postings = read_old_items(root, city_hint=city_hint, source_url=url)
    if postings:
        return ListingPage(tuple(postings), read_old_has_next(root), False, LAYOUT_OLD, total_count)
    if has_empty_marker(root):
        layout = _empty_page_layout(root, has_json=jobs is not None)
        return ListingPage((), False, True, layout, total_count)
    raise LayoutChangedError(f"no job data and no empty-result marker on {url}")


def query_city(url: str) -> str | None:
    """The `city` query parameter of a listing URL (the city a job falls back to), or None."""
    values = parse_qs(urlsplit(url).query).get("city")
    if not values:
        return None
    return values[0].strip() or None


def _empty_page_layout(root: LexborNode, *, has_json: bool) -> str:
    if has_json:
        return LAYOUT_NEXT_DATA
    if any(root.css_first(selector) is not None for selector in OLD_PAGE_MARKERS):
        return LAYOUT_OLD
    return LAYOUT_DOM
