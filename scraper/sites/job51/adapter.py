"""The 51job (前程无忧) site adapter: city codes, the search URL, paging in the tab, readiness, reading.

The search page (`{root}/pc/search?jobArea=…&keyword=…&searchType=2`) is a Vue app: it shows
placeholders, fetches its list with its own signed data call and renders 20 cards seconds later,
and it ignores page numbers in its URL (reference 51job-pages.md §3-§5, §10). So page 1 is a
navigation, page N+1 a click on `button.btn-next` in the same tab, and any other page N (after a
block, a restart or a resume) a navigation plus N typed into the jump box `#jump_page`, as a
person would. The page is ready when fresh cards, the empty-result notice, an emptied list or a
block sign appear. The page number a listing URL carries (`pageNum`, ignored by the site) names
the page the cards must come from: cards of another page mean the page did not turn, a block.
The scraper never calls the page's data API and never opens a detail page. Pure: no browser, no
network, no per-run state.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from selectolax.lexbor import LexborNode

from scraper.common.errors import ConfigError, LayoutChangedError, WrongAnswerError
from scraper.model.cleaning import clean_posting
from scraper.model.navigation import Click, Navigate, ReadyRule, Step, TypeAndSubmit
from scraper.model.postings import Block, ListingPage, Posting
from scraper.sites.job51.block import block_from_url, block_in_page, has_empty_notice
from scraper.sites.job51.cards import find_cards, is_junk, posting_from_card, read_card, split_area
from scraper.sites.markup import parse_html, visible_text

DEFAULT_BASE_URL = "https://we.51job.com"
# The search page renders its list by script: Aliyun's WAF scripts come from g.alicdn.com
# (reference §4.1) and the site's own from its 51job.com hosts. Without them the list never renders.
ASSET_HOSTS: tuple[str, ...] = ("*.51job.com", "g.alicdn.com")
SEARCH_PATH = "/pc/search"
PAGE_SIZE = 20
MAX_PAGES = 50  # the pager never offers more than 50 pages of 20 (reference §10.1)
# `jobArea` codes (reference §3.3, the STRONG rows). A city without a code is refused, never 全国.
CITY_CODES: dict[str, str] = {
    "北京": "010000",
    "上海": "020000",
    "广州": "030200",
    "深圳": "040000",
    "杭州": "080200",
    "成都": "090200",
}
NEXT_BUTTON = "button.btn-next"
JUMP_BOX = "#jump_page"
JUMP_BUTTON = "span.jumpPage"
LAYOUT = "cards"
# Ready: fresh cards, the empty notice, a list emptied by the page, or a slider (page, overlay or
# widget). Up to 30 s (the real list is reported at 8-9 s, §4.1); any other page (a login wall, the
# 405 page) is read when the wait ends. Not "a page without a list": the real shell's list container
# may mount late, and reading placeholders early would turn every slow page into a block.
READY = ReadyRule(
    selectors=(
        ".joblist-item",
        ".j_nolist",
        ".joblist:not(:has(*))",
        "#aliyunCaptcha-window-embed",
        "#waf_nc_block",
        "#WAF_NC_WRAPPER",
    ),
    timeout=30.0,
    poll=0.1,
)
PAGE_NOT_TURNED = "page_not_turned"


class Job51Site:
    """51job behind the `SiteAdapter` interface. Stateless: one instance serves every thread."""

    name = "51job"
    display_name = "51job"
    default_base_url = DEFAULT_BASE_URL
    page_size = PAGE_SIZE
    max_pages = MAX_PAGES
    asset_hosts = ASSET_HOSTS
    ready = READY

    def supports_city(self, city: str) -> bool:
        """True for the cities 51job has a `jobArea` code for in `CITY_CODES`."""
        return city in CITY_CODES

    def listing_url(self, base_url: str, city: str, keyword: str, page: int) -> str:
        """`{root}/pc/search?jobArea=…&keyword=…&searchType=2`, plus `pageNum=N` for N > 1 (which the
        site ignores: it only records which page the listing is). Raises ConfigError for a city
        without a code and ValueError for `page` < 1."""
        if page < 1:
            raise ValueError(f"page numbers start at 1, got {page}")
        code = CITY_CODES.get(city)
        if code is None:
            raise ConfigError(f"51job has no city code for {city!r} (known: {', '.join(CITY_CODES)})")
        query = {"jobArea": code, "keyword": keyword, "searchType": 2}
        if page > 1:
            query["pageNum"] = page
        return f"{base_url.rstrip('/')}{SEARCH_PATH}?{urlencode(query)}"

    def steps_to(self, base_url: str, city: str, keyword: str, page: int, *, showing: int | None) -> tuple[Step, ...]:
        """Page 1: navigate. The page after the one shown: click Next. Any other: navigate, then jump."""
        first = Navigate(self.listing_url(base_url, city, keyword, 1))
        if page == 1:
            return (first,)
        if showing == page - 1:
            return (Click(NEXT_BUTTON),)
        return (first, TypeAndSubmit(JUMP_BOX, str(page), submit=JUMP_BUTTON))

    def read_page(self, url: str, title: str, html: str, *, listing_url: str) -> Block | ListingPage:
        """Read what the browser ended on: a `Block`, else the listing (see `parse_listing`)."""
        block = block_from_url(url)
        if block is not None:
            return block
        root = parse_html(html)
        block = block_in_page(root, title=title)
        if block is not None:
            return block
        return _read_listing(root, url=listing_url)

    def parse_listing(self, html: str, *, url: str) -> ListingPage:
        """Parse one rendered listing page requested as `url` (its city and page number).

        Postings are cleaned (`clean_posting`) and filed under the queried city. Raises
        `LayoutChangedError` when the page has neither real cards nor the empty notice (also for
        cards of another page number, which `read_page` returns as a `page_not_turned` block),
        and `WrongAnswerError` when every card names another city.
        """
        listing = _read_listing(parse_html(html), url=url)
        if isinstance(listing, Block):
            raise LayoutChangedError(f"cards of another page on {url} ({listing.detail})")
        return listing

    def detect_block(self, url: str, title: str, html: str) -> Block | None:
        """A `Block` for a slider, verify card, 405, login redirect, throttle or unrendered page, else None."""
        return block_from_url(url) or block_in_page(parse_html(html), title=title)


def _read_listing(root: LexborNode, *, url: str) -> ListingPage | Block:
    query = parse_qs(urlsplit(url).query)
    city = _city_of(query.get("jobArea", [""])[0])
    expected_page = int(query.get("pageNum", ["1"])[0])
    cards = [read_card(node) for node in find_cards(root)]
    real = [card for card in cards if not is_junk(card)]
    pages = {card.page for card in real if card.page is not None}
    if pages and pages != {expected_page}:
        shown = ", ".join(str(page) for page in sorted(pages))
        return Block(PAGE_NOT_TURNED, f"asked for page {expected_page}, the cards are of page {shown}")
    areas = [split_area(card.area)[0] for card in real]
    if real and city and all(area is not None and area != city for area in areas):
        named = ", ".join(dict.fromkeys(area for area in areas if area))
        raise WrongAnswerError(f"every job on the page names another city ({named[:60]}), not {city}: {url}")
    built = (clean_posting(posting_from_card(card, city=city, source_url=url)) for card in real)
    postings: list[Posting] = [posting for posting in built if posting is not None]
    if postings:
        return ListingPage(tuple(postings), _has_next(root), False, LAYOUT)
    body = root.css_first("body")
    if has_empty_notice(root, visible_text(body) if body is not None else ""):
        return ListingPage((), False, True, LAYOUT)
    raise LayoutChangedError(f"no readable job cards and no empty-result notice on {url}")


def _has_next(root: LexborNode) -> bool:
    """Whether the pager offers a next page: `button.btn-next` without `disabled`. No pager: one page."""
    button = root.css_first(NEXT_BUTTON)
    return button is not None and "disabled" not in button.attributes


def _city_of(code: str) -> str:
    return next((city for city, known in CITY_CODES.items() if known == code), "")
