"""`Job51Replica`: the offline 51job search page on 127.0.0.1, with faults and a request log.

Routes (51job-pages.md §12.1): `/pc/search` (the page shell; the page number and filters in its
URL are ignored), `/api/job/search-pc` (the page's own data call: JSON only for a request that
carries the `sign` this server put into a page it served and `From-Domain: 51job_web`, else the
slider HTML, as the real WAF answers non-page clients), detail pages (the slider; a scraper must
never ask for one), company pages, `/login.php`, `/static/…` images, 404 for the rest. Every
request is logged as a `Job51Request`, so tests can prove that every data call came from the
page (signed) and that none went to a detail page. The first answer to a client without cookies
sets a fake `acw_tc`, so clearing cookies has something to clear. `render_delay` (seconds) is how
long the page waits before its data call, on load and on every page turn.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast
from urllib.parse import parse_qsl, unquote, urlsplit

from scraper.sandbox.assets import LOGO_PNG, PNG_TYPE
from scraper.sandbox.job51 import data, pages
from scraper.sandbox.job51.faults import Job51Fault, Job51FaultInjector, Job51FaultPlan

SEARCH_PATH = "/pc/search"
API_PATH = "/api/job/search-pc"
LOGIN_PATH = "/login.php"
COOKIE = "acw_tc"
HTML_TYPE = "text/html; charset=utf-8"
JSON_TYPE = "application/json;charset=UTF-8"
DEFAULT_RENDER_DELAY = 0.3  # seconds; the real page takes about 8-9 s (§4.1), tests need speed
CITY_BY_CODE = {code: city for city, code in data.CITY_CODES.items()}


@dataclass(frozen=True, slots=True)
class Job51Request:
    """One request answered. `kind`: search, data, detail, company, login, static or other;
    `city`/`page` for search and data requests; `is_signed`: a data call carried a page's sign."""

    kind: str
    path: str
    city: str | None
    page: int | None
    client: str
    fault: str | None
    is_signed: bool
    time: float


