"""Tell a Lagou block page from a listing page (pure: final URL, title and HTML in, `Block` out).

The fetcher hands over what the browser ended on. Redirect targets are recognised by URL PATH
(plus Lagou's dedicated passport/forbidden hosts), so a local replica serving the same paths is
detected like the real site. A page that carries job data (non-empty `__NEXT_DATA__` result,
NEW cards, OLD items) or the empty-result marker is a listing and never a block, even though
its header says 登录 or pre-renders a login dialog. Everything else is checked for the body
markers the reference lists (§8): the 操作太频繁 JSON, WAF challenge, login wall, interstitial,
and what recent scrapers report (§14): verification titles (安全验证, 人机验证, 验证中心), the
Next.js error pages (网络出错啦) and an HTML page where the page's JSON belongs.
`block_in_page` works on a tree the caller already parsed, so a page is parsed only once.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.model.postings import Block
from scraper.sites.lagou.dom import OLD_ITEM, find_new_cards, has_empty_marker
from scraper.sites.lagou.next_data import read_jobs
from scraper.sites.markup import parse_html

RATE_LIMIT = "rate_limit"
VERIFY_TITLE = "verify_title"
ERROR_PAGE = "error_page"
HTML_FOR_JSON = "html_for_json"
VERIFY_REDIRECT = "verify_redirect"
LOGIN_REDIRECT = "login_redirect"
FORBIDDEN = "forbidden"
LOGIN_WALL = "login_wall"
INTERSTITIAL = "interstitial"
WAF = "waf"

PASSPORT_HOST = "passport.lagou.com"
FORBIDDEN_HOST = "forbidden.lagou.com"
# Paths of the pages Lagou's JS and servers redirect to (reference §8.2, §8.3). Checked in order.
VERIFY_PATH_SUFFIXES = (
    "/utrack/trackMid.html",  # state 2402, and the NEW site's redirect without __lg_stoken__
    "/verify.html",  # /utrack/verify.html (2404), sec.lagou.com/verify.html (2405), /sms/verify.html (2406)
    "/common-sec/security-check.html",  # the __lg_stoken__ challenge
)
LOGIN_SEGMENT = "login"  # any path segment starting so: /login/login.html, /account/login, /login?…
FORBIDDEN_PATH_PREFIX = "/forbidden/"

RATE_LIMIT_TEXT = "操作太频繁"
_STATUS_FALSE = re.compile(r'"status"\s*:\s*false')
_STATE = re.compile(r'"state"\s*:\s*(\d+)')
DTACCESS_DENY = "dtaccess deny"
WAF_MARKERS = ("访问验证", "验证失败", "请进行验证")
LOGIN_WALL_MARKERS = ("密码登录", "验证码登录")
INTERSTITIAL_TEXT = "页面加载中"
# Titles of verification pages recent scrapers report (reference §14); 访问验证 is a WAF marker (§8).
VERIFY_TITLES = ("安全验证", "人机验证", "验证中心")
# The Next.js error pages (§14): the site's own and the framework's default.
ERROR_PAGE_MARKERS = ("网络出错啦", "An unexpected error has occurred", "Application error: a client-side exception")


def detect_block(url: str, title: str, html: str) -> Block | None:
    """A `Block` when the page is a rate-limit, verify, login, WAF, forbidden or interstitial
    page; None for a listing page and for anything not recognised (the parser then decides).

    Pure. Raises `IncompletePageError` when the page's `__NEXT_DATA__` was cut off mid-JSON.
    """
    block = block_from_url(url)
    if block is None:
        root = parse_html(html)
        block = block_in_page(root, read_jobs(root)[0], title=title, html=html)
    return block


def block_in_page(root: LexborNode, jobs: list[object] | None, *, title: str, html: str) -> Block | None:
    """The block that the body of a page shows; None for a listing and for an unrecognised page.

    `root` is the parsed `html`, `jobs` its `__NEXT_DATA__` result list (see `read_jobs`).
    """
    if is_listing(root, jobs):
        return None
    verify_title = next((marker for marker in VERIFY_TITLES if marker in title), None)
    if verify_title is not None:
        return Block(VERIFY_TITLE, verify_title)
    if _holds_html_for_json(root):
        return Block(HTML_FOR_JSON, "an HTML page where the page's JSON belongs")
    # Chrome shows a JSON answer HTML-escaped inside <pre>; decoding entities gives one text to search.
    return _block_from_text(f"{title}\n{html_lib.unescape(html)}")


def _holds_html_for_json(root: LexborNode) -> bool:
    """True when the `__NEXT_DATA__` script, or a JSON answer Chrome shows in a lone <pre>, holds HTML."""
    script = root.css_first("script#__NEXT_DATA__")
    pre = root.css("body > pre")
    texts = [script.text()] if script is not None else []
    texts += [pre[0].text()] if len(pre) == 1 else []
    return any(text.lstrip().lower().startswith(("<!doctype", "<html")) for text in texts)


def is_listing(root: LexborNode, jobs: list[object] | None) -> bool:
    """True when the page carries job data (`jobs` from its JSON, cards, items) or says the search found nothing."""
    return bool(jobs) or bool(find_new_cards(root)) or root.css_first(OLD_ITEM) is not None or has_empty_marker(root)


def block_from_url(url: str) -> Block | None:
    """A `Block` when the browser ended on a verify, login or forbidden page (by host and path), else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path
    where = f"{parts.netloc.rpartition('@')[2]}{path}"  # the host, never a user:password@ before it
    if any(path.endswith(suffix) for suffix in VERIFY_PATH_SUFFIXES):
        return Block(VERIFY_REDIRECT, where)
    if host == PASSPORT_HOST or any(segment.lower().startswith(LOGIN_SEGMENT) for segment in path.split("/")):
        return Block(LOGIN_REDIRECT, where)
    if host == FORBIDDEN_HOST or path.startswith(FORBIDDEN_PATH_PREFIX):
        return Block(FORBIDDEN, where)
    return None


def _block_from_text(text: str) -> Block | None:
    if RATE_LIMIT_TEXT in text and _STATUS_FALSE.search(text):
        state = _STATE.search(text)
        return Block(RATE_LIMIT, f"state {state.group(1)}" if state else RATE_LIMIT_TEXT)
    if DTACCESS_DENY in text.lower():
        return Block(FORBIDDEN, DTACCESS_DENY)
    if all(marker in text for marker in LOGIN_WALL_MARKERS) and not any(marker in text for marker in WAF_MARKERS):
        return Block(LOGIN_WALL, "/".join(LOGIN_WALL_MARKERS))
    # Checked in order: the first kind with a marker in the text names the page.
    for kind, markers in ((WAF, WAF_MARKERS), (ERROR_PAGE, ERROR_PAGE_MARKERS), (INTERSTITIAL, (INTERSTITIAL_TEXT,))):
        marker = next((marker for marker in markers if marker in text), None)
        if marker is not None:
            return Block(kind, marker)
    return None
