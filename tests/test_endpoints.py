"""Remote WebDriver without a browser: endpoint parsing, the slot pool, dead endpoints and /status auth."""

from __future__ import annotations

import threading
import time

import pytest
from remote_helpers import FAST, free_port

from scraper.browser.endpoints import Endpoint, EndpointPool, parse_endpoints
from scraper.browser.remote import RemoteBrowser, RemoteConfig, check_endpoints
from scraper.common.errors import ConfigError, DriverError

# --- endpoint parsing -------------------------------------------------------------------------


def test_parse_endpoints_reads_capacities_paths_and_credentials() -> None:
    text = " http://127.0.0.1:4444#4, http://localhost:9515/ ,,https://bob:s%40cret@grid.local/wd/hub/#2,"
    assert parse_endpoints(text) == (
        Endpoint(url="http://127.0.0.1:4444", capacity=4),
        Endpoint(url="http://localhost:9515", capacity=1),
        Endpoint(url="https://grid.local/wd/hub", capacity=2, username="bob", password="s@cret"),
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
        (
            "http://127.0.0.1:4444#0",
            "WebDriver URL http://127.0.0.1:4444#0: the capacity after # must be a whole number ≥ 1",
        ),
        (
            "http://127.0.0.1:4444#two",
            "WebDriver URL http://127.0.0.1:4444#two: the capacity after # must be a whole number ≥ 1",
        ),
        (
            "http://127.0.0.1:4444#",
            "WebDriver URL http://127.0.0.1:4444#: the capacity after # must be a whole number ≥ 1",
        ),
        (
            "http://127.0.0.1:4444/?x=1",
            "WebDriver URL http://127.0.0.1:4444/?x=1: a WebDriver server URL takes no ?query",
        ),
        ("ftp://ann:hunter2@127.0.0.1", "WebDriver URL ftp://ann:***@127.0.0.1: must start with http:// or https://"),
        (
            "http://ann:hunter2@127.0.0.1:1#-1",
            "WebDriver URL http://ann:***@127.0.0.1:1#-1: the capacity after # must be a whole number ≥ 1",
        ),
        (
            "http://127.0.0.1:4444#2,http://127.0.0.1:4444/",
            "WebDriver URL http://127.0.0.1:4444 is given twice; give its capacity once as #N",
        ),
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
    assert str(caught.value) == (
        "no free WebDriver slot after waiting 0.3s: all 3 are in use; add endpoints or raise their capacity (#N)"
    )
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


def test_dead_endpoint_fails_after_the_retries_quickly_and_frees_its_slot() -> None:
    dead = Endpoint(url=f"http://127.0.0.1:{free_port()}")
    pool = EndpointPool([dead], acquire_timeout=1)
    started = time.monotonic()
    with pytest.raises(DriverError) as caught:
        RemoteBrowser(pool=pool, config=FAST)
    assert str(caught.value) == f"could not open a remote browser in 3 attempts; last: {dead.url}: connection refused"
    assert 0.1 <= time.monotonic() - started < 5  # waited 0.05 + 0.1 s (±30 %) between the tries, no more
    assert pool.in_use() == {dead.url: 0}


def test_check_endpoints_names_an_unreachable_endpoint() -> None:
    dead = Endpoint(url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(DriverError) as caught:
        check_endpoints([dead], timeout=2)
    assert str(caught.value) == f"WebDriver endpoint {dead.url} is unreachable: connection refused"


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
