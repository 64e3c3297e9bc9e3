"""Settings: precedence of defaults, .env, environment and CLI; validation; .env.example in sync."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from scraper.browser.kinds import BrowserChoice
from scraper.common.errors import ConfigError
from scraper.model.cities import city_order, resolve_cities
from scraper.settings import (
    DEFAULT_BASE_URL,
    ENV_VARS,
    SANDBOX_DEFAULT_DELAY,
    SETTINGS,
    Settings,
    build_settings,
    render_env_example,
)

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_any_source(tmp_path: Path) -> None:
    s = build_settings({}, environ={}, dotenv_path=tmp_path / "none")
    assert s.cities == ("北京", "上海", "广州", "深圳")
    assert (s.limit, s.keyword, s.base_url, s.delay) == (100, "Python", DEFAULT_BASE_URL, 3.0)
    assert s.database_url == "sqlite:///data/jobs.sqlite3"
    assert (s.page_load_timeout, s.timeout, s.max_blocks, s.max_retries, s.backoff) == (30.0, 0.0, 5, 3, 10.0)
    assert (s.is_fresh, s.sandbox, s.log_file, s.lock_file, s.webdriver_endpoints) == (False, False, None, None, ())
    assert s.chromedriver is None
    assert s.is_report_enabled is True


def test_precedence_is_dotenv_then_environment_then_cli(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("SCRAPER_LIMIT=10\nSCRAPER_KEYWORD='Go'\n# comment\n\nSCRAPER_DELAY=1\n", encoding="utf-8")
    s = build_settings({"delay": "0"}, environ={"SCRAPER_LIMIT": "20"}, dotenv_path=dotenv)
    assert (s.limit, s.keyword, s.delay) == (20, "Go", 0.0)


def test_sandbox_lowers_the_default_delay_only(tmp_path: Path) -> None:
    none = tmp_path / "none"
    assert build_settings({"sandbox": True}, environ={}, dotenv_path=none).delay == SANDBOX_DEFAULT_DELAY
    assert build_settings({"sandbox": True, "delay": "2"}, environ={}, dotenv_path=none).delay == 2.0
    assert build_settings({"sandbox": True}, environ={"SCRAPER_DELAY": "4"}, dotenv_path=none).delay == 4.0


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        ({"limit": "0"}, "--limit must be between 1 and 450"),
        ({"limit": "-5"}, "--limit must be between 1 and 450"),
        ({"limit": "ten"}, "--limit must be a whole number, got 'ten'"),
        ({"delay": "-1"}, "--delay must be 0 or more seconds"),
        ({"delay": "nan"}, "--delay must be a finite number"),
        ({"cities": "北京,atlantis"}, "unknown city 'atlantis'; valid cities: all, 北京 (beijing)"),
        ({"base_url": "ftp://x"}, "base URL must be an http(s) site root"),
        ({"database_url": "user:secret@host/db"}, "invalid database URL 'user:***@host/db': expected e.g."),
        (
            {"database_url": "postgres://u:pw@h/db"},
            "invalid database URL 'postgres://u:***@h/db': the scheme is postgresql://",
        ),
        ({"database_url": "mysql://h/db"}, "unsupported database in URL 'mysql://h/db'"),
        ({"database_url": "postgresql://h:port/db"}, "invalid database URL 'postgresql://h:port/db'"),
        ({"keyword": "  "}, "--keyword must not be empty"),
    ],
)
def test_bad_values_fail_with_one_line(tmp_path: Path, cli: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_settings(cli, environ={}, dotenv_path=tmp_path / "none")
    text = str(info.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert "secret" not in text


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SCRAPER_PAGE_LOAD_TIMEOUT": "0"}, "SCRAPER_PAGE_LOAD_TIMEOUT must be more than 0 seconds, got 0"),
        ({"SCRAPER_MAX_BLOCKS": "0"}, "SCRAPER_MAX_BLOCKS must be 1 or more, got 0"),
        ({"SCRAPER_MAX_RETRIES": "-1"}, "SCRAPER_MAX_RETRIES must be 0 or more, got -1"),
        ({"SCRAPER_BACKOFF": "-0.5"}, "SCRAPER_BACKOFF must be 0 or more seconds, got -0.5"),
        ({"SCRAPER_RATE_WINDOW": "0"}, "SCRAPER_RATE_WINDOW must be more than 0 seconds, got 0"),
        ({"SCRAPER_CLAIM_TTL": "-5"}, "SCRAPER_CLAIM_TTL must be more than 0 seconds, got -5"),
        ({"SCRAPER_DB_RETRY_SECONDS": "-1"}, "SCRAPER_DB_RETRY_SECONDS must be 0 or more seconds, got -1"),
        ({"SCRAPER_TIMEOUT": "-60"}, "--timeout must be 0 or more seconds (0: no time limit), got -60"),
        ({"SCRAPER_SNAPSHOT_KEEP": "-1"}, "SCRAPER_SNAPSHOT_KEEP must be 0 or more (0: take no snapshots), got -1"),
        ({"SCRAPER_SNAPSHOT_KEEP": "2.5"}, "SCRAPER_SNAPSHOT_KEEP must be a whole number, got '2.5'"),
        ({"SCRAPER_DELAY": "-1"}, "--delay must be 0 or more seconds, got -1"),
        ({"SCRAPER_TIMEOUT": "inf"}, "--timeout must be a finite number, got 'inf'"),
        ({"SCRAPER_LOG_LEVEL": "loud"}, "SCRAPER_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, got 'loud'"),
        ({"SCRAPER_BROWSER": "firefox"}, "--browser must be one of auto, headless-shell, chromium, got 'firefox'"),
        ({"SCRAPER_KEYWORD": " "}, "--keyword must not be empty, got ' '"),
        (
            {"DATABASE_URL": "user:secret@host/db"},
            "invalid database URL 'user:***@host/db': expected e.g. sqlite:///data/jobs.sqlite3 or "
            "postgresql://user:password@host:5432/dbname",
        ),
    ],
)
def test_each_message_names_the_setting_and_the_value_that_failed(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        build_settings({}, environ=environ, dotenv_path=tmp_path / "none")
    assert str(info.value) == message


def test_shared_needs_postgresql_and_names_the_database_kind(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        build_settings({"shared": True}, environ={}, dotenv_path=tmp_path / "none")
    assert str(info.value) == "--shared needs a PostgreSQL database (row locks); SQLite runs one process at a time"


def test_browser_choice_defaults_to_auto_and_ignores_case(tmp_path: Path) -> None:
    none = tmp_path / "none"
    assert build_settings({}, environ={}, dotenv_path=none).browser is BrowserChoice.AUTO
    chosen = build_settings({"browser": "Headless-Shell"}, environ={"SCRAPER_BROWSER": "chromium"}, dotenv_path=none)
    assert chosen.browser is BrowserChoice.HEADLESS_SHELL


def test_dotenv_inline_comments_are_not_part_of_the_value(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "SCRAPER_DELAY=3 # seconds\nSCRAPER_KEYWORD=Python # x\nexport SCRAPER_LIMIT=7\n"
        "SCRAPER_REPORT_DIR='out # kept'\n",
        encoding="utf-8",
    )
    s = build_settings({}, environ={}, dotenv_path=dotenv)
    assert (s.delay, s.keyword, s.limit) == (3.0, "Python", 7)
    # Quoted, the # is part of the value; no expansion of $VARS either.
    assert s.report_dir == Path("out # kept")


def test_malformed_dotenv_line_names_file_and_line(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("SCRAPER_LIMIT=5\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.env:2: expected KEY=VALUE"):
        build_settings({}, environ={}, dotenv_path=dotenv)


def test_city_names_in_chinese_pinyin_and_english_case_insensitive() -> None:
    assert resolve_cities("beijing, 上海,GuangZhou,SHENZHEN,shanghai") == ("北京", "上海", "广州", "深圳")
    assert resolve_cities("ALL") == ("北京", "上海", "广州", "深圳")
    assert resolve_cities("Peking,canton") == ("北京", "广州")


def test_city_order_puts_the_product_cities_first_then_other_names_by_code_point() -> None:
    names = ["南宁", "上海", "深圳", "杭州", "北京", "广州", "Atlantis"]
    assert sorted(names, key=city_order) == ["北京", "上海", "广州", "深圳", "杭州", "Atlantis", "南宁"]


def test_env_example_is_the_settings_table_rendered() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    # Regenerate after changing the table: .venv/bin/python -m scraper.settings > .env.example
    assert text == render_env_example()
    pairs = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, flags=re.MULTILINE))
    assert pairs == {var: default for var, (_name, default) in ENV_VARS.items()}


def _settings_table_rows() -> dict[str, str]:
    """Variable -> its row in the docs' settings table, wherever the table lives (README or docs/)."""
    rows: dict[str, str] = {}
    for path in (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))):
        for line in path.read_text(encoding="utf-8").splitlines():
            found = re.match(r"^\| `([A-Z_]+)` \|", line)
            if found and found.group(1) in ENV_VARS:
                rows.setdefault(found.group(1), line)
    return rows


