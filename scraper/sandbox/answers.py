"""The replica's HTTP side: an answer, how it is sent, block redirects and the client cookie.

`ReplicaServer` (in `server`) decides what to answer; this module turns an `Answer` into bytes
on the wire (with the optional delay and the deliberate truncation faults ask for) and reads
the bits of a request the decision needs.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import quote

from scraper.sandbox import blocks
from scraper.sandbox.faults import FaultKind

TOKEN_COOKIE = "user_trace_token"  # noqa: S105 - a cookie name, not a secret
TOKEN_MAX_AGE = 30 * 24 * 3600  # seconds
REDIRECT_TARGETS: dict[FaultKind, str] = {
    FaultKind.REDIRECT_TRACKMID: blocks.TRACKMID_PATH,
    FaultKind.REDIRECT_VERIFY: blocks.VERIFY_PATH,
    FaultKind.REDIRECT_SECURITY_CHECK: blocks.SECURITY_CHECK_PATH,
    FaultKind.REDIRECT_LOGIN: blocks.LOGIN_PATH,
    FaultKind.REDIRECT_FORBIDDEN: blocks.FORBIDDEN_PATH,
}


@dataclass(slots=True)
class Answer:
    """What the replica sends for one request."""

    status: int
    body: str | bytes
    content_type: str = blocks.HTML_TYPE
    location: str | None = None
    fault: FaultKind | None = None
    delay: float = 0.0
    is_truncated: bool = False
    headers: tuple[tuple[str, str], ...] = ()  # e.g. Retry-After


def send_answer(handler: BaseHTTPRequestHandler, answer: Answer, *, set_token: str | None) -> None:
    """Write `answer` (after its delay); a client that went away is no error."""
    body = answer.body.encode() if isinstance(answer.body, str) else answer.body
    if answer.delay:
        time.sleep(answer.delay)
    try:
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in answer.headers:
            handler.send_header(name, value)
        if answer.location is not None:
            handler.send_header("Location", answer.location)
        if set_token is not None:
            handler.send_header("Set-Cookie", f"{TOKEN_COOKIE}={set_token}; Path=/; Max-Age={TOKEN_MAX_AGE}")
        handler.end_headers()
        # A truncated answer promises the whole body, sends half, then closes the connection.
        handler.wfile.write(body[: len(body) // 2] if answer.is_truncated else body)
        handler.wfile.flush()
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True  # the client gave up (e.g. a page-load timeout); nothing to do
    if answer.is_truncated:
        handler.close_connection = True


def redirect_location(fault: FaultKind, origin: str, request_path: str) -> str:
    """The Location of a block redirect (§8.2, §8.3); `f`/`callbackUrl` carry the refused URL."""
    target = origin + REDIRECT_TARGETS[fault]
    refused = quote(origin + request_path, safe="")
    now = time.time()
    if fault is FaultKind.REDIRECT_TRACKMID:
        return f"{target}?f={refused}&t={int(now)}&_t=1&_ti=1"
    if fault is FaultKind.REDIRECT_VERIFY:
        return f"{target}?t=1&f={refused}"
    if fault is FaultKind.REDIRECT_SECURITY_CHECK:
        seed, name = secrets.token_hex(16), secrets.token_hex(4)
        return f"{target}?seed={seed}&ts={int(now * 1000)}&name={name}&callbackUrl={refused}&srcReferer="
    return target


def cookie_token(header: str | None) -> str | None:
    """The `user_trace_token` value in a Cookie header, or None."""
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == TOKEN_COOKIE and value:
            return value
    return None


def page_number(text: str | None) -> int:
    """`pn` as a page number; missing or unreadable means page 1, as on the site."""
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1
