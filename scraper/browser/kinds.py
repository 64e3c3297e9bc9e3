"""Which browser binary a local worker starts: the choice users make with `--browser` /
`SCRAPER_BROWSER`. Kept apart from `local` so the settings can name it without importing Selenium."""

from __future__ import annotations

from enum import StrEnum


class BrowserChoice(StrEnum):
    """`auto` takes the headless shell when it is installed, else full Chromium."""

    AUTO = "auto"
    HEADLESS_SHELL = "headless-shell"  # chromium-headless-shell: the old headless build, cheapest
    CHROMIUM = "chromium"  # full Chromium with --headless=new: closest to a desktop browser
