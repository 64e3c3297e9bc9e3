"""Settings: the parsers that turn a setting's text into its checked value, or a one-line ConfigError.

Each check is called as `check(label, text)`: `label` is how a message names the setting (its CLI
option if it has one, else its variable; see `SettingSpec.label`). The table in
`scraper.settings.spec` says which check each setting uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scraper.browser.endpoints import Endpoint, parse_endpoints
from scraper.browser.kinds import BrowserChoice
from scraper.common.dburl import check_database_url
from scraper.common.errors import ConfigError
from scraper.model.cities import resolve_cities

DEFAULT_BASE_URL = "https://www.lagou.com"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _number(label: str, text: str, kind: type[int] | type[float]) -> float:
    try:
        value = kind(text)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{label} must be {noun}, got {text!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{label} must be a finite number, got {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class Range:
    """The rule of a numeric setting: its type and the range it must lie in.

    A message names the setting by its label, says the range in words plus `note`, and quotes the
    text that failed.
    """

    kind: type[int] | type[float]
    low: float
    high: float = math.inf
    is_low_allowed: bool = True  # False: the value must be more than `low` (a timeout of 0 is no timeout)
    note: str = ""

    def __call__(self, label: str, text: str) -> int | float:
        """The value of `text`; raises ConfigError when it is not a number of this kind in range."""
        value = _number(label, text, self.kind)
        is_above = value >= self.low if self.is_low_allowed else value > self.low
        if is_above and value <= self.high:
            return int(value) if self.kind is int else value
        if self.high < math.inf:
            words = f"between {self.low:g} and {self.high:g}"
        else:
            words = f"{self.low:g} or more" if self.is_low_allowed else f"more than {self.low:g}"
        raise ConfigError(f"{label} must be {words}{self.note}, got {text.strip()}")


def choose(label: str, text: str, choices: tuple[str, ...]) -> str:
    """`text` as one of `choices`, compared without case; raises ConfigError naming both."""
    chosen = next((choice for choice in choices if choice.lower() == text.strip().lower()), None)
    if chosen is None:
        raise ConfigError(f"{label} must be one of {', '.join(choices)}, got {text!r}")
    return chosen


def log_level(label: str, text: str) -> str:
    """One of LOG_LEVELS, any case."""
    return choose(label, text, LOG_LEVELS)


def browser(label: str, text: str) -> BrowserChoice:
    """A BrowserChoice by its value, any case."""
    return BrowserChoice(choose(label, text, tuple(BrowserChoice)))


def database_url(_label: str, url: str) -> str:
    """The URL as given, once its shape is known good."""
    # Checked as text, so a bad URL fails before any database code is imported (echoed masked).
    check_database_url(url)
    return url


def base_url(_label: str, url: str) -> str:
    """An http(s) site root, without a trailing slash."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URL must be an http(s) site root such as {DEFAULT_BASE_URL}, got {url!r}")
    return url.rstrip("/")


def keyword(label: str, text: str) -> str:
    """A keyword that is not blank, stripped."""
    if not text.strip():
        raise ConfigError(f"{label} must not be empty, got {text!r}")
    return text.strip()


def cities(_label: str, text: str) -> tuple[str, ...]:
    """Chinese city names ("all" or a comma list); the message names the valid cities."""
    return resolve_cities(text)


def endpoints(_label: str, text: str) -> tuple[Endpoint, ...]:
    """Remote WebDriver endpoints (a comma list, capacity as #N); empty is none."""
    return parse_endpoints(text)


def path(_label: str, text: str) -> Path:
    """A path as given (relative to the current folder)."""
    return Path(text)


def optional_path(_label: str, text: str) -> Path | None:
    """A path, or None for empty text."""
    return Path(text) if text else None


def optional_text(_label: str, text: str) -> str | None:
    """The text, or None for empty text."""
    return text or None
