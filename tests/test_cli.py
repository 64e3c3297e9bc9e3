"""The CLI in-process: bad input gives one line on stderr and the documented exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from scraper.cli.main import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cities", "atlantis"], "error: unknown city 'atlantis'; valid cities: all, 北京 (beijing), 上海"),
        (["--limit", "0"], "error: --limit must be between 1 and 450 (Lagou shows 30 pages of 15), got 0"),
        (["--limit", "-3"], "error: --limit must be between 1 and 450 (Lagou shows 30 pages of 15), got -3"),
        (["--delay", "soon"], "error: --delay must be a number, got 'soon'"),
        (["--browser", "firefox"], "error: --browser must be one of auto, headless-shell, chromium, got 'firefox'"),
        (["--frobnicate"], "error: unrecognized arguments: --frobnicate (see python -m scraper --help)"),
        (["export", "--format", "xml"], "error: argument --format: invalid choice: 'xml'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], message: str) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_malformed_database_url_exits_2_without_echoing_the_password() -> None:
    code, _out, err = run_cli("--db", "postgresql://user:hunter2@127.0.0.1:notaport/jobs", "--no-report")
    assert code == 2
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "hunter2" not in err


def test_unreachable_database_exits_4_with_masked_url() -> None:
    code, _out, err = run_cli("--db", "postgresql://user:hunter2@127.0.0.1:1/jobs", "--no-report")
    assert code == 4
    assert err.startswith("error: ")
    assert "127.0.0.1:1" in err
    assert "hunter2" not in err
    assert err.count("\n") == 1


def test_missing_chromedriver_exits_3_before_anything_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMEDRIVER", "/nonexistent/chromedriver")
    code, _out, err = run_cli("--cities", "北京", "--db", "sqlite:///jobs.sqlite3", "--no-report")
    assert (code, err) == (3, "error: CHROMEDRIVER=/nonexistent/chromedriver is not an executable file\n")
    assert not Path("jobs.sqlite3").exists()


def test_help_lists_the_commands_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "{scrape,report,export,status,renormalize}" in text
    assert "Exit codes: 0 done, 1 partial" in text
    assert "3 no usable browser or WebDriver, 4 database unreachable" in text
    assert "75 another run holds the lock" in text


def test_top_level_help_points_a_new_user_at_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "`python -m scraper --sandbox` scrapes the bundled replica of the site on 127.0.0.1 (no network)" in text
