"""`--browser`: which binary each choice starts, and the options each binary gets (no browser is
started here; the end-to-end tests run both browsers against the replica)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import build_chrome_options, choose_browser, find_headless_shell
from scraper.common.errors import DriverError

SHELL = find_headless_shell()
needs_shell = pytest.mark.skipif(SHELL is None, reason="chromium-headless-shell is not installed")


@needs_shell
def test_auto_and_headless_shell_take_the_shell_when_installed() -> None:
    assert choose_browser(BrowserChoice.AUTO, None) == (SHELL, True)
    assert choose_browser(BrowserChoice.HEADLESS_SHELL, None) == (SHELL, True)


def test_chromium_takes_full_chromium_and_chrome_bin_wins_over_auto(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium is not None
    assert choose_browser(BrowserChoice.CHROMIUM, None) == (chromium, False)
    custom = tmp_path / "my-chrome"
    custom.write_text("")
    assert choose_browser(BrowserChoice.AUTO, str(custom)) == (str(custom), False)


def test_headless_shell_that_is_missing_is_a_driver_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("scraper.browser.local.HEADLESS_SHELL_PATHS", (str(tmp_path / "none"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DriverError, match="chromium-headless-shell is not installed"):
        choose_browser(BrowserChoice.HEADLESS_SHELL, None)


def test_the_shell_gets_no_new_headless_flag_and_no_profile_folder() -> None:
    shell = build_chrome_options(
        chrome_binary="/x/chromium-headless-shell", profile_dir="/profiles/p", no_sandbox=True, is_headless_shell=True
    ).arguments
    full = build_chrome_options(chrome_binary="/x/chromium", profile_dir="/profiles/p", no_sandbox=True).arguments
    assert "--headless=new" not in shell
    assert not any(arg.startswith("--user-data-dir") for arg in shell)
    assert "--headless=new" in full
    assert "--user-data-dir=/profiles/p" in full
    assert "--blink-settings=imagesEnabled=false" in shell
    assert "--blink-settings=imagesEnabled=false" in full
