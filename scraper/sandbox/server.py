"""`ReplicaServer`: the offline Lagou replica on 127.0.0.1, with fault injection and a request log.

It serves the NEW listing `/wn/jobs` (and its alias `/wn/zhaopin`) from `pages`, the OLD SEO
pages from `old_pages`, the pages block redirects lead to, static assets, and 404 for anything
else. Every response to a client without a `user_trace_token` cookie sets one (a fresh random
token), and every request is logged as a `RequestRecord` so tests can see what a scraper did:
which city and page, under which client token, and which fault it got.

Faults (`faults.FaultPlan`) apply to listing requests only; `latency` delays every listing
page (NEW and OLD), not assets. A `ThreadingHTTPServer` with daemon threads answers requests
concurrently, so one slow answer never holds up another city's worker.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast
from urllib.parse import parse_qsl, unquote, urlsplit

from scraper.sandbox import blocks
from scraper.sandbox.answers import (
    REDIRECT_TARGETS,
    Answer,
    cookie_token,
    page_number,
    redirect_location,
    send_answer,
)
from scraper.sandbox.assets import static_asset
from scraper.sandbox.days import check_day
from scraper.sandbox.faults import FaultInjector, FaultKind, FaultPlan
from scraper.sandbox.hostile import LOGIN_ANY_PATH, hostile_answer
from scraper.sandbox.old_pages import match_old_path, render_old_listing
from scraper.sandbox.pages import render_listing, render_shell_without_data

LISTING_PATHS = frozenset({"/wn/jobs", "/wn/zhaopin"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
IDLE_CONNECTION_TIMEOUT = 30.0  # seconds a kept-alive connection may sit idle
REQUEST_QUEUE_SIZE = 64  # several browsers open many connections at once
SHUTDOWN_POLL_SECONDS = 0.05  # how soon stop() is noticed; the default 0.5 s slows every test

JSON_FAULT_STATES: dict[FaultKind, int] = {
    FaultKind.RATE_LIMIT_JSON: blocks.STATE_TOO_FREQUENT,
    FaultKind.RATE_LIMIT_2408: blocks.STATE_FORBIDDEN,
    FaultKind.STICKY_BLOCK: blocks.STATE_TOO_FREQUENT,
    FaultKind.RATE_LIMIT: blocks.STATE_TOO_FREQUENT,
}
PAGE_FAULTS: dict[FaultKind, tuple[int, Callable[[], str]]] = {
    FaultKind.LOGIN_WALL: (200, blocks.login_page),
    FaultKind.INTERSTITIAL: (200, blocks.interstitial_page),
    FaultKind.HTTP_500: (500, lambda: blocks.http_error_page(500)),
    FaultKind.HTTP_503: (503, lambda: blocks.http_error_page(503)),
}


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the replica answered. `city`/`page` are None off the listing pages;
    `fault` is the injected `FaultKind` value or None; `time` is the server clock on arrival."""

    path: str
    city: str | None
    page: int | None
    client_token: str
    status: int
    fault: str | None
    time: float


