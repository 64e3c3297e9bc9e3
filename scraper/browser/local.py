"""Browser set-up: one headless Chromium WebDriver per worker, configured for cheap page loads.

Selenium is imported only here, in `remote` and in `fetch`. Chromium and ChromeDriver
come from the OS packages (chromedriver on PATH or `CHROMEDRIVER`); webdriver-manager is tried
only when no local driver exists. Each driver gets a fresh temporary profile, images blocked (by
setting and preference, no CDP call: the first CDP call of a session sometimes stalls Chromium's
start-up by seconds), eager page loads (fonts and other late resources never hold a page back) and
a page-load timeout; `--no-sandbox` only when running as root.
The options builder and the error wording are shared with `remote`, which
opens the same browser on a Selenium Grid or a bare chromedriver instead.
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

from scraper.model.errors import DriverError

log = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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


def build_chrome_options(
    *, chrome_binary: str | None, profile_dir: str | None, no_sandbox: bool
) -> webdriver.ChromeOptions:
    """The one set of Chrome options every driver gets, local or remote.

    `profile_dir` None leaves the profile to chromedriver (a fresh temporary one on its own host);
    `chrome_binary` None lets chromedriver find the browser.
    """
    options = webdriver.ChromeOptions()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    if profile_dir is not None:
        options.add_argument(f"--user-data-dir={profile_dir}")
    if no_sandbox:
        options.add_argument("--no-sandbox")  # Chromium refuses to start as root otherwise
    options.page_load_strategy = "eager"
    options.add_experimental_option(
        "prefs",
        {
            "profile.managed_default_content_settings.images": 2,
            "profile.default_content_setting_values.notifications": 2,
        },
    )
    if chrome_binary:
        options.binary_location = chrome_binary
    return options


def chrome_options(config: BrowserConfig, profile_dir: str) -> webdriver.ChromeOptions:
    """Chrome options for a local driver using the profile folder `profile_dir`."""
    return build_chrome_options(
        chrome_binary=config.chrome_binary, profile_dir=profile_dir, no_sandbox=is_running_as_root()
    )


def is_running_as_root() -> bool:
    """Whether this process runs as root (where Chromium needs `--no-sandbox`)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def first_line(exc: BaseException) -> str:
    """The first non-empty line of a WebDriver error message (they run to dozens of lines)."""
    text = (getattr(exc, "msg", None) or str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


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
            raise DriverError(f"could not start Chromium: {first_line(exc)}") from exc
        self.driver.set_page_load_timeout(config.page_load_timeout)

    def quit(self) -> None:
        """Quit the browser (ignoring a browser that already died) and remove the profile."""
        try:
            self.driver.quit()
        except Exception:  # the browser may have crashed already; quitting must never raise
            log.debug("driver.quit() failed", exc_info=True)
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)
