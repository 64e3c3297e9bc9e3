"""The database is checked before any browser starts, read-only commands never write, and the
run lock names the database itself. Real SQLite files (made read-only with `chattr +i`) and a
real PostgreSQL database; no browser ever starts here."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli
from sqlalchemy.engine import make_url

from db.engine import make_engine, upgrade_schema
from db.writes import upsert_postings
from scraper.common.errors import LockedError
from scraper.crawl.lock import RunLock, database_lock, lock_target
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary


@pytest.fixture(autouse=True)
def _own_lock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


def fill(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    posting = Posting(city="北京", title="Python开发", salary=parse_salary("20k-30k"), company="示例")
    with engine.begin() as conn:
        upsert_postings(
            conn, [posting], seen_at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC), site="lagou", keyword="Python"
        )
    engine.dispose()


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths appended to the yielded list are made immutable (`chattr +i`) by `freeze`, and thawed after."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    frozen: list[Path] = []
    yield frozen
    for path in reversed(frozen):
        subprocess.run(["chattr", "-i", str(path)], check=False)


def freeze(frozen: list[Path], path: Path) -> None:
    result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"chattr +i not possible here: {result.stderr.strip()}")
    frozen.append(path)


def test_a_folder_that_cannot_be_created_exits_4_as_a_database_that_cannot_be_opened() -> None:
    code, _out, err = run_cli("--cities", "北京", "--db", "sqlite:////proc/nope/x.db", "--no-report")
    assert code == 4
    assert err.startswith("error: cannot open database 'sqlite+pysqlite:////proc/nope/x.db': cannot create folder")
    assert err.count("\n") == 1


def test_an_unreachable_database_fails_before_the_browser_is_named(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    code, _out, err = run_cli("--cities", "北京", "--db", "postgresql://postgres@127.0.0.1:1/jobs", "--no-report")
    assert code == 4
    assert err.startswith("error: cannot reach database")
    assert "browser:" not in caplog.text


def test_a_read_only_sqlite_file_exits_4_with_one_line_before_any_browser(
    tmp_path: Path, immutable: list[Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    fill(url)
    freeze(immutable, tmp_path / "jobs.sqlite3")
    started = time.monotonic()
    code, out, err = run_cli("--cities", "北京", "--limit", "15", "--db", url, "--no-report")
    assert time.monotonic() - started < 5
    assert (code, out) == (4, "")
    assert err.startswith("error: cannot write to database sqlite+pysqlite:///")
    assert err.endswith("jobs.sqlite3: attempt to write a readonly database\n")
    assert err.count("\n") == 1
    assert "browser:" not in caplog.text


def test_read_only_commands_work_on_a_read_only_folder_and_change_nothing(
    tmp_path: Path, immutable: list[Path]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder / 'jobs.sqlite3'}"
    fill(url)
    before = fingerprint(folder)
    assert list(before) == ["jobs.sqlite3"]  # closed cleanly: no -wal or -shm file left
    freeze(immutable, folder / "jobs.sqlite3")
    freeze(immutable, folder)  # as a read-only file system: nothing can be created beside the file
    code, out, err = run_cli("status", "--db", url)
    assert (code, err) == (0, "")
    assert "Last runs:" in out or "No runs recorded yet." in out
    code, out, err = run_cli("export", "--format", "csv", "--db", url)
    assert (code, err) == (0, "exported 1 jobs\n")
    assert "Python开发" in out
    code, out, err = run_cli("report", "--db", url, "--out", str(tmp_path / "charts"))
    assert code == 0, err
    assert (tmp_path / "charts" / "summary.json").is_file()
    assert fingerprint(folder) == before


def test_status_on_a_database_that_is_not_ours_says_so_and_leaves_it_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO jobs (name) VALUES ('not a posting')")
    conn.close()
    before = fingerprint(tmp_path)
    for command in (["status"], ["export", "--format", "csv"], ["report", "--out", str(tmp_path / "r")]):
        code, out, err = run_cli(*command, "--db", f"sqlite:///{path}")
        assert (code, out) == (4, ""), err
        assert (
            err == f"error: sqlite:///{path} is not a job-salary-scraper database (no schema version); left untouched\n"
        )
    assert fingerprint(tmp_path) == before
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["jobs"]
    conn.close()


def test_status_on_a_missing_sqlite_file_creates_nothing(tmp_path: Path) -> None:
    code, out, err = run_cli("status", "--db", f"sqlite:///{tmp_path / 'data' / 'none.sqlite3'}")
    assert (code, out) == (4, "")
    assert "does not exist (nothing scraped yet?)" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "data").exists()


def test_one_sqlite_file_named_through_a_symlink_is_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "real" / "jobs.sqlite3"
    real.parent.mkdir()
    (tmp_path / "alias").symlink_to(real.parent)
    direct, aliased = f"sqlite:///{real}", f"sqlite:///{tmp_path / 'alias' / 'jobs.sqlite3'}"
    assert lock_target(direct, "Python") == lock_target(aliased, "Python")
    os.chdir(real.parent)
    assert lock_target("sqlite:///jobs.sqlite3", "Python") == lock_target(direct, "Python")
    with RunLock.for_run(direct, "Python", folder=tmp_path), pytest.raises(LockedError):
        RunLock.for_run(aliased, "Python", folder=tmp_path).acquire()


@pytest.mark.postgres
def test_one_postgres_database_named_two_ways_is_one_lock(pg_url: str) -> None:
    url = make_url(pg_url)
    by_ip = make_engine(url.set(host="127.0.0.1").render_as_string(hide_password=False))
    by_name = make_engine(url.set(host="localhost").render_as_string(hide_password=False))
    try:
        with database_lock(by_ip, site="lagou", keyword="Python"):
            held_elsewhere = rf"another run is in progress on this database \(PID {os.getpid()};"
            with (
                pytest.raises(LockedError, match=held_elsewhere),
                database_lock(by_name, site="lagou", keyword=" python "),
            ):
                pass
            with database_lock(by_name, site="lagou", keyword="Java"):  # another keyword: another lock
                pass
        with database_lock(by_name, site="lagou", keyword="Python"):  # released with the first run
            pass
    finally:
        by_ip.dispose()
        by_name.dispose()
