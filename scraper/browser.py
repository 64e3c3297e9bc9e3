"""Browser set-up: one headless Chromium WebDriver per worker, configured for cheap page loads.

The only module besides `fetch` and `workers` that imports Selenium. Chromium and ChromeDriver
come from the OS packages (chromedriver on PATH or `CHROMEDRIVER`); webdriver-manager is tried
only when no local driver exists. Each driver gets a fresh temporary profile, images, fonts and
media blocked, eager page loads and a page-load timeout; `--no-sandbox` only when running as root.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from webdriver_manager.chrome import ChromeDriverManager

from scraper.errors import DriverError

log = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Resources a listing page never needs: the job data is in the HTML itself.
BLOCKED_URL_PATTERNS = (
    "*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.svg", "*.ico",
    "*.woff", "*.woff2", "*.ttf", "*.otf", "*.mp4", "*.webm", "*.mp3",
)
CHROME_ARGS = (
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
    "--mute-audio",
    "--window-size=1280,900",
    "--blink-settings=imagesEnabled=false",
)


@dataclass(frozen=True, slots=True)
class BrowserConfig:
    """What every worker's browser shares."""

    chromedriver: str
    chrome_binary: str | None
    page_load_timeout: float


def find_chromedriver(configured: str | None) -> str:
    """The chromedriver to use: `configured`, else one on PATH, else webdriver-manager's download.

    Raises DriverError (one line) when none exists and none can be downloaded.
    """
    if configured:
        if not (Path(configured).is_file() and os.access(configured, os.X_OK)):
            raise DriverError(f"CHROMEDRIVER={configured} is not an executable file")
        return configured
    found = shutil.which("chromedriver")
    if found:
        return found
    try:
        # A fallback only: webdriver-manager downloads a driver, which needs internet access.
        return str(ChromeDriverManager().install())
    except Exception as exc:  # webdriver-manager raises many kinds (network, HTTP, parsing)
        raise DriverError(
            "no chromedriver found: install the OS package (apt-get install chromium chromium-driver) "
            f"or set CHROMEDRIVER; webdriver-manager could not download one ({type(exc).__name__})"
        ) from exc


def find_chrome_binary(configured: str | None) -> str | None:
    """`configured`, else the first Chromium/Chrome on PATH, else None (let chromedriver look)."""
    if configured:
        if not Path(configured).is_file():
            raise DriverError(f"CHROME_BIN={configured} does not exist")
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chrome_options(config: BrowserConfig, profile_dir: str) -> webdriver.ChromeOptions:
    """Chrome options shared by local and remote drivers."""
    options = webdriver.ChromeOptions()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile_dir}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to start as root otherwise
    options.page_load_strategy = "eager"
    options.add_experimental_option(
        "prefs",
        {
            "profile.managed_default_content_settings.images": 2,
            "profile.default_content_setting_values.notifications": 2,
        },
    )
    if config.chrome_binary:
        options.binary_location = config.chrome_binary
    return options


class ManagedDriver:
    """A local Chrome WebDriver plus the temporary profile it owns; `quit()` removes both."""

    def __init__(self, config: BrowserConfig) -> None:
        self._profile = tempfile.mkdtemp(prefix="jss-chrome-")
        try:
            self.driver = webdriver.Chrome(
                service=Service(config.chromedriver), options=chrome_options(config, self._profile)
            )
        except WebDriverException as exc:
            shutil.rmtree(self._profile, ignore_errors=True)
            first_line = (exc.msg or str(exc)).strip().splitlines()[0] if (exc.msg or str(exc)) else ""
            raise DriverError(f"could not start Chromium: {first_line}") from exc
        self.driver.set_page_load_timeout(config.page_load_timeout)
        try:
            self.driver.execute_cdp_cmd("Network.enable", {})
            self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": list(BLOCKED_URL_PATTERNS)})
        except WebDriverException:
            log.debug("CDP URL blocking unavailable; images stay blocked by preference only")

    def quit(self) -> None:
        """Quit the browser (ignoring a browser that already died) and remove the profile."""
        try:
            self.driver.quit()
        except Exception:  # the browser may have crashed already; quitting must never raise
            log.debug("driver.quit() failed", exc_info=True)
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)
