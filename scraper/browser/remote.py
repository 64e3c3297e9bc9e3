"""Remote browsers: the worker's Chromium opened on a Selenium Grid 4 or a bare chromedriver.

`RemoteBrowser` is the remote twin of `browser.LocalBrowser` (the same `WebDriverBrowser`, the
same Chrome options), for runs given `--webdriver-url`. It takes a slot from an `EndpointPool`,
opens the session with a timeout, retrying with backoff on another endpoint, and gives the slot
back on `quit()`. The profile stays with chromedriver on the remote host (a local path means
nothing there). WebDriver traffic never goes through an HTTP proxy from the environment: the
servers are on the scraper's own network. Chromedriver's CDP endpoint is reachable through
the Grid too, so cookie clearing and URL blocking work as they do locally.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.proxy import Proxy
from selenium.webdriver.remote.client_config import ClientConfig

from scraper.browser.endpoints import Endpoint, EndpointPool
from scraper.browser.handle import WebDriverBrowser
from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import HEADLESS_SHELL_PATHS, build_chrome_options, first_line
from scraper.common.backoff import backoff_delay
from scraper.common.errors import ConfigError, DriverError
from scraper.common.masking import mask_secrets

log = logging.getLogger(__name__)

# Commands after the session is open wait for a page load, which the browser itself cuts off
# at `page_load_timeout`; the margin covers the round trip and the Grid's own hop.
COMMAND_TIMEOUT_MARGIN = 30.0
STATUS_PATH = "/status"
# A direct opener: urllib, like selenium's default client, would otherwise honour HTTP_PROXY.
_DIRECT_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_RNG = random.Random()  # jitter for session retries: workers starting together must not retry together


@dataclass(frozen=True, slots=True)
class RemoteConfig:
    """How remote sessions are opened.

    `session_timeout`: seconds one new-session request may take (a busy Grid queues it).
    `session_attempts`: tries in all; the wait before retry n is `backoff_delay(backoff, n)` seconds
    (`backoff * 2**(n-1)`, ±30 % jitter).
    `acquire_timeout`: seconds a worker waits for a free endpoint slot.
    `chrome_binary`: the browser's path on the remote host; None lets chromedriver find it.
    `browser`: `auto` asks for the browser the endpoint has (chromedriver's own Chromium, with
    `--headless=new`); `headless-shell` asks for the headless shell at Debian's path (or at
    `chrome_binary`); `chromium` for full Chromium.
    `no_sandbox`: add `--no-sandbox` (the remote user is unknown, and Chromium run as root,
    as in most containers, refuses to start without it).
    """

    page_load_timeout: float
    session_timeout: float = 60.0
    session_attempts: int = 3
    backoff: float = 2.0
    acquire_timeout: float = 300.0
    chrome_binary: str | None = None
    no_sandbox: bool = True
    browser: BrowserChoice = BrowserChoice.AUTO
    site_hosts: tuple[str, ...] = ()  # the only hosts the browser may reach (empty: any)

    def __post_init__(self) -> None:
        if self.session_attempts < 1:
            raise ConfigError(f"remote session attempts must be ≥ 1, got {self.session_attempts}")
        if min(self.page_load_timeout, self.session_timeout, self.acquire_timeout) <= 0 or self.backoff < 0:
            raise ConfigError("remote timeouts must be > 0 and the backoff ≥ 0")


class ChromeRemote(webdriver.Remote):
    """A Remote WebDriver for Chrome that also sends CDP commands, as `webdriver.Chrome` does.

    Chromedriver serves CDP over plain HTTP (`goog/cdp/execute`, which selenium's Chrome
    connection already knows), and a Grid passes it through to the node.
    """

    def execute_cdp_cmd(self, cmd: str, cmd_args: dict[str, Any]) -> Any:
        """Run one Chrome DevTools Protocol command and return its result."""
        return self.execute("executeCdpCommand", {"cmd": cmd, "params": cmd_args})["value"]

    def execute(
        self, driver_command: str | Generator[dict[str, Any], Any, Any], params: dict[str, Any] | None = None
    ) -> Any:
        """`Remote.execute`, except that a server that cannot be reached raises WebDriverException.

        urllib3's own errors would otherwise escape `fetch`, failing the city; worded like
        chromedriver's "chrome not reachable", they make the worker replace the browser instead.
        """
        try:
            return super().execute(driver_command, params)
        except WebDriverException:
            raise
        except Exception as exc:  # urllib3's HTTPError family (refused, timed out, reset) is not an OSError
            raise WebDriverException(f"chrome not reachable: remote WebDriver server {describe_failure(exc)}") from exc


class RemoteBrowser(WebDriverBrowser):
    """A Chromium session on a remote endpoint plus the pool slot it holds; `quit()` frees both.

    Raises DriverError when no session opens within `session_attempts` tries, when the pool has
    no free slot in time, or when `stop` is set while waiting.
    """

    def __init__(self, *, pool: EndpointPool, config: RemoteConfig, stop: threading.Event | None = None) -> None:
        self._pool = pool
        self._is_released = False
        self.endpoint, self.driver = _open_session(pool, config, stop)

    def quit(self) -> None:
        """End the remote session (ignoring one that is already gone) and release the slot. Never raises."""
        if self._is_released:
            return
        self._is_released = True
        try:
            self.driver.quit()
        except Exception:  # the session or the whole server may be gone already; quitting must never raise
            log.debug("remote driver.quit() failed on %s", self.endpoint.label, exc_info=True)
        finally:
            self._pool.release(self.endpoint)


def remote_browser_factory(
    endpoints: Sequence[Endpoint], config: RemoteConfig, *, stop: threading.Event | None = None
) -> Callable[[], RemoteBrowser]:
    """A `start_browser` for the workers: each call opens a `RemoteBrowser` from one shared pool."""
    pool = EndpointPool(endpoints, acquire_timeout=config.acquire_timeout, stop=stop)

    def start_browser() -> RemoteBrowser:
        return RemoteBrowser(pool=pool, config=config, stop=stop)

    return start_browser


def check_endpoints(endpoints: Sequence[Endpoint], *, timeout: float) -> None:
    """Fail fast when an endpoint does not answer `GET /status` like a WebDriver server.

    A Grid that answers but is not ready yet passes (new sessions wait in its queue). Raises
    DriverError naming the first endpoint that is unreachable or answers something else.
    """
    for endpoint in endpoints:
        request = urllib.request.Request(endpoint.url + STATUS_PATH)  # noqa: S310 - http(s) checked when parsed
        if endpoint.username is not None:
            # A Grid started with --username/--password wants the same basic auth on /status.
            token = base64.b64encode(f"{endpoint.username}:{endpoint.password or ''}".encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        try:
            with _DIRECT_OPENER.open(request, timeout=timeout) as response:
                body = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise DriverError(f"WebDriver endpoint {endpoint.label} answered HTTP {exc.code} to /status") from exc
        except (OSError, ValueError) as exc:  # URLError and timeouts are OSErrors; bad JSON a ValueError
            raise DriverError(f"WebDriver endpoint {endpoint.label} is unreachable: {describe_failure(exc)}") from exc
        if not (isinstance(body, dict) and isinstance(body.get("value"), dict)):
            raise DriverError(f"WebDriver endpoint {endpoint.label} is not a WebDriver server (odd /status answer)")


def describe_failure(exc: BaseException) -> str:
    """A short reason for a failed WebDriver request: "connection refused", "timed out" or the first line."""
    for cause in _causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, TimeoutError) or "timeout" in type(cause).__name__.lower():
            return "timed out"
    if isinstance(exc, WebDriverException):
        return first_line(exc)
    return mask_secrets(f"{type(exc).__name__}: {first_line(exc)}")


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps: urllib3 keeps the socket error in `.reason`, Python in __cause__."""
    chain: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if any(current is seen for seen in chain):
            continue
        chain.append(current)
        for linked in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)
    return chain


