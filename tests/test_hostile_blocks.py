"""Blocks the scraper used to misread (issue 20, items 4-6), without a browser: Lagou's newer
answers (reference §14) are recognised, HTTP 429/503 and off-site redirects become blocks in the
site-neutral layer, Retry-After is read from the network log and honoured within its cap."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver

from scraper.browser.fetch import FetchedPage
from scraper.browser.network_log import guard_site_hosts, parse_retry_after, summarize
from scraper.crawl.http_signals import RETRY_AFTER_CAP_S, block_wait, http_block
from scraper.crawl.plan import site_hosts
from scraper.model.postings import Block, ListingPage
from scraper.sandbox.faults import FaultKind
from scraper.sandbox.hostile import FIXED_PAGES, LOGIN_ANY_PATH, VERIFY_TITLES
from scraper.settings import build_settings
from scraper.sites.lagou.adapter import LagouSite

SITE = LagouSite()
BASE = "http://127.0.0.1:8000"
URL = f"{BASE}/wn/jobs?kd=Python&city=%E5%8C%97%E4%BA%AC&pn=1"


def title_of(html: str) -> str:
    return html.split("<title>", 1)[1].split("</title>", 1)[0] if "<title>" in html else ""


@pytest.mark.parametrize(
    ("fault", "kind", "detail"),
    [
        (FaultKind.NEXT_NETWORK_ERROR, "error_page", "网络出错啦"),
        (FaultKind.NEXT_UNEXPECTED_ERROR, "error_page", "An unexpected error has occurred"),
        (FaultKind.TITLE_SECURITY_VERIFY, "verify_title", "安全验证"),
        (FaultKind.TITLE_HUMAN_VERIFY, "verify_title", "人机验证"),
        (FaultKind.TITLE_VERIFY_CENTER, "verify_title", "验证中心"),
        (FaultKind.HTML_FOR_JSON, "html_for_json", "an HTML page where the page's JSON belongs"),
    ],
)
def test_lagous_newer_answers_are_blocks(fault: FaultKind, kind: str, detail: str) -> None:
    _status, html = FIXED_PAGES[fault]
    assert SITE.read_page(URL, title_of(html), html, listing_url=URL) == Block(kind, detail)


def test_the_verify_titles_are_recognised_by_title_alone() -> None:
    for title in VERIFY_TITLES.values():
        assert SITE.detect_block(URL, f"{title}-拉勾网", "<html><body><div id='c'></div></body></html>") == Block(
            "verify_title", title
        )


def test_a_json_answer_holding_html_is_a_block() -> None:
    # Chrome shows a document served as JSON in a lone <pre>, its text escaped.
    escaped = "&lt;!DOCTYPE html&gt;&lt;html&gt;&lt;body&gt;busy&lt;/body&gt;"
    html = f"<html><head></head><body><pre>{escaped}</pre></body></html>"
    assert SITE.detect_block(URL, "", html) == Block("html_for_json", "an HTML page where the page's JSON belongs")


@pytest.mark.parametrize(
    "target",
    [
        f"{BASE}{LOGIN_ANY_PATH}?service=x",
        f"{BASE}/login?redirect=%2Fwn%2Fjobs",
        "https://passport.lagou.com/login/login.html?service=x",
        f"{BASE}/login/login.html",
    ],
)
def test_any_url_with_login_is_a_login_redirect(target: str) -> None:
    block = SITE.detect_block(target, "", "<html></html>")
    assert block is not None
    assert block.kind == "login_redirect"


def test_a_two_column_job_list_with_job_links_is_read() -> None:
    card = (
        '<div class="item__10RTO"><div class="p-top__1F7CL"><a href="/wn/jobs/{pid}.html">Python {n}[北京·海淀区]</a>'
        '</div><span class="money__3Lkgq">20k-30k</span>经验3-5年 / 本科</div>'
    )
    rows = "".join(
        '<div class="row">'
        + "".join(f'<div class="col">{card.format(pid=1000 + 2 * r + c, n=2 * r + c)}</div>' for c in (0, 1))
        + "</div>"
        for r in range(2)
    )
    html = (
        f'<html><body><div id="jobsContainer"><div id="jobList">{rows}'
        '<ul class="lg-pagination"><li class="lg-pagination-next" aria-disabled="false"></li></ul>'
        "</div></div></body></html>"
    )
    listing = SITE.read_page(URL, "北京Python招聘", html, listing_url=URL)
    assert isinstance(listing, ListingPage)
    assert [(p.title, p.city, p.district, p.position_id, p.salary.raw) for p in listing.postings] == [
        (f"Python {n}", "北京", "海淀区", str(1000 + n), "20k-30k") for n in range(4)
    ]


def page(status: int, *, retry_after: float | None = None, redirects: tuple[str, ...] = ()) -> FetchedPage:
    return FetchedPage(URL, "", "<html></html>", status, retry_after, redirects)


def test_http_429_and_503_are_rate_limit_blocks_carrying_retry_after() -> None:
    assert http_block(page(429, retry_after=7), site=SITE, base_url=BASE) == Block("http_429", "Retry-After 7 s", 7)
    assert http_block(page(503), site=SITE, base_url=BASE) == Block("http_503", "no Retry-After")
    assert http_block(page(200), site=SITE, base_url=BASE) is None
    assert http_block(page(404), site=SITE, base_url=BASE) is None  # the parser decides: no job data


def test_retry_after_is_honoured_up_to_its_cap_and_never_shortens_the_backoff() -> None:
    assert block_wait(Block("http_429", retry_after=7), 0.5) == 7
    assert block_wait(Block("http_429", retry_after=7), 20) == 20
    assert block_wait(Block("http_429", retry_after=86_400), 1) == RETRY_AFTER_CAP_S
    assert block_wait(Block("rate_limit"), 3) == 3


def test_a_redirect_off_the_site_root_is_a_block_naming_the_target_without_its_query() -> None:
    other = "http://127.0.0.2:8000/wn/jobs?kd=Python&secret=1"
    assert http_block(page(0, redirects=(other,)), site=SITE, base_url=BASE) == Block(
        "offsite_redirect", "http://127.0.0.2:8000/wn/jobs"
    )
    other_port = "http://127.0.0.1:8001/x"
    assert http_block(page(200, redirects=(other_port,)), site=SITE, base_url=BASE) == Block(
        "offsite_redirect", "http://127.0.0.1:8001/x"
    )
    same_site = f"{BASE}/utrack/verify.html?t=1"
    assert http_block(page(200, redirects=(same_site,)), site=SITE, base_url=BASE) is None  # the site's own
    passport = "https://passport.lagou.com/login/login.html?service=x"
    block = http_block(page(0, redirects=(passport,)), site=SITE, base_url="https://www.lagou.com")
    assert block is not None
    assert block.kind == "login_redirect"  # the site names its own login host


def entry(method: str, params: dict[str, object]) -> dict[str, Any]:
    return {"message": json.dumps({"message": {"method": method, "params": params}})}


def test_the_network_log_gives_the_newest_loads_status_retry_after_and_redirects() -> None:
    sent, received = "Network.requestWillBeSent", "Network.responseReceived"
    entries: list[dict[str, Any]] = [
        entry(sent, {"type": "Document", "request": {"url": URL}}),
        entry(received, {"type": "Document", "response": {"status": 200, "headers": {}}}),
        entry(sent, {"type": "Document", "request": {"url": URL}}),
        entry(received, {"type": "Stylesheet", "response": {"status": 200, "headers": {}}}),
        entry(sent, {"type": "Document", "request": {"url": BASE + "/b"}, "redirectResponse": {"status": 302}}),
        entry(received, {"type": "Document", "response": {"status": 429, "headers": {"retry-after": "12"}}}),
        {"message": "not json"},
    ]
    summary = summarize(entries, URL)
    assert (summary.status, summary.retry_after, summary.redirects) == (429, 12.0, (BASE + "/b",))
    assert summarize([], URL).status is None


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    assert parse_retry_after(" 120 ") == 120
    assert parse_retry_after("Mon, 07 Dec 2026 06:01:30 GMT", now=now) == 90
    assert parse_retry_after("Mon, 07 Dec 2026 05:00:00 GMT", now=now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_the_off_site_guard_lets_the_browser_reach_only_the_site_hosts() -> None:
    options = webdriver.ChromeOptions()
    guard_site_hosts(options, ["127.0.0.1"])
    assert options.arguments == ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>;127.0.0.1"]
    ipv6 = webdriver.ChromeOptions()
    guard_site_hosts(ipv6, ["::1"])
    assert ipv6.arguments[-1] == "--proxy-bypass-list=<-loopback>;[::1]"
    several = webdriver.ChromeOptions()
    guard_site_hosts(several, ["we.51job.com", "*.51job.com", "g.alicdn.com"])
    assert several.arguments[-1] == "--proxy-bypass-list=<-loopback>;we.51job.com;*.51job.com;g.alicdn.com"


@pytest.mark.parametrize(
    ("cli", "site", "expected"),
    [
        # The site's own root: its asset hosts too (51job's list is rendered by scripts from them).
        ({}, "lagou", ("www.lagou.com",)),
        ({"sites": "51job"}, "51job", ("we.51job.com", "*.51job.com", "g.alicdn.com")),
        # A root of the user's (a mirror, a replica on loopback): that host alone.
        ({"sites": "51job", "base_url": "http://127.0.0.1:8123"}, "51job", ("127.0.0.1",)),
        # The sandbox: the replica's loopback host alone, for every site.
        ({"sites": "all", "sandbox": True}, "51job", ("127.0.0.1",)),
    ],
)
def test_browsers_reach_the_root_host_and_the_asset_hosts_only_of_the_sites_own_root(
    cli: dict[str, object], site: str, expected: tuple[str, ...], tmp_path: Path
) -> None:
    settings = build_settings(cli, environ={}, dotenv_path=tmp_path / "none")
    assert site_hosts(settings, site) == expected
