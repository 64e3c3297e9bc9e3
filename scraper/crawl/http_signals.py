"""Blocks that every site shows the same way, read from the fetch before any site parser runs.

HTTP 429 (Too Many Requests) and 503 (Service Unavailable) are rate limits, not broken pages:
they become a `Block` carrying the `Retry-After` the answer asked for, so the worker backs off,
clears cookies and in the end parks the city as for any other block. A load that was redirected
off the configured site root (another host or port) is a block too, `offsite_redirect`, naming
where it pointed; the browser's off-site guard has kept it from going there. The site adapter
still gets a say: a redirect to the site's own login or verify host (`detect_block` on the
target URL) keeps the site's name for it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scraper.browser.fetch import FetchedPage
from scraper.model.postings import Block
from scraper.sites import SiteAdapter

RATE_LIMIT_KINDS = {429: "http_429", 503: "http_503"}
OFFSITE_REDIRECT = "offsite_redirect"
RETRY_AFTER_CAP_S = 300.0  # a Retry-After longer than this is waited out only this long, then backed off


def http_block(fetched: FetchedPage, *, site: SiteAdapter, base_url: str) -> Block | None:
    """The block `fetched` shows by its redirects or its status, or None (the site parser decides)."""
    root = _origin(base_url)
    offsite = [url for url in fetched.redirects if _origin(url) != root]
    if offsite:
        target = offsite[0]
        named = site.detect_block(target, "", "")
        return named or Block(OFFSITE_REDIRECT, _where(target))
    kind = RATE_LIMIT_KINDS.get(fetched.status)
    if kind is None:
        return None
    retry_after = fetched.retry_after
    detail = f"Retry-After {retry_after:g} s" if retry_after is not None else "no Retry-After"
    return Block(kind, detail, retry_after=retry_after)


def block_wait(block: Block, backoff: float) -> float:
    """Seconds to wait before retrying after `block`: the backoff, or the Retry-After (capped) if longer."""
    if block.retry_after is None:
        return backoff
    return max(backoff, min(block.retry_after, RETRY_AFTER_CAP_S))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port


def _where(url: str) -> str:
    """Scheme, host and path of a URL: no query (it may carry the refused URL), no credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