def _open_session(
    pool: EndpointPool, config: RemoteConfig, stop: threading.Event | None
) -> tuple[Endpoint, ChromeRemote]:
    failed: set[Endpoint] = set()
    attempt = 0
    while True:
        attempt += 1
        endpoint = pool.acquire(avoid=failed)
        try:
            driver = _start(endpoint, config)
        except Exception as exc:  # selenium raises WebDriverException, urllib3 its own errors, sockets OSError
            pool.release(endpoint)
            failed.add(endpoint)
            reason = f"{endpoint.label}: {describe_failure(exc)}"
            log.warning("remote browser attempt %d/%d failed on %s", attempt, config.session_attempts, reason)
            if attempt >= config.session_attempts:
                raise DriverError(f"could not open a remote browser in {attempt} attempts; last: {reason}") from exc
            if _pause(backoff_delay(config.backoff, attempt, _RNG), stop):
                raise DriverError("stopped while opening a remote browser") from exc
            continue
        log.info("remote browser on %s (session %s)", endpoint.label, driver.session_id)
        return endpoint, driver


def _pause(seconds: float, stop: threading.Event | None) -> bool:
    """Sleep `seconds`; True when `stop` was set meanwhile (the wait then ends at once)."""
    if stop is None:
        time.sleep(seconds)
        return False
    return stop.wait(seconds)


def _start(endpoint: Endpoint, config: RemoteConfig) -> ChromeRemote:
    """Open one session on `endpoint` and set it up, or raise (closing a half-set-up session)."""
    is_shell = config.browser is BrowserChoice.HEADLESS_SHELL
    binary = config.chrome_binary or (HEADLESS_SHELL_PATHS[0] if is_shell else None)
    options = build_chrome_options(
        chrome_binary=binary,
        profile_dir=None,
        no_sandbox=config.no_sandbox,
        is_headless_shell=is_shell,
        site_hosts=config.site_hosts,
    )
    client = ClientConfig(
        remote_server_addr=endpoint.url,
        proxy=Proxy({"proxyType": "direct"}),  # never HTTP_PROXY & co.: see the module docstring
        timeout=math.ceil(config.session_timeout),
        username=endpoint.username,
        password=endpoint.password,
    )
    driver = ChromeRemote(command_executor=endpoint.url, options=options, client_config=client)
    try:
        client.timeout = math.ceil(config.page_load_timeout + COMMAND_TIMEOUT_MARGIN)
        driver.set_page_load_timeout(config.page_load_timeout)
        driver.set_script_timeout(config.page_load_timeout)  # every call has a deadline, the page read too
    except Exception:
        _quit_quietly(driver)
        raise
    return driver


def _quit_quietly(driver: ChromeRemote) -> None:
    try:
        driver.quit()
    except Exception:  # cleaning up after a failure already being raised
        log.debug("quitting a half-opened remote session failed", exc_info=True)