def test_docs_table_documents_every_setting_with_its_option_and_default() -> None:
    rows = _settings_table_rows()
    assert set(rows) == set(ENV_VARS)
    for spec in SETTINGS:
        cells = [cell.strip() for cell in rows[spec.env].strip("|").split("|")]
        assert cells[2] == (f"`{spec.default}`" if spec.default else "(empty)"), rows[spec.env]
        if spec.option:
            assert f"`{spec.option}`" in cells[1], rows[spec.env]


def test_settings_has_one_field_per_setting_then_the_flags() -> None:
    names = [f.name for f in dataclasses.fields(Settings)]
    assert names == [spec.attribute for spec in SETTINGS] + ["sandbox", "is_report_enabled", "is_fresh", "is_shared"]


def test_every_default_passes_its_own_check() -> None:
    for spec in SETTINGS:
        spec.check(spec.label, spec.default)


def test_every_option_of_the_table_is_a_scrape_option_with_its_variable_and_default_in_the_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from scraper.cli.main import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["scrape", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for spec in SETTINGS:
        if spec.option:
            assert spec.option in shown
            assert f"(env {spec.env}" + (f"; default {spec.default})" if spec.default else ")") in shown


def test_a_value_given_as_an_option_reaches_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.cli.main import _settings, build_parser

    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    given = {"--limit": "7", "--delay": "0.5", "--timeout": "9", "--browser": "chromium", "--db": "sqlite:///x.db"}
    args = build_parser().parse_args(["scrape", *(word for pair in given.items() for word in pair)])
    s = _settings(args)
    assert (s.limit, s.delay, s.timeout, s.browser, s.database_url) == (
        7,
        0.5,
        9.0,
        BrowserChoice.CHROMIUM,
        "sqlite:///x.db",
    )


def test_sandbox_day_needs_the_sandbox_and_a_day_the_replica_knows(tmp_path: Path) -> None:
    from scraper.sandbox.days import MAX_DAY
    from scraper.settings import SANDBOX_MAX_DAY

    assert SANDBOX_MAX_DAY == MAX_DAY
    assert build_settings({"sandbox": True, "sandbox_day": "3"}, environ={}, dotenv_path=None).sandbox_day == 3
    assert build_settings({}, environ={}, dotenv_path=None).sandbox_day == 0
    with pytest.raises(ConfigError, match=r"^--sandbox-day 2 needs --sandbox \(it picks the replica's day\)$"):
        build_settings({"sandbox_day": "2"}, environ={}, dotenv_path=None)
    with pytest.raises(
        ConfigError,
        match=r"^--sandbox-day must be between 0 and 365 \(0: the replica as it always "
        r"is\), got 400$",
    ):
        build_settings({"sandbox": True}, environ={"SCRAPER_SANDBOX_DAY": "400"}, dotenv_path=None)
