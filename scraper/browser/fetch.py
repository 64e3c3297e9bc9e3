"""Fetching: navigate a WebDriver to a URL and read the whole page back in one script call.

This is the impure half of the page path (the site parser is the pure half). One `get` and
one `execute_script` per page: the final URL, the title, the HTML and the HTTP status come back
together, so no per-field WebDriver round trips happen anywhere. A site whose pages are reached
inside the tab (a click, a jump box) or render after the load passes its steps and ready rule,
which `scraper.browser.steps` carries out in place of the `get`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import urllib3
from selenium.common.exceptions import (
    InvalidSessionIdException,
    NoSuchWindowException,
    TimeoutException,
    WebDriverException,
)

from scraper.browser.network_log import read_network_log
from scraper.browser.steps import follow_steps
from scraper.common.errors import BrowserCrashedError, TransientError
from scraper.model.navigation import LOADED, ReadyRule, Step

# One round trip for everything the parser and the block detector need.
READ_PAGE_SCRIPT = """
const nav = performance.getEntriesByType('navigation')[0];
const root = document.documentElement;
return [location.href, document.title, root ? root.outerHTML : '', nav ? (nav.responseStatus || 0) : 0];
"""
HTTP_SERVER_ERROR = 500
RATE_LIMIT_STATUSES = frozenset({429, 503})  # answers the caller turns into blocks, not retried faults
_DEAD_BROWSER_MARKERS = (
    "invalid session id",
    "disconnected",
    "chrome not reachable",
    "session deleted",
    "no such window",
    "target window already closed",
    "connection refused",
    "tab crashed",  # a killed renderer: the tab stays dead, only a new browser helps
)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """What the browser showed for one URL. `status` is 0 when the browser did not report it;
    `retry_after` the seconds a rate-limit answer asked for; `redirects` where the load was sent."""

    url: str
    title: str
    html: str
    status: int
    retry_after: float | None = None
    redirects: tuple[str, ...] = ()


def fetch_page(driver: Any, url: str, *, steps: Sequence[Step] = (), ready: ReadyRule = LOADED) -> FetchedPage:
    """Load `url` (or take `steps` to the page `url` names, waiting by `ready`) and read the page back.

    Raises TransientError for a timeout, a network error page or an HTTP 5xx other than 503
    (429 and 503 come back with their status), and BrowserCrashedError when the browser is gone.
    """
    try:
        if steps:
            follow_steps(driver, steps, ready)
        else:
            driver.get(url)
        href, title, html, status = driver.execute_script(READ_PAGE_SCRIPT)
    except TimeoutException as exc:
        raise TransientError(f"page load timed out: {url}") from exc
    except (InvalidSessionIdException, NoSuchWindowException) as exc:
        raise BrowserCrashedError("the browser is gone") from exc
    except (urllib3.exceptions.HTTPError, ConnectionError) as exc:
        # The WebDriver client talks HTTP to chromedriver: a dead chromedriver surfaces as a
        # dropped or refused connection, not as a WebDriver error.
        raise BrowserCrashedError(f"chromedriver stopped answering ({type(exc).__name__})") from exc
    except WebDriverException as exc:
        message = (exc.msg or "").lower()
        if any(marker in message for marker in _DEAD_BROWSER_MARKERS):
            raise BrowserCrashedError("the browser or chromedriver stopped answering") from exc
        if (redirected := _redirected_off(driver, url)) is not None:
            return redirected
        raise TransientError(f"browser error: {(exc.msg or type(exc).__name__).splitlines()[0]}") from exc
    if str(href).startswith("chrome-error://"):
        if (redirected := _redirected_off(driver, url)) is not None:
            return redirected
        raise TransientError(f"network error loading {url}")
    network = read_network_log(driver, url)
    if not html:
        # A response cut off before any markup leaves Chrome an empty document: load it again.
        raise TransientError(f"empty page (the response was cut off): {url}")
    status = int(status or network.status or 0)
    if status >= HTTP_SERVER_ERROR and status not in RATE_LIMIT_STATUSES:
        raise TransientError(f"HTTP {status} from {url}")
    return FetchedPage(str(href), str(title or ""), str(html or ""), status, network.retry_after, network.redirects)


def _redirected_off(driver: Any, url: str) -> FetchedPage | None:
    """A failed load that was a redirect (stopped by the off-site guard): the page says where it pointed."""
    network = read_network_log(driver, url)
    if not network.redirects:
        return None
    return FetchedPage(url=network.redirects[-1], title="", html="", status=0, redirects=network.redirects)
