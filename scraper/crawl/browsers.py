"""How a run's workers get browsers: remote sessions or local Chromium tied to the run.

`browser_factory` checks the chromedriver or the endpoints at once (a missing driver fails before
the run starts) and returns what each worker calls to start its browser, plus the local browser's
name for the run's "browser:" log line, which the run writes only once the database is checked.
Local browsers start one at a time, are tied to the run through its `Lifeline` (the hard stop
and a dead run kill them), and a browser that fails to start is tried once more.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from scraper.browser.handle import Browser
from scraper.browser.local import BrowserConfig, LocalBrowser, choose_browser, find_chromedriver
from scraper.browser.processes import Lifeline
from scraper.common.errors import DriverError, StopRequestedError
from scraper.crawl.plan import site_hosts
from scraper.crawl.shutdown import RunStop
from scraper.settings import Settings

log = logging.getLogger(__name__)

ENDPOINT_CHECK_TIMEOUT = 10.0
START_ATTEMPTS = 2  # a local browser that fails to start is tried once more before its city fails


def browser_factory(
    settings: Settings, stop: RunStop, lifeline: Lifeline, site: str
) -> tuple[Callable[[], Browser], str | None]:
    """The workers' browser starter for `site` and the local browser's name (None for remote ones).

    Raises DriverError when no usable chromedriver, browser or endpoint exists.
    """
    if settings.webdriver_endpoints:
        from scraper.browser.remote import RemoteConfig, check_endpoints, remote_browser_factory

        check_endpoints(settings.webdriver_endpoints, timeout=ENDPOINT_CHECK_TIMEOUT)
        config = RemoteConfig(
            page_load_timeout=settings.page_load_timeout,
            session_attempts=settings.max_retries + 1,
            backoff=settings.backoff,
            browser=settings.browser,
            site_hosts=site_hosts(settings, site),
        )
        return remote_browser_factory(settings.webdriver_endpoints, config, stop=stop.event), None
    binary, is_shell = choose_browser(settings.browser, settings.chrome_binary)
    browser = BrowserConfig(
        chromedriver=find_chromedriver(settings.chromedriver),
        chrome_binary=binary,
        page_load_timeout=settings.page_load_timeout,
        is_headless_shell=is_shell,
        site_hosts=site_hosts(settings, site),
    )
    name = f"{binary or 'found by chromedriver'} ({'headless shell' if is_shell else 'Chromium, --headless=new'})"
    # Browsers start one at a time: on 2 cores four Chromium start-ups at once take 3-7 s before
    # any page loads, one after another they take about 0.8 s each and the first city starts at once.
    start_gate = threading.Lock()
    stop.kill_browsers = lifeline.kill_all

    def start_local() -> LocalBrowser:
        with start_gate:
            for attempt in range(1, START_ATTEMPTS + 1):
                if stop.event.is_set():
                    raise StopRequestedError
                try:
                    return LocalBrowser(browser, lifeline=lifeline)
                except DriverError as exc:
                    if attempt == START_ATTEMPTS:
                        raise
                    log.warning("%s; starting it once more", exc)  # e.g. its driver died while starting
        raise AssertionError("unreachable")

    return start_local, name
