"""The run lock: a second run fails at once with the holder's PID; a killed holder frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.common.errors import LockedError, ScraperError
from scraper.crawl.lock import RunLock, default_lock_path, lock_target

# The holder prints "locked" once it holds the lock, then sleeps until the test kills it.
HOLDER_SCRIPT = """
import sys, time
from pathlib import Path
from scraper.crawl.lock import RunLock
lock = RunLock(Path(sys.argv[1])).acquire()
print("locked", flush=True)
time.sleep(120)
"""
FAIL_FAST_SECONDS = 1.0
HOLDER_START_TIMEOUT = 30


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A separate process holding the lock on a file in tmp_path."""
    path = tmp_path / "run.lock"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "locked\n"
        yield process, path
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(HOLDER_START_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()


def test_second_process_fails_at_once_naming_the_lock_file_and_holder_pid(
    holder: tuple[subprocess.Popen[str], Path],
) -> None:
    process, path = holder
    started = time.monotonic()
    with pytest.raises(LockedError) as caught:
        RunLock(path).acquire()
    assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert str(caught.value) == f"another run is in progress (PID {process.pid}); lock file {path}"
    assert isinstance(caught.value, ScraperError)


def test_lock_is_free_again_after_the_holder_is_killed(holder: tuple[subprocess.Popen[str], Path]) -> None:
    process, path = holder
    os.kill(process.pid, signal.SIGKILL)
    process.wait(HOLDER_START_TIMEOUT)
    with RunLock(path) as lock:
        assert lock.is_held
        assert path.read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert not lock.is_held
    assert path.read_text(encoding="ascii") == ""


def test_same_process_cannot_take_the_lock_twice_through_another_file(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with RunLock(path):
        with pytest.raises(LockedError) as caught:
            RunLock(path).acquire()
        assert str(caught.value) == f"another run is in progress (PID {os.getpid()}); lock file {path}"
    with RunLock(path) as again:  # released on exit, so it can be taken again
        assert again.is_held


def test_acquiring_a_held_lock_object_again_is_a_programming_error(tmp_path: Path) -> None:
    lock = RunLock(tmp_path / "run.lock").acquire()
    try:
        with pytest.raises(RuntimeError, match="already held"):
            lock.acquire()
    finally:
        lock.release()


def test_unopenable_lock_file_is_a_one_line_config_error(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("do not touch\n", encoding="ascii")
    planted = tmp_path / "run.lock"
    planted.symlink_to(target)
    with pytest.raises(ScraperError, match=r"^cannot open lock file .*run\.lock: "):
        RunLock(planted).acquire()
    assert target.read_text(encoding="ascii") == "do not touch\n"


def test_default_path_separates_databases_and_keywords_but_not_passwords(tmp_path: Path) -> None:
    def path(url: str, keyword: str = "Python") -> Path:
        return default_lock_path(url, keyword, folder=tmp_path)

    pg = path("postgresql://scraper:secret@db.local:5432/jobs")
    assert pg.parent == tmp_path
    assert pg.name.startswith(f"job-salary-scraper-{os.getuid()}-")
    assert pg.suffix == ".lock"
    assert "secret" not in pg.name
    assert path("postgresql://scraper:other@DB.local:5432/jobs") == pg
    assert path("postgresql://scraper:secret@db.local:5432/jobs", " python ") == pg
    assert path("postgresql://scraper:secret@db.local:5432/archive") != pg
    assert path("postgresql://scraper:secret@db.local:5432/jobs", "Java") != pg
    assert path("sqlite:///data/jobs.sqlite3") != path("sqlite:///other/jobs.sqlite3")


def test_lock_target_makes_relative_sqlite_paths_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = f"sqlite:{tmp_path}/data/jobs.sqlite3\npython"
    assert lock_target("sqlite:///data/jobs.sqlite3?timeout=5", "Python") == expected
    assert lock_target("postgresql+psycopg2://u:pw@H:5432/db", "Go") == "postgresql+psycopg2://u@h:5432/db\ngo"
