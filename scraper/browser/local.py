"""Browser set-up: one headless Chromium WebDriver per worker, configured for cheap page loads.

Selenium is imported only here, in `remote` and in `fetch`. Chromium and ChromeDriver
come from the OS packages (chromedriver on PATH or `CHROMEDRIVER`); webdriver-manager is tried
only when no local driver exists. The browser is the headless shell (chromium-headless-shell,
cheapest) or full Chromium with `--headless=new`, as `--browser` says. Each driver gets a fresh
temporary profile, images blocked (by setting and preference, no CDP call: the first CDP call of a
session sometimes stalls Chromium's start-up by seconds), eager page loads (fonts and other late
resources never hold a page back) and a page-load timeout; `--no-sandbox` only when running as
root. Every WebDriver call has a deadline (the page-load and script timeouts in the browser, the
HTTP client's timeout around them), and each chromedriver runs in a process group of its own,
known to the run's `Lifeline` (`scraper.browser.processes`), so that `quit()` or a hard stop ends
the driver and every process of its browser, also when the driver died first. The options builder
and the error wording are shared with `remote`, which opens the same browser on a Selenium Grid
or a bare chromedriver instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import urllib3
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.command import Command
from selenium.webdriver.remote.remote_connection import RemoteConnection
from webdriver_manager.chrome import ChromeDriverManager

from scraper.browser.driver_service import GroupedService
from scraper.browser.fetch import FetchedPage
from scraper.browser.handle import WebDriverBrowser
from scraper.browser.kinds import BrowserChoice
from scraper.browser.network_log import enable_network_log, guard_site_hosts
from scraper.browser.processes import Lifeline, kill_group
from scraper.common.errors import BrowserCrashedError, DriverError

log = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Debian's package chromium-headless-shell puts the binary here; other systems may have it on PATH.
HEADLESS_SHELL_PATHS = ("/usr/lib/chromium/chromium-headless-shell",)
HEADLESS_SHELL_NAMES = ("chromium-headless-shell", "headless_shell")
NEW_HEADLESS_ARG = "--headless=new"  # full Chromium only: the shell is headless by build
CHROME_ARGS = (
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
# A WebDriver call waits at most this long beyond the browser's own page-load timeout: a frozen
# chromedriver then fails the call (the worker replaces the browser) instead of hanging the run.
COMMAND_TIMEOUT_MARGIN = 15.0
QUIT_TIMEOUT_S = 5.0  # a polite quit first; whatever is left of the browser is then killed


@dataclass(frozen=True, slots=True)
class BrowserConfig:
    """What every worker's browser shares. `is_headless_shell`: the binary is the headless shell."""

    chromedriver: str
    chrome_binary: str | None
    page_load_timeout: float
    is_headless_shell: bool = False
    site_hosts: tuple[str, ...] = ()  # the only hosts the browser may reach (empty: any)


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


def find_headless_shell() -> str | None:
    """The chromium-headless-shell binary when installed, else None."""
    for path in HEADLESS_SHELL_PATHS:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return next((found for name in HEADLESS_SHELL_NAMES if (found := shutil.which(name))), None)


def choose_browser(choice: BrowserChoice, configured: str | None) -> tuple[str | None, bool]:
    """The binary to start and whether it is the headless shell, for a `--browser` choice.

    `CHROME_BIN` (`configured`) wins over `auto` and `chromium`; `headless-shell` insists on the
    shell. Raises DriverError when the named browser is not installed.
    """
    if choice is BrowserChoice.HEADLESS_SHELL or (choice is BrowserChoice.AUTO and not configured):
        shell = find_headless_shell()
        if shell is not None:
            return shell, True
        if choice is BrowserChoice.HEADLESS_SHELL:
            raise DriverError(
                "--browser headless-shell: chromium-headless-shell is not installed "
                "(apt-get install chromium-headless-shell)"
            )
    binary = find_chrome_binary(configured)
    if binary is None and choice is BrowserChoice.CHROMIUM:
        raise DriverError("--browser chromium: no chromium on PATH (apt-get install chromium) and no CHROME_BIN")
    is_shell = binary is not None and Path(binary).name in ("chromium-headless-shell", "headless_shell")
    return binary, is_shell


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
    *,
    chrome_binary: str | None,
    profile_dir: str | None,
    no_sandbox: bool,
    is_headless_shell: bool = False,
    site_hosts: Sequence[str] = (),
) -> webdriver.ChromeOptions:
    """The one set of Chrome options every driver gets, local or remote.

    Every browser logs its network events (`scraper.browser.network_log`); with `site_hosts` it
    reaches no other host (a redirect elsewhere fails, and the log names it).

    `profile_dir` None leaves the profile to chromedriver (a fresh temporary one on its own host);
    `chrome_binary` None lets chromedriver find the browser. The headless shell gets neither
    `--headless=new` (it has one mode) nor a profile folder (with `--user-data-dir` chromedriver
    cannot find its page: "unable to discover open pages").
    """
    options = webdriver.ChromeOptions()
    if not is_headless_shell:
        options.add_argument(NEW_HEADLESS_ARG)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    if profile_dir is not None and not is_headless_shell:
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
    enable_network_log(options)
    if site_hosts:
        guard_site_hosts(options, site_hosts)
    return options


