"""The replica's hostile answers (issue 20): damaged listings, plain HTTP refusals, Lagou's newer pages.

What recent scrapers meet (lagou-pages.md §14) and what a careless server sends: a NUL character
in a title, another city's jobs, a GBK page declared UTF-8, HTTP 429/404, a maintenance page, the
two Next.js error pages, a redirect to any URL with `/login`, pages titled 安全验证/人机验证/验证中心,
HTML where the page's JSON belongs, and a redirect to another host. The surrounding markup is
invented (the real pages are unconfirmed); only the marker words and the statuses are the point.
`hostile_answer` is None for a fault that is not one of these.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import quote

from scraper.sandbox import data
from scraper.sandbox.answers import Answer
from scraper.sandbox.faults import FaultKind

RETRY_AFTER_SECONDS = 1
HTTP_TOO_MANY_REQUESTS = 429
LOGIN_ANY_PATH = "/account/login"  # not passport's /login/login.html: any URL with /login is a login wall
NEXT_NETWORK_ERROR_TEXT = "网络出错啦"
NEXT_UNEXPECTED_ERROR_TEXT = "An unexpected error has occurred."
MAINTENANCE_TEXT = "系统维护中，请稍后再访问"
VERIFY_TITLES: dict[FaultKind, str] = {
    FaultKind.TITLE_SECURITY_VERIFY: "安全验证",
    FaultKind.TITLE_HUMAN_VERIFY: "人机验证",
    FaultKind.TITLE_VERIFY_CENTER: "验证中心",
}
NUL = "\x00"
OFFSITE_HOST = "127.0.0.2"  # another loopback address plays the other host; never a real name

Render = Callable[..., str]  # pages.render_listing with its keywords


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"/>'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )


def _next_error(text: str) -> str:
    """A Next.js error page: the app shell with an error message and no page data."""
    body = f'<div id="__next"><div class="error-page"><h2>{html.escape(text)}</h2></div></div>'
    return _page("拉勾招聘", body)


def _html_for_json() -> str:
    """A listing shell whose `__NEXT_DATA__` holds an nginx error page instead of JSON."""
    error = "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>"
    return _page(
        "拉勾招聘", f'<div id="__next"><div id="jobList"></div></div><script id="__NEXT_DATA__">{error}</script>'
    )


def with_nul_title(jobs: tuple[data.Job, ...]) -> tuple[data.Job, ...]:
    """The jobs with a NUL character in the middle of the first title (copies; the data stays shared)."""
    if not jobs:
        return jobs
    first = dict(jobs[0])
    name = str(first["positionName"])
    first["positionName"] = name[:2] + NUL + name[2:]
    return (first, *jobs[1:])


def other_city(city: str) -> str:
    """The city whose jobs a wrong answer for `city` lists."""
    return "上海" if city == "北京" else "北京"


def offsite_location(request_path: str, port: int) -> str:
    """Where the off-site redirect points: the same path on `OFFSITE_HOST`."""
    return f"http://{OFFSITE_HOST}:{port}{request_path}"


def _fixed_pages() -> dict[FaultKind, tuple[int, str]]:
    """The answers that do not depend on the request: status and body."""
    captcha = '<div class="captcha"><p>拖动下方滑块完成拼图</p><div class="slider"></div></div>'
    pages = {
        FaultKind.HTTP_429: (429, _page("429 Too Many Requests", "<center><h1>429 Too Many Requests</h1></center>")),
        FaultKind.HTTP_404: (404, _page("404 Not Found", "<center><h1>404 Not Found</h1></center>")),
        FaultKind.MAINTENANCE: (200, _page("拉勾网", f'<div class="maintain"><p>{MAINTENANCE_TEXT}</p></div>')),
        FaultKind.NEXT_NETWORK_ERROR: (200, _next_error(NEXT_NETWORK_ERROR_TEXT)),
        FaultKind.NEXT_UNEXPECTED_ERROR: (200, _next_error(NEXT_UNEXPECTED_ERROR_TEXT)),
        FaultKind.HTML_FOR_JSON: (200, _html_for_json()),
    }
    pages.update({kind: (200, _page(title, captcha)) for kind, title in VERIFY_TITLES.items()})
    return pages


FIXED_PAGES = _fixed_pages()


def hostile_answer(
    fault: FaultKind | None,
    *,
    render: Render,
    city: str,
    keyword: str,
    page: int,
    origin: str,
    request_path: str,
    offsite_port: int,
) -> Answer | None:
    """The answer for a hostile `fault`, or None when `fault` is not one (`render` draws a listing)."""
    if fault is None:
        return None
    if fault in FIXED_PAGES:
        status, body = FIXED_PAGES[fault]
        retry_after = (("Retry-After", str(RETRY_AFTER_SECONDS)),) if status == HTTP_TOO_MANY_REQUESTS else ()
        return Answer(status, body, fault=fault, headers=retry_after)
    listing: str | bytes | None = None
    if fault is FaultKind.NUL_TITLE:
        listing = render(
            city=city, keyword=keyword, page=page, jobs=with_nul_title(data.jobs_on_page(city, keyword, page))
        )
    elif fault is FaultKind.WRONG_CITY:
        listing = render(city=other_city(city), keyword=keyword, page=page)
    elif fault is FaultKind.GBK_AS_UTF8:
        listing = render(city=city, keyword=keyword, page=page).encode("gbk", errors="replace")
    if listing is not None:
        return Answer(200, listing, fault=fault)
    location = None
    if fault is FaultKind.REDIRECT_LOGIN_ANY:
        location = f"{origin}{LOGIN_ANY_PATH}?service={quote(origin + request_path, safe='')}"
    elif fault is FaultKind.OFFSITE_REDIRECT:
        location = offsite_location(request_path, offsite_port)
    return None if location is None else Answer(302, "", location=location, fault=fault)
