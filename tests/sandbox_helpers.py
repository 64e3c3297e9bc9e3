"""Shared helpers of the replica tests: a loopback GET that does not follow redirects, and cutters.

`fetch` returns 3xx/4xx/5xx answers as values (the fault tests inspect them); `next_data` cuts
`__NEXT_DATA__` out of a page the way a splitting scraper does (lagou-pages.md §4.3).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

NEXT_DATA_OPEN = '<script id="__NEXT_DATA__" type="application/json">'
NEXT_DATA_CLOSE = '</script><script nomodule="" src='
RATE_LIMIT_2402 = '{"status":false,"msg":"您操作太频繁,请稍后再访问","clientIp":"127.0.0.1","state":2402}'
NEXT_ENABLED = '<li class="lg-pagination-next" tabindex="0" aria-disabled="false">'
NEXT_DISABLED = '<li class="lg-pagination-next lg-pagination-disabled" aria-disabled="true">'


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # surface the 302 itself


OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    text: str
    seconds: float


def fetch(base: str, path: str, *, token: str | None = None) -> Fetched:
    """GET without following redirects; 4xx/5xx are answers, not exceptions."""
    headers = {"Cookie": f"user_trace_token={token}"} if token else {}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - a loopback http URL
    started = time.monotonic()
    try:
        with OPENER.open(request, timeout=10) as response:
            body = response.read()
            return Fetched(response.status, response.headers, body.decode(), time.monotonic() - started)
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers, error.read().decode(), time.monotonic() - started)


def next_data(page: str) -> dict[str, Any]:
    """`__NEXT_DATA__`, cut out the way a splitting scraper does it."""
    text: dict[str, Any] = json.loads(page.split(NEXT_DATA_OPEN)[1].split(NEXT_DATA_CLOSE, maxsplit=1)[0])
    return text


def cards(page: str) -> int:
    return page.count('<div class="item__10RTO">')