class Job51Replica:
    """The replica; `start()` binds 127.0.0.1 (port 0 picks one) and returns the base URL."""

    def __init__(
        self,
        *,
        port: int = 0,
        faults: tuple[Job51FaultPlan, ...] = (),
        render_delay: float = DEFAULT_RENDER_DELAY,
        is_sal_top: bool = False,
    ) -> None:
        if not (math.isfinite(render_delay) and render_delay >= 0):
            raise ValueError(f"render delay must be >= 0 seconds, got {render_delay}")
        self.render_delay = render_delay
        self._port, self._is_sal_top = port, is_sal_top
        self._faults = Job51FaultInjector(tuple(faults))
        self._signs: set[str] = set()
        self._records: list[Job51Request] = []
        self._lock = threading.Lock()
        self._httpd: _Server | None = None

    def start(self) -> str:
        """Serve in a daemon thread; return ``http://127.0.0.1:PORT``."""
        self._httpd = _Server(("127.0.0.1", self._port), _Handler, replica=self)
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="51job-replica", daemon=True).start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving. Safe to call twice."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Job51Replica:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The running server's root URL. Raises RuntimeError before `start()`."""
        if self._httpd is None:
            raise RuntimeError("replica not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def requests(self) -> list[Job51Request]:
        """Every request answered so far, in arrival order."""
        with self._lock:
            return list(self._records)

    def _answer(self, handler: _Handler) -> _Reply:
        url = urlsplit(handler.path)
        path, query = unquote(url.path), dict(parse_qsl(url.query, keep_blank_values=True))
        reply = self._route(handler, path, query)
        record = Job51Request(
            reply.kind, path, reply.city, reply.page, _cookie(handler.headers.get("Cookie")) or "",
            reply.fault and reply.fault.value, reply.is_signed, time.monotonic(),
        )  # fmt: skip
        with self._lock:
            self._records.append(record)
        return reply

    def _route(self, handler: _Handler, path: str, query: dict[str, str]) -> _Reply:
        city = CITY_BY_CODE.get(query.get("jobArea", ""), "")
        if path == SEARCH_PATH:
            fault = self._faults.decide(city=city, is_page_load=True)
            body = pages.slider_page() if fault else self._shell(query, city)
            return _Reply("search", body, city=city, page=1, fault=fault)
        if path == API_PATH:
            page = _page(query.get("pageNum"))
            headers = handler.headers
            if headers.get("sign") not in self._signs or headers.get("From-Domain") != "51job_web":
                return _Reply("data", pages.slider_page(), city=city, page=page)  # not the page's own call
            fault = self._faults.decide(city=city, is_page_load=False)
            body, content_type = self._data(query, city, fault)
            return _Reply("data", body, content_type, city=city, page=page, fault=fault, is_signed=True)
        return _other(path)

    def _shell(self, query: dict[str, str], city: str) -> str:
        sign = secrets.token_hex(32)
        with self._lock:
            self._signs.add(sign)
        return pages.search_shell(
            keyword=query.get("keyword", ""),
            city=city or "全国",
            job_area=query.get("jobArea", ""),
            sign=sign,
            delay_ms=round(self.render_delay * 1000),
            is_sal_top=self._is_sal_top,
        )

    def _data(self, query: dict[str, str], city: str, fault: Job51Fault | None) -> tuple[str, str]:
        if fault is Job51Fault.XHR_FAIL:
            return pages.WAF_HTML, HTML_TYPE
        items = data.items_for(city, query.get("keyword", ""))
        total, page = len(items), _page(query.get("pageNum"))
        job: dict[str, object] = {"items": [], "totalCount": total, "totalcount": total}
        area = city or "全国"
        if fault is Job51Fault.VERIFY_CARD:
            job["items"] = [{"jobName": "访问验证", "verify": True}]
        elif fault is Job51Fault.SILENT_THROTTLE:
            job.update(totalCount=0, totalcount=0)
            area = "全国"
        elif page <= data.last_page(total):
            job["items"] = items[(page - 1) * data.PAGE_SIZE : page * data.PAGE_SIZE]
        answer = {"status": "1", "message": "", "resultbody": {"searchType": 2, "area": area, "job": job}}
        return json.dumps(answer, ensure_ascii=False), JSON_TYPE


@dataclass(frozen=True, slots=True)
class _Reply:
    """An answer and what the request log says about it."""

    kind: str
    body: str | bytes
    content_type: str = HTML_TYPE
    city: str | None = None
    page: int | None = None
    fault: Job51Fault | None = None
    is_signed: bool = False
    status: int = 200


def _other(path: str) -> _Reply:
    """Everything but the search page and its data call: pages links lead to, images, 404."""
    if path.startswith("/all/co") and path.endswith(".html"):
        return _Reply("company", pages.company_page(path[len("/all/co") : -len(".html")]))
    if path.endswith(".html") or path == "/pc/jobdetail":
        return _Reply("detail", pages.slider_page())
    if path == LOGIN_PATH:
        return _Reply("login", pages.login_page())
    if path.startswith("/static/") and path.endswith(".png"):
        return _Reply("static", LOGO_PNG, PNG_TYPE)
    return _Reply("other", "<!DOCTYPE html><html><body>404</body></html>", status=404)


def _page(text: str | None) -> int:
    return int(text) if text and text.isdigit() and int(text) > 0 else 1


def _cookie(header: str | None) -> str | None:
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == COOKIE and value:
            return value
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *, replica: Job51Replica):
        self.replica = replica
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet about browsers dropping kept-alive connections."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30.0

    def do_GET(self) -> None:
        reply = cast(_Server, self.server).replica._answer(self)
        payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            if _cookie(self.headers.get("Cookie")) is None:
                self.send_header("Set-Cookie", f"{COOKIE}={secrets.token_hex(16)}; Path=/")
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `Job51Replica.requests`."""
