"""Settings: one typed, frozen object built once, the only code that reads `os.environ`.

Sources, lowest first: defaults < `.env` file < environment < command line. Every setting is
declared once in `scraper.settings.spec.SETTINGS`; this module merges the sources by that table and
checks every value, so bad configuration fails with a one-line `ConfigError` before a browser or a
database starts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv.parser import parse_stream

from scraper.browser.endpoints import Endpoint
from scraper.browser.kinds import BrowserChoice
from scraper.common.errors import ConfigError
from scraper.settings import sites as site_settings
from scraper.settings.spec import SANDBOX_DEFAULT_DELAY, SETTINGS, SPEC_BY_NAME

# The command line's flags that are not settings (no variable, no default), as `cli` keys.
FLAG_NAMES = ("sandbox", "no_report", "fresh", "shared")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, validated. Paths are as given (relative to the cwd).

    One typed field per `SettingSpec` (its `attribute`), then the flags; a test keeps them in step.
    """

    sites: tuple[str, ...]
    cities: tuple[str, ...]
    limit: int
    keyword: str
    base_urls: tuple[tuple[str, str], ...]  # (site, root URL) for every site in `sites`, in order
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
    sandbox_day: int
    sandbox_render_delay: float
    chromedriver: str | None
    chrome_binary: str | None
    sandbox: bool = False
    is_report_enabled: bool = True
    is_fresh: bool = False
    is_shared: bool = False

    @property
    def base_url(self) -> str:
        """The root URL of the first (with the default `sites`, the only) site."""
        return self.base_urls[0][1]

    def root_for(self, site: str) -> str:
        """The root URL of `site`. Raises KeyError for a site not in `sites`."""
        return dict(self.base_urls)[site]


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE pairs of a .env file, by python-dotenv's rules, with no variable expansion.

    Blank lines and `#` comment lines are skipped; an unquoted value ends at ` #` (an inline
    comment needs the space before `#`); quotes are removed; `export ` is allowed. A missing
    file is an empty mapping. Raises ConfigError naming the file and line for a line that is
    not KEY=VALUE (dotenv itself would only log a warning and skip it) or not UTF-8.
    """
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None
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


def build_settings(
    cli: Mapping[str, object],
    *,
    environ: Mapping[str, str] | None = None,
    dotenv_path: Path | None = Path(".env"),
) -> Settings:
    """Merge defaults, `.env`, the environment and CLI values (None = not given) and validate.

    `cli` keys are setting names (`limit`, `delay`, ...); `sandbox`, `no_report`, `fresh` and
    `shared` are flags. Raises ConfigError with a one-line message for any invalid value.
    """
    env = os.environ if environ is None else environ
    merged = {spec.name: spec.default for spec in SETTINGS}
    file_values = read_dotenv(dotenv_path) if dotenv_path else {}
    for source in (file_values, env):
        for spec in SETTINGS:
            if source.get(spec.env, "") != "":
                merged[spec.name] = source[spec.env]
    for name, value in cli.items():
        if value is not None and name in merged:
            merged[name] = str(value)
    sandbox = bool(cli.get("sandbox"))
    delay_env = SPEC_BY_NAME["delay"].env
    delay_given = cli.get("delay") is not None or any(delay_env in s for s in (file_values, env))
    if sandbox and not delay_given:
        merged["delay"] = str(SANDBOX_DEFAULT_DELAY)
    flags: dict[str, Any] = {
        "sandbox": sandbox,
        "is_report_enabled": not cli.get("no_report"),
        "is_fresh": bool(cli.get("fresh")),
        "is_shared": bool(cli.get("shared")),
    }
    return _validate(merged, flags)


def _validate(merged: dict[str, str], flags: dict[str, Any]) -> Settings:
    # Checked in table order; the first bad value is the one reported.
    values: dict[str, Any] = {spec.attribute: spec.check(spec.label, merged[spec.name]) for spec in SETTINGS}
    label = SPEC_BY_NAME["base_url"].label
    values["base_urls"] = site_settings.resolve_roots(label, values["sites"], values["base_urls"])
    values["limit"] = site_settings.check_limit(SPEC_BY_NAME["limit"].label, merged["limit"], values["sites"])
    site_settings.check_cities(values["sites"], values["cities"])
    if flags["is_shared"] and not values["database_url"].startswith("postgresql"):
        raise ConfigError("--shared needs a PostgreSQL database (row locks); SQLite runs one process at a time")
    if values["sandbox_day"] and not flags["sandbox"]:
        raise ConfigError(f"--sandbox-day {values['sandbox_day']} needs --sandbox (it picks the replica's day)")
    return Settings(**values, **flags)
