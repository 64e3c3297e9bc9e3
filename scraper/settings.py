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
from scraper.model.cities import resolve_cities
from scraper.model.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///data/jobs.sqlite3"
DEFAULT_BASE_URL = "https://www.lagou.com"
# The replica is our own server on loopback: politeness delays there only slow the demo down.
SANDBOX_DEFAULT_DELAY = 0.2
MAX_LIMIT = 450  # Lagou shows at most 30 pages of 15 postings per query.

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
        for binding in parse_stream(stream):
            if binding.error or (binding.key is not None and binding.value is None):
                shown = binding.original.string.strip()[:40]
                raise ConfigError(f"{path}:{binding.original.line}: expected KEY=VALUE, got {shown!r}")
            if binding.key is not None and binding.value is not None:
                values[binding.key] = binding.value
    return values


def _number(name: str, text: str, kind: type[int] | type[float]) -> float:
    try:
        value = kind(text)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {noun}, got {text!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number, got {text!r}")
    return value


def _check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URL must be an http(s) site root such as {DEFAULT_BASE_URL}, got {url!r}")
    return url.rstrip("/")


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
    flags = {"sandbox": sandbox, "is_report_enabled": not cli.get("no_report"), "is_fresh": bool(cli.get("fresh")),
             "is_shared": bool(cli.get("shared"))}
    return _validate(merged, flags)


def _validate(merged: dict[str, str], flags: dict[str, bool]) -> Settings:
    limit = int(_number("--limit", merged["limit"], int))
    if not 1 <= limit <= MAX_LIMIT:
        raise ConfigError(f"--limit must be between 1 and {MAX_LIMIT} (Lagou shows 30 pages of 15), got {limit}")
    delay = _number("--delay", merged["delay"], float)
    if delay < 0:
        raise ConfigError(f"--delay must be 0 or more seconds, got {merged['delay']!r}")
    timeout = _number("SCRAPER_PAGE_LOAD_TIMEOUT", merged["page_load_timeout"], float)
    if timeout <= 0:
        raise ConfigError(f"SCRAPER_PAGE_LOAD_TIMEOUT must be positive, got {merged['page_load_timeout']!r}")
    max_blocks = int(_number("SCRAPER_MAX_BLOCKS", merged["max_blocks"], int))
    max_retries = int(_number("SCRAPER_MAX_RETRIES", merged["max_retries"], int))
    backoff = _number("SCRAPER_BACKOFF", merged["backoff"], float)
    rate_window = _number("SCRAPER_RATE_WINDOW", merged["rate_window"], float)
    if rate_window <= 0:
        raise ConfigError(f"SCRAPER_RATE_WINDOW must be positive, got {merged['rate_window']!r}")
    if max_blocks < 1 or max_retries < 0 or backoff < 0:
        raise ConfigError("SCRAPER_MAX_BLOCKS must be ≥ 1, SCRAPER_MAX_RETRIES and SCRAPER_BACKOFF ≥ 0")
    claim_ttl = _number("SCRAPER_CLAIM_TTL", merged["claim_ttl"], float)
    db_retry_seconds = _number("SCRAPER_DB_RETRY_SECONDS", merged["db_retry_seconds"], float)
    if claim_ttl <= 0 or db_retry_seconds < 0:
        raise ConfigError("SCRAPER_CLAIM_TTL must be positive and SCRAPER_DB_RETRY_SECONDS 0 or more")
    if flags["is_shared"] and not merged["database_url"].startswith("postgresql"):
        raise ConfigError("--shared needs a PostgreSQL database (row locks); SQLite runs one process at a time")
    run_timeout = _number("--timeout", merged["timeout"], float)
    snapshot_keep = int(_number("SCRAPER_SNAPSHOT_KEEP", merged["snapshot_keep"], int))
    if run_timeout < 0 or snapshot_keep < 0:
        raise ConfigError("--timeout and SCRAPER_SNAPSHOT_KEEP must be 0 or more (0: no time limit / no snapshots)")
    keyword = merged["keyword"].strip()
    if not keyword:
        raise ConfigError("--keyword must not be empty")
    log_level = merged["log_level"].upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"SCRAPER_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")
    try:
        browser = BrowserChoice(merged["browser"].strip().lower())
    except ValueError:
        choices = ", ".join(choice.value for choice in BrowserChoice)
        raise ConfigError(f"--browser must be one of {choices}, got {merged['browser']!r}") from None
    if "://" not in merged["database_url"]:
        # The value is not echoed: a malformed URL may still hold a password.
        raise ConfigError("database URL must look like sqlite:///path or postgresql://user@host/db")
    return Settings(
        cities=resolve_cities(merged["cities"]),
        limit=limit,
        keyword=keyword,
        base_url=_check_base_url(merged["base_url"]),
        delay=delay,
        database_url=merged["database_url"],
        page_load_timeout=timeout,
        max_blocks=max_blocks,
        max_retries=max_retries,
        backoff=backoff,
        rate_window=rate_window,
        timeout=run_timeout,
        report_dir=Path(merged["report_dir"]),
        snapshot_dir=Path(merged["snapshot_dir"]),
        snapshot_keep=snapshot_keep,
        log_level=log_level,
        log_file=Path(merged["log_file"]) if merged["log_file"] else None,
        lock_file=Path(merged["lock_file"]) if merged["lock_file"] else None,
        webdriver_endpoints=parse_endpoints(merged["webdriver_urls"]),
        claim_ttl=claim_ttl,
        db_retry_seconds=db_retry_seconds,
        browser=browser,
        chromedriver=merged["chromedriver"] or None,
        chrome_binary=merged["chrome_binary"] or None,
        sandbox=flags["sandbox"],
        is_report_enabled=flags["is_report_enabled"],
        is_fresh=flags["is_fresh"],
        is_shared=flags["is_shared"],
    )
