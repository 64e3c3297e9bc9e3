"""Tell a 51job block page from a listing (pure: final URL, title and parsed page in, `Block` out).

The signals are those of reference 51job-pages.md §9.2, matched by DOM and title first and by
specific texts second, never by a bare "waf" substring (the normal page's scripts contain it):
a redirect off the search page (a login wall), the Aliyun slider page (「滑动验证页面」,
`#waf_nc_block`) or its overlay over the list (`#aliyunCaptcha-window-embed`, shown when the
page's own data call was refused), the 405 block page, a 「访问验证」 card in the list, and the
silent throttle: no cards and no empty-result notice under the generic title 「全国招聘」. A page
whose list never rendered (placeholders only, after the fetch layer's wait) is a block too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.model.postings import Block
from scraper.sites.job51.cards import find_cards, is_verify_card, read_card
from scraper.sites.markup import visible_text

SEARCH_PATH = "/pc/search"
LOGIN_MARKERS = ("login",)

REDIRECT = "redirect"
LOGIN_REDIRECT = "login_redirect"
SLIDER = "slider"
VERIFY_CARD = "verify_card"
FORBIDDEN = "forbidden"
SILENT_THROTTLE = "silent_throttle"
NOT_RENDERED = "not_rendered"

SLIDER_TITLE = "滑动验证页面"
SLIDER_SELECTORS = (
    "#waf_nc_block",
    "#WAF_NC_WRAPPER",
    "#aliyunCaptcha-window-embed",
    "#nc_1_n1z",
    ".nc_bg",
    'script[name^="aliyunwaf_"]',
)
SLIDER_TEXTS = ("请按住滑块", "拖动下方滑块", "滑动滑块")
FORBIDDEN_TEXT = "您的访问被阻断"
THROTTLE_TITLE = "全国招聘"
EMPTY_SELECTOR = ".j_nolist"
EMPTY_TEXT = "暂无相关职位"
PLACEHOLDER = ".job-item"
LIST = ".joblist"


def block_from_url(url: str) -> Block | None:
    """A `Block` when the browser ended anywhere but the search page (a login wall or another redirect)."""
    parts = urlsplit(url)
    if parts.path.rstrip("/") == SEARCH_PATH:
        return None
    where = f"{parts.netloc}{parts.path}"
    if any(marker in where.lower() for marker in LOGIN_MARKERS):
        return Block(LOGIN_REDIRECT, where)
    return Block(REDIRECT, where)


def block_in_page(root: LexborNode, *, title: str) -> Block | None:
    """The block the page shows, or None for a listing (cards or the empty-result notice)."""
    body = root.css_first("body")
    text = visible_text(body) if body is not None else ""
    return _waf_block(root, title=title, text=text) or _list_block(root, title=title, text=text)


def _waf_block(root: LexborNode, *, title: str, text: str) -> Block | None:
    """The slider (page, overlay or widget) or the 405 block page."""
    if SLIDER_TITLE in title:
        return Block(SLIDER, SLIDER_TITLE)
    marker = next((s for s in SLIDER_SELECTORS if root.css_first(s) is not None), None)
    marker = marker or next((m for m in SLIDER_TEXTS if m in text), None)
    if marker is not None:
        return Block(SLIDER, marker)
    if FORBIDDEN_TEXT in text:
        return Block(FORBIDDEN, FORBIDDEN_TEXT)
    return None


def _list_block(root: LexborNode, *, title: str, text: str) -> Block | None:
    """What the list says: a 访问验证 card, an emptied list under 全国招聘, placeholders only."""
    cards = [read_card(node) for node in find_cards(root)]
    if any(is_verify_card(card) for card in cards):
        return Block(VERIFY_CARD, "访问验证")
    if cards or has_empty_notice(root, text):
        return None
    if THROTTLE_TITLE in title:
        return Block(SILENT_THROTTLE, f"no cards under the title {title!r}")
    if root.css_first(PLACEHOLDER) is not None:
        return Block(NOT_RENDERED, "placeholders only: the list did not render in time")
    return None


def has_empty_notice(root: LexborNode, text: str) -> bool:
    """True when the page says the search found nothing (`.j_nolist`, or 「暂无相关职位」 in the list)."""
    if root.css_first(EMPTY_SELECTOR) is not None:
        return True
    listing = root.css_first(LIST)
    return listing is not None and EMPTY_TEXT in visible_text(listing)
