"""What the network said about a page load, from Chrome's performance log: status, Retry-After, redirects.

A page's JavaScript cannot see its response headers or a cross-origin redirect, so every
browser records its network events (`enable_network_log`) and `read_network_log` reads them
once per page (one WebDriver call of a few milliseconds; reading also empties the buffer). The
off-site guard (`guard_site_hosts`) sends every request that is not for the site's hosts to a
closed proxy port on the browser's own loopback, so the browser never reaches another host: a
redirect there fails, and the log still names where it pointed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from selenium import webdriver

log = logging.getLogger(__name__)

PERFORMANCE_LOG = "performance"
# A closed port on the browser's own loopback (9 is "discard", never served): requests sent to it fail at once.
DEAD_PROXY = "http://127.0.0.1:9"


def enable_network_log(options: webdriver.ChromeOptions) -> None:
    """Have the browser record network events (no page or trace events) for `read_network_log`."""
    options.set_capability("goog:loggingPrefs", {PERFORMANCE_LOG: "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})


def guard_site_hosts(options: webdriver.ChromeOptions, hosts: Sequence[str]) -> None:
    """Let the browser reach `hosts` only (any port; `*.example.com` patterns allowed); everything
    else goes to a dead proxy.

    `<-loopback>` removes Chrome's implicit proxy bypass of loopback addresses, so another
    loopback address (or another port of a loopback host other than those named) is refused too.
    """
    patterns = [f"[{host}]" if ":" in host else host for host in hosts]  # IPv6 literals bracketed, as in a URL
    options.add_argument(f"--proxy-server={DEAD_PROXY}")
    options.add_argument(f"--proxy-bypass-list={';'.join(['<-loopback>', *patterns])}")


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """The document loads of one page: its final status (None: not logged), the Retry-After it
    asked for (seconds, None when absent or unreadable) and the URLs it was redirected to, in order."""

    status: int | None = None
    retry_after: float | None = None
    redirects: tuple[str, ...] = ()


def read_network_log(driver: Any, url: str) -> NetworkSummary:
    """The summary of the newest load of `url` in the browser's performance log (emptied by reading).

    An empty summary when the browser keeps no such log (a driver without it is still usable).
    """
    try:
        entries = driver.get_log(PERFORMANCE_LOG)
    except Exception:  # the log is an extra: a driver without it loses Retry-After, nothing else
        log.debug("no performance log", exc_info=True)
        return NetworkSummary()
    return summarize(entries, url)


def summarize(entries: list[dict[str, Any]], url: str) -> NetworkSummary:
    """`read_network_log` on entries already read: only events after the last request for `url` count."""
    events = [_event(entry) for entry in entries]
    documents = [e for e in events if e.get("method") in {_SENT, _RECEIVED} and e["params"].get("type") == "Document"]
    starts = [i for i, e in enumerate(documents) if e["method"] == _SENT and e["params"]["request"]["url"] == url]
    if starts:
        documents = documents[starts[-1] :]
    redirects = tuple(
        e["params"]["request"]["url"] for e in documents if e["method"] == _SENT and "redirectResponse" in e["params"]
    )
    responses = [e["params"]["response"] for e in documents if e["method"] == _RECEIVED]
    if not responses:
        return NetworkSummary(redirects=redirects)
    response = responses[-1]
    headers = {str(name).lower(): str(value) for name, value in (response.get("headers") or {}).items()}
    return NetworkSummary(int(response.get("status") or 0), parse_retry_after(headers.get("retry-after")), redirects)


_SENT, _RECEIVED = "Network.requestWillBeSent", "Network.responseReceived"


def _event(entry: dict[str, Any]) -> dict[str, Any]:
    try:
        message = json.loads(entry["message"])["message"]
    except (KeyError, TypeError, ValueError):
        return {}
    return message if isinstance(message, dict) and isinstance(message.get("params"), dict) else {}


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: a count of seconds or an HTTP date; None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