class ReplicaServer:
    """The replica. `start()` binds (port 0 picks a free port) and returns the base URL.

    `faults`: one fault plan or None. `latency`: seconds added before each listing page.
    `day`: which day's listings to serve (0, the default, is the replica as it always was; a later
    day has postings gone, new ones and drifted pay: see `scraper.sandbox.days`).
    `clock`: the time source for the rate limiter and the records (tests pass a fake one).
    `offsite_port`: the port the `offsite_redirect` fault sends clients to on 127.0.0.2 (default: ours).
    Raises ValueError for a non-loopback host or a negative latency.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
        latency: float = 0.0,
        day: int = 0,
        clock: Callable[[], float] = time.monotonic,
        offsite_port: int | None = None,
    ) -> None:
        if host not in LOOPBACK_HOSTS and not host.startswith("127."):
            raise ValueError(f"the replica only listens on loopback, not {host!r}")
        if latency < 0:
            raise ValueError(f"latency must be >= 0, got {latency}")
        self.day = check_day(day)
        self._address = (host, port)
        self._latency = latency
        self._clock = clock
        self._offsite_port = offsite_port
        self._faults = FaultInjector(faults, clock)
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._httpd: _ReplicaHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Bind and serve in a daemon thread; return the base URL (``http://127.0.0.1:PORT``)."""
        if self._httpd is not None:
            raise RuntimeError("replica already started")
        self._httpd = _ReplicaHTTPServer(self._address, _Handler, replica=self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(SHUTDOWN_POLL_SECONDS,), name="lagou-replica", daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close the socket. Safe to call twice."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd, self._thread = None, None

    def __enter__(self) -> ReplicaServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running server. Raises RuntimeError before `start()`."""
        if self._httpd is None:
            raise RuntimeError("replica not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request answered so far, in arrival order."""
        with self._lock:
            return list(self._records)

    def listing_requests(self) -> list[RequestRecord]:
        """The records of NEW listing requests (`/wn/jobs`, `/wn/zhaopin`) only."""
        return [record for record in self.requests if record.path in LISTING_PATHS]

    def _serve(self, handler: _Handler) -> None:
        arrived = self._clock()
        url = urlsplit(handler.path)
        path = unquote(url.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        token = cookie_token(handler.headers.get("Cookie"))
        is_new_client = token is None
        client_token = token or f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4()}"
        city: str | None = None
        page: int | None = None
        if path in LISTING_PATHS:
            city, page = query.get("city", ""), page_number(query.get("pn"))
            answer = self._listing(handler, path=path, query=query, city=city, page=page, client_token=client_token)
        elif (old := match_old_path(path)) is not None:
            city, keyword, page = old
            body = render_old_listing(city=city, keyword=keyword, page=page, day=self.day)
            answer = Answer(200, body, delay=self._latency)
        elif path in blocks.VERIFY_PATHS or path == LOGIN_ANY_PATH:
            answer = Answer(200, blocks.verify_page(path))
        elif (asset := static_asset(path)) is not None:
            answer = Answer(200, asset[0], content_type=asset[1])
        else:
            answer = Answer(404, "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>")
        record = RequestRecord(
            path, city, page, client_token, answer.status, answer.fault and answer.fault.value, arrived
        )
        with self._lock:
            self._records.append(record)
        send_answer(handler, answer, set_token=client_token if is_new_client else None)

    def _listing(
        self, handler: _Handler, *, path: str, query: dict[str, str], city: str, page: int, client_token: str
    ) -> Answer:
        fault = self._faults.decide(city=city, client_token=client_token)
        keyword = query.get("kd", "")
        if fault in JSON_FAULT_STATES:
            body = blocks.rate_limit_json(handler.client_address[0], JSON_FAULT_STATES[fault])
            return Answer(200, body, content_type=blocks.JSON_TYPE, fault=fault, delay=self._latency)
        if fault in REDIRECT_TARGETS:
            location = redirect_location(fault, _origin(handler), handler.path)
            return Answer(302, "", location=location, fault=fault, delay=self._latency)
        if fault in PAGE_FAULTS:
            status, render = PAGE_FAULTS[fault]
            return Answer(status, render(), fault=fault, delay=self._latency)
        hostile = hostile_answer(
            fault,
            render=functools.partial(render_listing, query=query, path=path, day=self.day),
            city=city,
            keyword=keyword,
            page=page,
            origin=_origin(handler),
            request_path=handler.path,
            offsite_port=self._offsite_port or int(self.base_url.rsplit(":", 1)[1]),
        )
        if hostile is not None:
            hostile.delay = self._latency
            return hostile
        if fault is FaultKind.NO_JOB_DATA:
            return Answer(200, render_shell_without_data(keyword), fault=fault, delay=self._latency)
        slow = self._faults.plan.seconds if fault is FaultKind.SLOW and self._faults.plan else 0.0
        return Answer(
            200,
            render_listing(city=city, keyword=keyword, page=page, query=query, path=path, day=self.day),
            fault=fault,
            delay=self._latency + slow,
            is_truncated=fault is FaultKind.TRUNCATED,
        )


class _ReplicaHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = REQUEST_QUEUE_SIZE

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *, replica: ReplicaServer
    ) -> None:
        self.replica = replica
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a browser drops a kept-alive connection; report anything else."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive like a real site; every answer has Content-Length
    timeout = IDLE_CONNECTION_TIMEOUT

    def version_string(self) -> str:
        """The Server header: Lagou answers from nginx-family servers, not "BaseHTTP/Python"."""
        return "nginx"

    def do_GET(self) -> None:
        cast(_ReplicaHTTPServer, self.server).replica._serve(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and the CLI read `ReplicaServer.requests`, not stderr."""


def _origin(handler: _Handler) -> str:
    host = handler.headers.get("Host")
    return f"http://{host}" if host else cast(_ReplicaHTTPServer, handler.server).replica.base_url
