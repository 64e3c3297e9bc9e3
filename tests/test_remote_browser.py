"""Remote endpoints and `--browser`: they keep the browser they have unless the setting names one.

A bare chromedriver on 127.0.0.1 is asked for a session three ways; the session's own
`browserName` (chromedriver reports `chrome-headless-shell` for the shell) says what it got.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.browser.endpoints import EndpointPool, parse_endpoints
from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import find_chromedriver, find_headless_shell
from scraper.browser.remote import RemoteBrowser, RemoteConfig

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log: Path = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [find_chromedriver(None), f"--port={port}"], stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                opener.open(url + "/status", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("choice", "browser_name"),
    [
        (BrowserChoice.AUTO, "chrome"),
        (BrowserChoice.CHROMIUM, "chrome"),
        (BrowserChoice.HEADLESS_SHELL, "chrome-headless-shell"),
    ],
)
def test_a_remote_session_gets_the_browser_the_setting_names(
    endpoint: str, choice: BrowserChoice, browser_name: str
) -> None:
    if choice is BrowserChoice.HEADLESS_SHELL and find_headless_shell() is None:
        pytest.skip("chromium-headless-shell is not installed")
    pool = EndpointPool(parse_endpoints(endpoint), acquire_timeout=5)
    config = RemoteConfig(page_load_timeout=30, session_timeout=30, session_attempts=1, browser=choice)
    handle = RemoteBrowser(pool=pool, config=config)
    try:
        assert handle.driver.capabilities["browserName"] == browser_name
        assert handle.driver.execute_script("return navigator.userAgent").find("HeadlessChrome") > 0
    finally:
        handle.quit()
