"""Runs that must end on time and leave no browser behind: a frozen chromedriver, slow pages, a
crashed tab, a killed chromedriver, kill -9 of the run, and a second signal. Real Chromium
against the replica, real SQLite. The browser processes are found by the run's marker in their
environment (`scraper.browser.processes`), exactly as the scraper itself finds them."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import expected_rows, query, rows_by_city, run_outcomes

from scraper.browser.processes import RUN_MARKER_VAR
from scraper.cli.main import main
from scraper.sandbox.server import ReplicaServer

pytestmark = pytest.mark.browser
CITIES = ("北京", "上海", "广州", "深圳")


def stored(url: str, city: str) -> list[tuple[str, str, str]]:
    return rows_by_city(url, [city], is_schema_optional=True)[city]


def accepted_count(url: str) -> int:
    """How many postings the checkpoints say the run took: what must be stored."""
    total = 0
    for (accepted,) in query(url, "SELECT accepted FROM crawl_pages", is_schema_optional=True):
        keys = json.loads(accepted) if isinstance(accepted, str) else accepted
        assert isinstance(keys, list)
        total += len(keys)
    return total


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {seconds} s")
        time.sleep(0.1)


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def is_alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def marked(owner: int) -> dict[int, int]:
    """Live processes carrying the run marker of process `owner`: pid -> process group."""
    found: dict[int, int] = {}
    prefix = f"{RUN_MARKER_VAR}={owner}:".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if any(item.startswith(prefix) for item in environ.split(b"\0")) and is_alive(int(entry.name)):
            found[int(entry.name)] = os.getpgid(int(entry.name))
    return found


def group_members(group: int) -> set[int]:
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[0] != "Z" and int(fields[2]) == group:
                members.add(int(entry.name))
    return members


def renderers_of(group: int) -> list[int]:
    found = []
    for pid in group_members(group):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"--type=renderer" in arg for arg in args):
            found.append(pid)
    return found


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.1")
    return {**os.environ}


@pytest.fixture
def spawn(tmp_path: Path, env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper", "--no-report", *args],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for group in set(marked(process.pid).values()):  # whatever a failed test left running
            os.killpg(group, signal.SIGKILL)


def scrape_args(
    base: str, db: str, *, cities: tuple[str, ...] = CITIES, limit: int = 60, delay: str = "0.4"
) -> list[str]:
    return ["--base-url", base, "--cities", ",".join(cities), "--limit", str(limit), "--delay", delay, "--db", db]


@pytest.mark.slow
def test_a_frozen_chromedriver_ends_the_run_at_its_timeout_with_every_parsed_row_stored(
    spawn: Callable[..., subprocess.Popen[bytes]], replica: ReplicaServer, sqlite_url: str
) -> None:
    started = time.monotonic()
    process = spawn(*scrape_args(replica.base_url, sqlite_url, limit=450, delay="1"), "--timeout", "30")
    wait_for(lambda: len(marked(process.pid)) >= len(CITIES) * 2 and accepted_count(sqlite_url) > 0, 60)
    frozen = next(pid for pid in marked(process.pid) if Path(f"/proc/{pid}/comm").read_text().strip() == "chromedriver")
    os.kill(frozen, signal.SIGSTOP)
    try:
        _out, err = process.communicate(timeout=60)
    finally:
        if is_alive(frozen):
            os.kill(frozen, signal.SIGCONT)
    elapsed = time.monotonic() - started
    assert process.returncode == 1, err.decode()
    assert elapsed < 40, f"the run took {elapsed:.1f} s"
    assert not is_alive(frozen)
    assert marked(process.pid) == {}
    assert run_outcomes(sqlite_url) == ["timeout"]
    for city in CITIES:
        rows = stored(sqlite_url, city)
        assert rows == expected_rows(city, 450)[: len(rows)]
    assert sum(len(stored(sqlite_url, c)) for c in CITIES) == accepted_count(sqlite_url) > 0


def test_timeout_is_a_hard_end_whatever_the_pages_take(
    env: dict[str, str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplicaServer(latency=40) as slow:
        started = time.monotonic()
        code = main(
            [*scrape_args(slow.base_url, sqlite_url, cities=("北京", "上海")), "--timeout", "5", "--no-report"],
            out=io.StringIO(),
            err=io.StringIO(),
        )
        elapsed = time.monotonic() - started
    assert code == 1
    assert elapsed < 15, f"--timeout 5 with 40 s pages took {elapsed:.1f} s"
    assert marked(os.getpid()) == {}
    assert run_outcomes(sqlite_url) == ["timeout"]


def test_a_crashed_tab_gets_a_new_browser_and_the_city_ends_exact(env: dict[str, str], sqlite_url: str) -> None:
    killed: list[int] = []

    def crash_one_tab() -> None:
        wait_for(lambda: len(query(sqlite_url, "SELECT page FROM crawl_pages", is_schema_optional=True)) >= 2, 60)
        for group in sorted(set(marked(os.getpid()).values())):
            for pid in renderers_of(group):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            if killed:
                return

    killer = threading.Thread(target=crash_one_tab, daemon=True)
    err = io.StringIO()
    # Slow pages: the tab dies while it loads one (a tab killed between two pages is simply
    # replaced by chromedriver on the next load).
    with ReplicaServer(latency=1.5) as slow:
        killer.start()
        args = scrape_args(slow.base_url, sqlite_url, cities=("北京", "上海"), delay="0")
        code = main([*args, "--no-report"], out=io.StringIO(), err=err)
    killer.join(timeout=5)
    assert killed
    assert code == 0, err.getvalue()
    for city in ("北京", "上海"):
        assert stored(sqlite_url, city) == expected_rows(city, 60)
    counts = json.loads(str(query(sqlite_url, "SELECT city_counts FROM runs")[0][0]))
    assert sorted(info["errors"].get("BrowserCrashedError", 0) for info in counts.values()) == [0, 1]
    assert marked(os.getpid()) == {}


def test_a_killed_chromedriver_leaves_none_of_its_browser_behind(
    env: dict[str, str], replica: ReplicaServer, sqlite_url: str
) -> None:
    orphans: set[int] = set()

    def kill_one_driver() -> None:
        wait_for(lambda: len(query(sqlite_url, "SELECT page FROM crawl_pages", is_schema_optional=True)) >= 2, 60)
        driver = next(
            pid for pid in marked(os.getpid()) if Path(f"/proc/{pid}/comm").read_text().strip() == "chromedriver"
        )
        orphans.update(group_members(os.getpgid(driver)) - {driver})
        os.kill(driver, signal.SIGKILL)

    killer = threading.Thread(target=kill_one_driver, daemon=True)
    killer.start()
    err = io.StringIO()
    code = main(
        [*scrape_args(replica.base_url, sqlite_url, cities=("北京", "上海")), "--no-report"], out=io.StringIO(), err=err
    )
    killer.join(timeout=5)
    assert code == 0, err.getvalue()
    assert len(orphans) >= 3  # the browser, its zygotes, renderer, ...
    assert not [pid for pid in orphans if is_alive(pid)]


def test_kill_9_takes_the_browsers_along_and_the_next_run_ends_what_is_left(
    spawn: Callable[..., subprocess.Popen[bytes]], replica: ReplicaServer, sqlite_url: str, tmp_path: Path
) -> None:
    # First: kill -9 of the run alone (not its group): its lifeline kills the browsers at once.
    first = spawn(*scrape_args(replica.base_url, sqlite_url, cities=("北京", "上海"), delay="1"))
    wait_for(lambda: len(set(marked(first.pid).values())) == 2, 60)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    wait_for(lambda: marked(first.pid) == {}, 10)
    # Then: the run and its lifeline both die; the browsers stay until the next run ends them.
    second = spawn(*scrape_args(replica.base_url, sqlite_url, cities=("北京", "上海"), delay="1"))
    wait_for(lambda: len(set(marked(second.pid).values())) == 2, 60)
    lifeline = next(
        pid for pid in _children(second.pid) if b"-S" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    )
    os.kill(lifeline, signal.SIGKILL)
    os.kill(second.pid, signal.SIGKILL)
    second.wait()
    time.sleep(1)
    left = marked(second.pid)
    assert len(set(left.values())) == 2
    out = io.StringIO()
    assert main(["status", "--db", sqlite_url], out=out, err=io.StringIO()) == 0
    assert out.getvalue().count(f"Leftover browser of a run that died (PID {second.pid})") == 2
    code = main(
        [*scrape_args(replica.base_url, sqlite_url, cities=("北京", "上海"), delay="0"), "--no-report"],
        out=io.StringIO(),
        err=io.StringIO(),
    )
    assert code == 0
    assert not [pid for pid in left if is_alive(pid)]
    assert run_outcomes(sqlite_url) == ["crashed", "crashed", "ok"]


def _children(pid: int) -> list[int]:
    return [
        int(e.name)
        for e in Path("/proc").iterdir()
        if e.name.isdigit() and (_stat(int(e.name)) or ["", "0"])[1] == str(pid)
    ]


def test_ctrl_c_twice_exits_130_at_once_and_ends_the_browsers(
    spawn: Callable[..., subprocess.Popen[bytes]], sqlite_url: str
) -> None:
    with ReplicaServer(latency=40) as slow:
        process = spawn(*scrape_args(slow.base_url, sqlite_url, cities=("北京", "上海")))
        wait_for(lambda: len(set(marked(process.pid).values())) == 2, 60)
        time.sleep(1)  # both cities are now waiting for a 40 s page
        process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
        assert time.monotonic() - sent < 5
    assert process.returncode == 130, err.decode()
    assert "second SIGINT: killing the browsers and stopping now" in err.decode()
    assert marked(process.pid) == {}
    assert run_outcomes(sqlite_url) == ["interrupted"]
