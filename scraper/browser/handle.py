"""The browser a worker holds: `page(url)`, `clear_cookies()`, `screenshot()` and `quit()`.

`WebDriverBrowser` wraps one Selenium WebDriver so that nothing above `scraper.browser` touches
Selenium: the worker asks for a page and gets a `FetchedPage`, clears cookies after a block and
takes a screenshot for a snapshot, in one call each. `LocalBrowser` (a local browser and its
profile) and `RemoteBrowser` (a session on a Grid or a bare chromedriver) are its two kinds; they
differ only in how they start and what `quit()` releases.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from selenium.webdriver.remote.webdriver import WebDriver

from scraper.browser.fetch import FetchedPage, fetch_page
from scraper.model.navigation import ReadyRule, Step, is_plain_load

log = logging.getLogger(__name__)


class Browser(Protocol):
    """What a worker holds: a started browser (`WebDriverBrowser`, or a scripted fake in tests).

    `page(url)` loads and reads a page (raising TransientError or BrowserCrashedError), `follow`
    reaches the page `url` names by a site's steps and ready rule (raising the same),
    `clear_cookies()` deletes every domain's cookies, `screenshot()` is a PNG or None, `quit()`
    ends it for good and never raises."""

    def page(self, url: str) -> FetchedPage: ...
    def follow(self, url: str, steps: Sequence[Step], ready: ReadyRule) -> FetchedPage: ...
    def clear_cookies(self) -> None: ...
    def screenshot(self) -> bytes | None: ...
    def quit(self) -> None: ...


def open_page(browser: Browser, url: str, steps: Sequence[Step], ready: ReadyRule) -> FetchedPage:
    """The page `url` names: `browser.page(url)` when loading it is all it takes, else `browser.follow`."""
    if is_plain_load(steps, url, ready):
        return browser.page(url)
    return browser.follow(url, steps, ready)


class WebDriverBrowser:
    """One started browser. Subclasses set `driver` and release what they own in `quit()`."""

    driver: WebDriver

    def page(self, url: str) -> FetchedPage:
        """Load `url` and read it back in one script call (see `scraper.browser.fetch.fetch_page`)."""
        return fetch_page(self.driver, url)

    def follow(self, url: str, steps: Sequence[Step], ready: ReadyRule) -> FetchedPage:
        """Take `steps` to the page `url` names (a click or a jump inside the tab), wait by `ready`, read it."""
        return fetch_page(self.driver, url, steps=steps, ready=ready)

    def clear_cookies(self) -> None:
        """Delete every cookie the browser holds, of every domain (a block may come from another host)."""
        try:
            # CDP clears all domains at once; WebDriver's delete only those of the current page.
            self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        except Exception:  # a driver without CDP (not Chrome, or an old Grid): fall back to WebDriver
            log.debug("CDP cookie clearing failed; deleting the current page's cookies", exc_info=True)
            self.driver.delete_all_cookies()

    def screenshot(self) -> bytes | None:
        """A PNG of the current page, or None when the browser cannot take one (it may be dying)."""
        try:
            return self.driver.get_screenshot_as_png()
        except Exception:  # a snapshot is evidence: a dying browser must not make it a second failure
            log.debug("screenshot failed", exc_info=True)
            return None

    def quit(self) -> None:
        """End the browser for good and release what it holds. Never raises."""
        raise NotImplementedError