def chrome_options(config: BrowserConfig, profile_dir: str | None) -> webdriver.ChromeOptions:
    """Chrome options for a local driver using the profile folder `profile_dir`."""
    return build_chrome_options(
        chrome_binary=config.chrome_binary,
        profile_dir=profile_dir,
        no_sandbox=is_running_as_root(),
        is_headless_shell=config.is_headless_shell,
        site_hosts=config.site_hosts,
    )


def is_running_as_root() -> bool:
    """Whether this process runs as root (where Chromium needs `--no-sandbox`)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def first_line(exc: BaseException) -> str:
    """The first non-empty line of a WebDriver error message (they run to dozens of lines)."""
    text = (getattr(exc, "msg", None) or str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class LocalBrowser(WebDriverBrowser):
    """A local Chrome WebDriver plus the temporary profile it owns; `quit()` removes both.

    With a `lifeline`, chromedriver starts in a process group of its own carrying the run's
    marker, and the group is registered with the lifeline until `quit()` has killed it.
    """

    def __init__(self, config: BrowserConfig, *, lifeline: Lifeline | None = None) -> None:
        # The headless shell takes no profile folder; chromedriver gives it a temporary one and
        # removes it on quit.
        self._profile = None if config.is_headless_shell else tempfile.mkdtemp(prefix="jss-chrome-")
        self._lifeline = lifeline
        self._group: int | None = None
        self._is_dead = False
        service = (
            GroupedService(config.chromedriver, lifeline=lifeline, on_start=self._register)
            if lifeline is not None
            else Service(config.chromedriver)
        )
        self._service = service
        try:
            self.driver = webdriver.Chrome(service=service, options=chrome_options(config, self._profile))
            self.driver.set_page_load_timeout(config.page_load_timeout)
            self.driver.set_script_timeout(config.page_load_timeout)
        except (WebDriverException, urllib3.exceptions.HTTPError, OSError) as exc:
            # urllib3's errors: the driver died while starting (its HTTP connection dropped).
            self._kill()
            with contextlib.suppress(Exception):  # whatever selenium left running of the driver
                service.stop()
            self._remove_profile()
            name = "the headless shell" if config.is_headless_shell else "Chromium"
            raise DriverError(f"could not start {name}: {first_line(exc)}") from exc
        self._set_call_timeout(config.page_load_timeout + COMMAND_TIMEOUT_MARGIN)

    def page(self, url: str) -> FetchedPage:
        """As `WebDriverBrowser.page`; a driver that stopped answering is then not asked to quit."""
        try:
            return super().page(url)
        except BrowserCrashedError as exc:
            self._is_dead = isinstance(exc.__cause__, urllib3.exceptions.HTTPError)  # no answer at all
            raise

    def _set_call_timeout(self, seconds: float) -> None:
        """How long the HTTP client waits for chromedriver's answer to any one call."""
        executor = self.driver.command_executor
        if isinstance(executor, RemoteConnection):
            executor.client_config.timeout = seconds

    def _register(self, group: int) -> None:
        """Called as soon as chromedriver runs, before its browser starts: from then on the
        lifeline kills the group if the run dies, even in the middle of the start."""
        self._group = group
        if self._lifeline is not None:
            self._lifeline.add(group)

    def quit(self) -> None:
        """Quit the browser politely (briefly), kill what is left of it, remove the profile. Never raises."""
        is_polite = False
        try:
            # A dead or frozen driver is not asked: urllib3 would retry the request, for seconds.
            if not self._is_dead and self._service.process.poll() is None:
                self._set_call_timeout(QUIT_TIMEOUT_S)
                self.driver.execute(Command.QUIT)
                is_polite = True
        except Exception:  # the browser may have crashed already; quitting must never raise
            log.debug("WebDriver quit failed", exc_info=True)
        if not is_polite:
            self._kill()  # a dead or frozen driver answers nothing: end its whole group now
        try:
            # A driver that answered shuts down on request and removes its temporary folders.
            self._service.stop()
        except Exception:  # already dead or never started: nothing more to release
            log.debug("chromedriver service stop failed", exc_info=True)
        finally:
            self._kill()  # whatever of the browser outlived its driver
            self._remove_profile()

    def _kill(self) -> None:
        group, self._group = self._group, None
        if group is None or self._lifeline is None:
            return
        kill_group(group, marker=self._lifeline.marker)
        self._lifeline.discard(group)

    def _remove_profile(self) -> None:
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
