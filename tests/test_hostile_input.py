"""Bad input gets one line on stderr and exit 2 before anything starts (issue 20, "one line, the
right code"; issue 18's two-slash SQLite URL). Each case runs `main()` in-process; nothing may be
created: no database file, no browser (the "browser:" line is never logged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from db.engine import make_engine, upgrade_schema
from db.models import Base
from scraper.settings.checks import KEYWORD_MAX_CHARS


def assert_refused(code: int, out: str, err: str, message: str) -> None:
    assert (code, out, err) == (2, "", f"error: {message}\n")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'jobs.sqlite3'}"


def test_a_keyword_longer_than_its_column_is_refused(db: str, tmp_path: Path) -> None:
    code, out, err = run_cli("--keyword", "k" * (KEYWORD_MAX_CHARS + 1), "--db", db, "--cities", "北京")
    assert_refused(code, out, err, f"--keyword must be at most {KEYWORD_MAX_CHARS} characters, got 101")
    assert not (tmp_path / "jobs.sqlite3").exists()
    engine = make_engine(db)
    upgrade_schema(engine)  # export only reads: the database must exist
    engine.dispose()
    assert run_cli("export", "--format", "csv", "--history", "--keyword", "k" * KEYWORD_MAX_CHARS, "--db", db)[0] == 0


def test_the_keyword_limit_is_the_columns_length() -> None:
    lengths = {Base.metadata.tables[t].c.keyword.type.length for t in ("jobs", "crawls")}  # type: ignore[attr-defined]
    assert lengths == {KEYWORD_MAX_CHARS}


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            (),
            {"SCRAPER_REPORT_DIR": "/dev/null/r"},
            "--report-dir '/dev/null/r' cannot be written: /dev/null is a file, not a folder",
        ),
        (
            ("report", "--out", "/dev/null/r"),
            {},
            "--report-dir '/dev/null/r' cannot be written: /dev/null is a file, not a folder",
        ),
        (
            ("export", "--format", "csv", "--output", "/dev/null/x.csv"),
            {},
            "--output '/dev/null/x.csv' cannot be written: /dev/null is a file, not a folder",
        ),
        (("export", "--format", "csv", "--output", "."), {}, "--output '.' cannot be written: it is a folder"),
    ],
)
def test_an_unwritable_output_is_refused_before_anything_runs(
    args: tuple[str, ...], env: dict[str, str], message: str, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert_refused(*run_cli(*args, "--db", db), message)


def test_a_dotenv_file_that_is_not_utf8_is_named_with_its_line(db: str) -> None:
    Path(".env").write_bytes("SCRAPER_LIMIT=5\n# 城市\nSCRAPER_KEYWORD=北京\n".encode("gbk"))
    assert_refused(*run_cli("status", "--db", db), ".env:2: not UTF-8 text; save the file as UTF-8")


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://", "sqlite:///", "sqlite:///x.db?mode=memory"])
def test_an_in_memory_database_is_refused(url: str) -> None:
    assert_refused(
        *run_cli("--db", url, "--sandbox"),
        f"--db {url!r} is an in-memory SQLite database, which keeps nothing after the run: give a file, "
        "e.g. sqlite:///data/jobs.sqlite3",
    )


def test_a_two_slash_sqlite_url_says_a_relative_path_needs_three() -> None:
    assert_refused(
        *run_cli("status", "--db", "sqlite://data/jobs.sqlite3"),
        "invalid database URL 'sqlite://data/jobs.sqlite3': a SQLite path needs three slashes after 'sqlite:' "
        "(sqlite:///data/jobs.sqlite3 for a relative path, four for an absolute one)",
    )
    assert not Path("data").exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/?kd=Java", "http://127.0.0.1:9/#top", "http://127.0.0.1:9?"])
def test_a_base_url_with_a_query_or_fragment_is_refused(url: str, db: str) -> None:
    assert_refused(
        *run_cli("--base-url", url, "--db", db),
        f"--base-url must be a site root without a ?query or #fragment, got {url!r}",
    )


def test_a_base_url_error_never_shows_its_password(db: str) -> None:
    code, _out, err = run_cli("--base-url", "http://u:Pw123456@127.0.0.1:9/?x", "--db", db)
    assert code == 2
    assert "Pw123456" not in err


@pytest.mark.parametrize("runs", ["-1", "0", "1001", str(10**30), "five"])
def test_status_runs_out_of_range_is_refused(runs: str, db: str) -> None:
    assert_refused(
        *run_cli("status", "--runs", runs, "--db", db), f"--runs must be a whole number from 1 to 1000, got {runs!r}"
    )
