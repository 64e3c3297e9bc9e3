"""Settings: one typed, frozen object built once, the only code that reads `os.environ`.

Sources, lowest first: defaults < `.env` file < environment < command line. Everything is
validated here, so bad configuration fails with a one-line `ConfigError` before a browser or a
database starts. `ENV_VARS` lists every setting's variable and default; a test keeps
`.env.example` in sync with it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv.parser import parse_stream

from scraper.browser.endpoints import Endpoint, parse_endpoints
from scraper.browser.kinds import BrowserChoice
from scraper.common.dburl import check_database_url
from scraper.common.errors import ConfigError
from scraper.model.cities import resolve_cities

DEFAULT_DATABASE_URL = "sqlite:///data/jobs.sqlite3"
DEFAULT_BASE_URL = "https://www.lagou.com"
# The replica is our own server on loopback: politeness delays there only slow the demo down.
SANDBOX_DEFAULT_DELAY = 0.2
MAX_LIMIT = 450  # Lagou shows at most 30 pages of 15 postings per query.
SANDBOX_MAX_DAY = 365  # the replica's latest day (scraper.sandbox.days.MAX_DAY; a test keeps them equal)

# Environment variable -> (setting name, default as text). The order is the order in .env.example.
ENV_VARS: dict[str, tuple[str, str]] = {
    "SCRAPER_CITIES": ("cities", "all"),
    "SCRAPER_LIMIT": ("limit", "100"),
    "SCRAPER_KEYWORD": ("keyword", "Python"),
    "SCRAPER_BASE_URL": ("base_url", DEFAULT_BASE_URL),
    "SCRAPER_DELAY": ("delay", "3"),
    "DATABASE_URL": ("database_url", DEFAULT_DATABASE_URL),
    "SCRAPER_PAGE_LOAD_TIMEOUT": ("page_load_timeout", "30"),
    "SCRAPER_MAX_BLOCKS": ("max_blocks", "5"),
    "SCRAPER_MAX_RETRIES": ("max_retries", "3"),
    "SCRAPER_BACKOFF": ("backoff", "10"),
    "SCRAPER_RATE_WINDOW": ("rate_window", "60"),
    "SCRAPER_TIMEOUT": ("timeout", "0"),
    "SCRAPER_REPORT_DIR": ("report_dir", "reports"),
    "SCRAPER_SNAPSHOT_DIR": ("snapshot_dir", "snapshots"),
    "SCRAPER_SNAPSHOT_KEEP": ("snapshot_keep", "50"),
    "SCRAPER_LOG_LEVEL": ("log_level", "INFO"),
    "SCRAPER_LOG_FILE": ("log_file", ""),
    "SCRAPER_LOCK_FILE": ("lock_file", ""),
    "SCRAPER_WEBDRIVER_URLS": ("webdriver_urls", ""),
    "SCRAPER_CLAIM_TTL": ("claim_ttl", "120"),
    "SCRAPER_DB_RETRY_SECONDS": ("db_retry_seconds", "120"),
    "SCRAPER_BROWSER": ("browser", "auto"),
    "SCRAPER_SANDBOX_DAY": ("sandbox_day", "0"),
    "CHROMEDRIVER": ("chromedriver", ""),
    "CHROME_BIN": ("chrome_binary", ""),
}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, validated. Paths are as given (relative to the cwd)."""

    cities: tuple[str, ...]
    limit: int
    keyword: str
    base_url: str
    delay: float
    database_url: str
    page_load_timeout: float
    max_blocks: int
    max_retries: int
    backoff: float
    rate_window: float
    timeout: float
    report_dir: Path
    snapshot_dir: Path
    snapshot_keep: int
    log_level: str
    log_file: Path | None
    lock_file: Path | None
    webdriver_endpoints: tuple[Endpoint, ...]
    claim_ttl: float
    db_retry_seconds: float
    browser: BrowserChoice
    chromedriver: str | None
    chrome_binary: str | None
    sandbox: bool = False
    sandbox_day: int = 0
    is_report_enabled: bool = True
    is_fresh: bool = False
    is_shared: bool = False


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE pairs of a .env file, by python-dotenv's rules, with no variable expansion.

    Blank lines and `#` comment lines are skipped; an unquoted value ends at ` #` (an inline
    comment needs the space before `#`); quotes are removed; `export ` is allowed. A missing
    file is an empty mapping. Raises ConfigError naming the file and line for a line that is
    not KEY=VALUE (dotenv itself would only log a warning and skip it).
    """
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    with path.open(encoding="utf-8") as stream:
        # `dotenv_values(path, interpolate=False)` is this loop without the error check: it reads the
        # same bindings from `parse_stream`, but only logs a malformed line and drops it.
        for binding in parse_stream(stream):
            if binding.error or (binding.key is not None and binding.value is None):
                shown = binding.original.string.strip()[:40]
                raise ConfigError(f"{path}:{binding.original.line}: expected KEY=VALUE, got {shown!r}")
            if binding.key is not None and binding.value is not None:
                values[binding.key] = binding.value
    return values


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
class _Range:
    """The rule of a numeric setting: its type and the range it must lie in.

    A message names the setting by `label` (its CLI option if it has one, else its variable),
    says the range in words plus `note`, and quotes the text that failed.
    """

    label: str
    kind: type[int] | type[float]
    low: float
    high: float = math.inf
    is_low_allowed: bool = True  # False: the value must be more than `low` (a timeout of 0 is no timeout)
    note: str = ""

    def parse(self, text: str) -> float:
        """The value of `text`; raises ConfigError when it is not a number of this kind in range."""
        value = _number(self.label, text, self.kind)
        is_above = value >= self.low if self.is_low_allowed else value > self.low
        if is_above and value <= self.high:
            return value
        if self.high < math.inf:
            words = f"between {self.low:g} and {self.high:g}"
        else:
            words = f"{self.low:g} or more" if self.is_low_allowed else f"more than {self.low:g}"
        raise ConfigError(f"{self.label} must be {words}{self.note}, got {text.strip()}")


# Every numeric setting, checked in this order; int settings are whole numbers.
_RANGES: dict[str, _Range] = {
    "limit": _Range("--limit", int, 1, MAX_LIMIT, note=" (Lagou shows 30 pages of 15)"),
    "delay": _Range("--delay", float, 0, note=" seconds"),
    "page_load_timeout": _Range("SCRAPER_PAGE_LOAD_TIMEOUT", float, 0, is_low_allowed=False, note=" seconds"),
    "max_blocks": _Range("SCRAPER_MAX_BLOCKS", int, 1),
    "max_retries": _Range("SCRAPER_MAX_RETRIES", int, 0),
    "backoff": _Range("SCRAPER_BACKOFF", float, 0, note=" seconds"),
    "rate_window": _Range("SCRAPER_RATE_WINDOW", float, 0, is_low_allowed=False, note=" seconds"),
    "timeout": _Range("--timeout", float, 0, note=" seconds (0: no time limit)"),
    "snapshot_keep": _Range("SCRAPER_SNAPSHOT_KEEP", int, 0, note=" (0: take no snapshots)"),
    "claim_ttl": _Range("SCRAPER_CLAIM_TTL", float, 0, is_low_allowed=False, note=" seconds"),
    "db_retry_seconds": _Range("SCRAPER_DB_RETRY_SECONDS", float, 0, note=" seconds"),
    "sandbox_day": _Range("--sandbox-day", int, 0, SANDBOX_MAX_DAY, note=" (0: the replica as it always is)"),
}


def _choose(label: str, text: str, choices: tuple[str, ...]) -> str:
    """`text` as one of `choices`, compared without case; raises ConfigError naming both."""
    chosen = next((choice for choice in choices if choice.lower() == text.strip().lower()), None)
    if chosen is None:
        raise ConfigError(f"{label} must be one of {', '.join(choices)}, got {text!r}")
    return chosen


def _check_database_url(url: str) -> str:
    # Checked as text, so a bad URL fails before any database code is imported (echoed masked).
    check_database_url(url)
    return url


def _check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URL must be an http(s) site root such as {DEFAULT_BASE_URL}, got {url!r}")
    return url.rstrip("/")


def _check_keyword(text: str) -> str:
    if not text.strip():
        raise ConfigError(f"--keyword must not be empty, got {text!r}")
    return text.strip()


def build_settings(
    cli: Mapping[str, object],
    *,
    environ: Mapping[str, str] | None = None,
    dotenv_path: Path | None = Path(".env"),
) -> Settings:
    """Merge defaults, `.env`, the environment and CLI values (None = not given) and validate.

    `cli` keys are setting names (`limit`, `delay`, ...); `sandbox` and `no_report` are flags.
    Raises ConfigError with a one-line message for any invalid value.
    """
    env = os.environ if environ is None else environ
    merged = dict(ENV_VARS.values())
    file_values = read_dotenv(dotenv_path) if dotenv_path else {}
    for source in (file_values, env):
        for var, (name, _default) in ENV_VARS.items():
            if source.get(var, "") != "":
                merged[name] = source[var]
    for name, value in cli.items():
        if value is not None and name in merged:
            merged[name] = str(value)
    sandbox = bool(cli.get("sandbox"))
    delay_given = cli.get("delay") is not None or any("SCRAPER_DELAY" in s for s in (file_values, env))
    if sandbox and not delay_given:
        merged["delay"] = str(SANDBOX_DEFAULT_DELAY)
    flags = {
        "sandbox": sandbox,
        "is_report_enabled": not cli.get("no_report"),
        "is_fresh": bool(cli.get("fresh")),
        "is_shared": bool(cli.get("shared")),
    }
    return _validate(merged, flags)


def _validate(merged: dict[str, str], flags: dict[str, bool]) -> Settings:
    numbers = {name: rule.parse(merged[name]) for name, rule in _RANGES.items()}
    database_url = _check_database_url(merged["database_url"])
    if flags["is_shared"] and not database_url.startswith("postgresql"):
        raise ConfigError("--shared needs a PostgreSQL database (row locks); SQLite runs one process at a time")
    if numbers["sandbox_day"] and not flags["sandbox"]:
        raise ConfigError(f"--sandbox-day {int(numbers['sandbox_day'])} needs --sandbox (it picks the replica's day)")
    return Settings(
        cities=resolve_cities(merged["cities"]),
        limit=int(numbers["limit"]),
        keyword=_check_keyword(merged["keyword"]),
        base_url=_check_base_url(merged["base_url"]),
        delay=numbers["delay"],
        database_url=database_url,
        page_load_timeout=numbers["page_load_timeout"],
        max_blocks=int(numbers["max_blocks"]),
        max_retries=int(numbers["max_retries"]),
        backoff=numbers["backoff"],
        rate_window=numbers["rate_window"],
        timeout=numbers["timeout"],
        report_dir=Path(merged["report_dir"]),
        snapshot_dir=Path(merged["snapshot_dir"]),
        snapshot_keep=int(numbers["snapshot_keep"]),
        log_level=_choose("SCRAPER_LOG_LEVEL", merged["log_level"], LOG_LEVELS),
        log_file=Path(merged["log_file"]) if merged["log_file"] else None,
        lock_file=Path(merged["lock_file"]) if merged["lock_file"] else None,
        webdriver_endpoints=parse_endpoints(merged["webdriver_urls"]),
        claim_ttl=numbers["claim_ttl"],
        db_retry_seconds=numbers["db_retry_seconds"],
        browser=BrowserChoice(_choose("--browser", merged["browser"], tuple(BrowserChoice))),
        chromedriver=merged["chromedriver"] or None,
        chrome_binary=merged["chrome_binary"] or None,
        sandbox=flags["sandbox"],
        sandbox_day=int(numbers["sandbox_day"]),
        is_report_enabled=flags["is_report_enabled"],
        is_fresh=flags["is_fresh"],
        is_shared=flags["is_shared"],
    )
