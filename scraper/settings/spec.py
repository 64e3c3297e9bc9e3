"""Settings: the one table that declares every setting (name, variable, default, check, option, help).

Everything else is read from it or tested against it: the environment map (`ENV_VARS`), the
validation in `scraper.settings.load`, the CLI options, defaults and help (`scraper.cli.main`),
`.env.example` (`render_env_example`, compared by a test) and the settings table in the docs
(checked row by row by a test). Adding a setting is one `SettingSpec` row here (its fields:
`scraper.settings.setting`) plus its typed field on `Settings`; docs/development.md says the rest.
"""

from __future__ import annotations

import textwrap

from scraper.settings import checks, sites
from scraper.settings.checks import Range
from scraper.settings.setting import SettingSpec

DEFAULT_DATABASE_URL = "sqlite:///data/jobs.sqlite3"
# The replica is our own server on loopback: politeness delays there only slow the demo down.
SANDBOX_DEFAULT_DELAY = 0.2
MAX_LIMIT = 450  # Lagou shows at most 30 pages of 15 postings per query (51job: 50 of 20; see settings.sites).
SANDBOX_MAX_DAY = 365  # the replica's latest day (scraper.sandbox.days.MAX_DAY; a test keeps them equal)


_SECONDS = " seconds"
# The order is the order in .env.example and in which values are checked.
SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "sites",
        "SCRAPER_SITES",
        "lagou",
        sites.sites,
        "Sites to scrape: lagou, 51job, a comma list such as lagou,51job, or all. Sites run one after another.",
        option="--site",
    ),
    SettingSpec(
        "cities",
        "SCRAPER_CITIES",
        "all",
        checks.cities,
        "Cities: 'all' (北京,上海,广州,深圳) or a comma list in Chinese, pinyin or English.",
        option="--cities",
    ),
    SettingSpec(
        "limit",
        "SCRAPER_LIMIT",
        "100",
        sites.whole_number,  # its range depends on the sites (settings.sites.check_limit)
        "Unique postings to collect per site and city (1-450 on Lagou, 1-1000 on 51job).",
        option="--limit",
    ),
    SettingSpec("keyword", "SCRAPER_KEYWORD", "Python", checks.keyword, "Search keyword.", option="--keyword"),
    SettingSpec(
        "base_url",
        "SCRAPER_BASE_URL",
        "",
        sites.base_urls,
        "Site root (a mirror or replica with the same paths): one URL for one site, or SITE=URL per site "
        "(repeat the option, or join with commas); empty = each site's own root.",
        option="--base-url",
        option_kwargs={"action": "append", "metavar": "[SITE=]URL"},
        attribute_name="base_urls",
    ),
    SettingSpec(
        "delay",
        "SCRAPER_DELAY",
        "3",
        Range(float, 0, note=_SECONDS),
        "Seconds between page loads of one worker (jitter ±30% is added; 0 allowed). --sandbox defaults to 0.2.",
        option="--delay",
    ),
    SettingSpec(
        "database_url",
        "DATABASE_URL",
        DEFAULT_DATABASE_URL,
        checks.database_url,
        "Database: SQLite file or PostgreSQL, e.g. postgresql://user:password@127.0.0.1:5432/jobs",
        option="--db",
        option_kwargs={"metavar": "URL"},
    ),
    SettingSpec(
        "page_load_timeout",
        "SCRAPER_PAGE_LOAD_TIMEOUT",
        "30",
        Range(float, 0, is_low_allowed=False, note=_SECONDS),
        "Seconds a page may take to load.",
    ),
    SettingSpec(
        "max_blocks",
        "SCRAPER_MAX_BLOCKS",
        "5",
        Range(int, 1),
        "Consecutive blocks (操作太频繁, verify redirects, login walls) before a city is parked.",
    ),
    SettingSpec(
        "max_retries",
        "SCRAPER_MAX_RETRIES",
        "3",
        Range(int, 0),
        "Retries of a page after a transient fault (timeout, HTTP 5xx, crashed browser).",
    ),
    SettingSpec(
        "backoff",
        "SCRAPER_BACKOFF",
        "10",
        Range(float, 0, note=_SECONDS),
        "Base backoff in seconds after a block or fault; doubles on each repeat, with jitter.",
    ),
    SettingSpec(
        "rate_window",
        "SCRAPER_RATE_WINDOW",
        "60",
        Range(float, 0, is_low_allowed=False, note=_SECONDS),
        "Seconds over which the site is assumed to count requests. After a block the worker infers the "
        "allowed pace from its own loads in this window and settles just under it.",
    ),
    SettingSpec(
        "timeout",
        "SCRAPER_TIMEOUT",
        "0",
        Range(float, 0, note=" seconds (0: no time limit)"),
        "Seconds the whole run may take (0 = no limit); when reached, the run stops as interrupted.",
        option="--timeout",
    ),
    SettingSpec(
        "report_dir",
        "SCRAPER_REPORT_DIR",
        "reports",
        checks.writable_folder,
        "Folder for charts and summary.json.",
        option="--report-dir",
    ),
    SettingSpec(
        "snapshot_dir",
        "SCRAPER_SNAPSHOT_DIR",
        "snapshots",
        checks.path,
        "Folder for error snapshots (HTML + screenshot of pages that blocked or failed to parse).",
    ),
    SettingSpec(
        "snapshot_keep",
        "SCRAPER_SNAPSHOT_KEEP",
        "50",
        Range(int, 0, note=" (0: take no snapshots)"),
        "Snapshots kept at most (oldest removed first); 0 = take none.",
    ),
    SettingSpec(
        "log_level",
        "SCRAPER_LOG_LEVEL",
        "INFO",
        checks.log_level,
        "Log level on stderr: DEBUG, INFO, WARNING, ERROR.",
        option="--log-level",
        # argparse checks the option itself; this message is about a value from .env or the environment.
        option_kwargs={"choices": checks.LOG_LEVELS, "type": str.upper},
        message_label="SCRAPER_LOG_LEVEL",
    ),
    SettingSpec(
        "log_file",
        "SCRAPER_LOG_FILE",
        "",
        checks.optional_path,
        "Also log to this file, rotated at 5 MB (3 kept); empty = stderr only.",
    ),
    SettingSpec(
        "lock_file",
        "SCRAPER_LOCK_FILE",
        "",
        checks.optional_path,
        "Lock file that keeps two runs from overlapping; empty = derived from the database and keyword.",
    ),
    SettingSpec(
        "webdriver_urls",
        "SCRAPER_WEBDRIVER_URLS",
        "",
        checks.endpoints,
        "Remote WebDriver endpoints (Selenium Grid or chromedriver), comma list, capacity as #N; empty = local.",
        option="--webdriver-url",
        # Repeatable on the command line; the CLI joins the values with commas.
        option_kwargs={"action": "append", "metavar": "URL[#N]"},
        attribute_name="webdriver_endpoints",
    ),
    SettingSpec(
        "claim_ttl",
        "SCRAPER_CLAIM_TTL",
        "120",
        Range(float, 0, is_low_allowed=False, note=_SECONDS),
        "With --shared (several processes on one PostgreSQL): seconds a claimed page stays reserved for the "
        "process that claimed it; a crashed process's pages are taken over after this.",
    ),
    SettingSpec(
        "db_retry_seconds",
        "SCRAPER_DB_RETRY_SECONDS",
        "120",
        Range(float, 0, note=_SECONDS),
        "Seconds the writer keeps retrying while the database is unreachable; after that the postings it "
        "could not store are saved to SCRAPER_SNAPSHOT_DIR/unwritten-<time>.jsonl and the run exits 1.",
    ),
    SettingSpec(
        "browser",
        "SCRAPER_BROWSER",
        "auto",
        checks.browser,
        "Local browser: auto (chromium-headless-shell when installed, else Chromium), headless-shell or chromium.",
        option="--browser",
    ),
    SettingSpec(
        "sandbox_day",
        "SCRAPER_SANDBOX_DAY",
        "0",
        Range(int, 0, SANDBOX_MAX_DAY, note=" (0: the replica as it always is)"),
        "With --sandbox: serve the replica as it looks this many days later (0-365; 0 = as always).",
        option="--sandbox-day",
        option_kwargs={"metavar": "N"},
    ),
    SettingSpec(
        "sandbox_render_delay",
        "SCRAPER_SANDBOX_RENDER_DELAY",
        "0.3",
        Range(float, 0, 120, note=_SECONDS),
        "With --sandbox: seconds the 51job replica's page waits before it fetches and renders its list "
        "(the real page takes about 8-9 s; short by default so tests stay fast).",
    ),
    SettingSpec(
        "chromedriver",
        "CHROMEDRIVER",
        "",
        checks.optional_text,
        "chromedriver to use; empty = the one on PATH (the OS package), else webdriver-manager.",
    ),
    SettingSpec(
        "chrome_binary",
        "CHROME_BIN",
        "",
        checks.optional_text,
        "Chromium/Chrome binary; empty = chromium on PATH.",
    ),
)

SPEC_BY_NAME: dict[str, SettingSpec] = {spec.name: spec for spec in SETTINGS}
# Environment variable -> (setting name, default as text), in table order.
ENV_VARS: dict[str, tuple[str, str]] = {spec.env: (spec.name, spec.default) for spec in SETTINGS}

_ENV_EXAMPLE_HEAD = (
    "# job-salary-scraper settings. Copy to .env (read from the current folder) or export them.\n"
    "# Precedence: defaults < .env < environment < command-line options. Every setting, with its default:\n\n"
)


def render_env_example() -> str:
    """The text of `.env.example`: every setting's help as a comment, then `VAR=default`."""
    parts = [_ENV_EXAMPLE_HEAD]
    for spec in SETTINGS:
        parts.append("\n".join(textwrap.wrap(spec.help, 110, initial_indent="# ", subsequent_indent="# ")))
        parts.append(f"\n{spec.env}={spec.default}\n")
    return "".join(parts)
