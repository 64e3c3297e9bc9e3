"""Settings: the parsers that turn a setting's text into its checked value, or a one-line ConfigError.

Each check is called as `check(label, text)`: `label` is how a message names the setting (its CLI
option if it has one, else its variable; see `SettingSpec.label`). The table in
`scraper.settings.spec` says which check each setting uses.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scraper.browser.endpoints import Endpoint, parse_endpoints
from scraper.browser.kinds import BrowserChoice
from scraper.common.dburl import check_database_url
from scraper.common.errors import ConfigError
from scraper.common.masking import mask_secrets
from scraper.model.cities import resolve_cities

DEFAULT_BASE_URL = "https://www.lagou.com"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
KEYWORD_MAX_CHARS = 100  # jobs.keyword and crawls.keyword are String(100) (a test keeps them equal)


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


def database_url(label: str, url: str) -> str:
    """The URL as given, once its shape is known good and it names a database that keeps its rows."""
    # Checked as text, so a bad URL fails before any database code is imported (echoed masked).
    backend, _driver = check_database_url(url)
    if backend == "sqlite" and _is_in_memory(url):
        raise ConfigError(
            f"{label} {mask_secrets(url)!r} is an in-memory SQLite database, which keeps nothing after the "
            "run: give a file, e.g. sqlite:///data/jobs.sqlite3"
        )
    return url


def _is_in_memory(url: str) -> bool:
    path, _, query = url.partition("://")[2].partition("?")
    return path in ("", "/", "/:memory:") or "mode=memory" in query


def base_url(label: str, url: str) -> str:
    """An http(s) site root (a path is allowed, a query or fragment is not), without a trailing slash."""
    parts = urlsplit(url)
    shown = mask_secrets(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URL must be an http(s) site root such as {DEFAULT_BASE_URL}, got {shown!r}")
    if parts.query or parts.fragment or url.rstrip().endswith(("?", "#")):
        raise ConfigError(f"{label} must be a site root without a ?query or #fragment, got {shown!r}")
    return url.rstrip("/")


def keyword(label: str, text: str) -> str:
    """A keyword that is not blank and fits its database column (`KEYWORD_MAX_CHARS`), stripped."""
    if not text.strip():
        raise ConfigError(f"{label} must not be empty, got {text!r}")
    if len(text.strip()) > KEYWORD_MAX_CHARS:
        raise ConfigError(f"{label} must be at most {KEYWORD_MAX_CHARS} characters, got {len(text.strip())}")
    return text.strip()


def writable_folder(label: str, text: str) -> Path:
    """A folder path that exists and is writable, or can be created where its nearest existing parent is."""
    folder = Path(text)
    problem = _unwritable(folder, is_folder=True)
    if problem:
        raise ConfigError(f"{label} {text!r} cannot be written: {problem}")
    return folder


def writable_file(label: str, text: str) -> Path:
    """A file path that can be written (its folder exists or can be created; it is no folder itself)."""
    target = Path(text)
    problem = _unwritable(target, is_folder=False)
    if problem:
        raise ConfigError(f"{label} {text!r} cannot be written: {problem}")
    return target


def _unwritable(path: Path, *, is_folder: bool) -> str:
    """Why `path` cannot be written, or "" when it can (nothing is created to find out)."""
    if path.exists():
        if path.is_dir() != is_folder:
            return "it is a folder" if path.is_dir() else "it is a file, not a folder"
        return "" if os.access(path if is_folder else path.parent, os.W_OK) else "permission denied"
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    return "" if os.access(parent, os.W_OK | os.X_OK) else f"{parent} is not writable"


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
