"""The scraper as cron runs it: a separate process killed, signalled or started twice, and a
database outage in the middle of a run. Real Chromium, the replica, SQLite and PostgreSQL."""

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

import helpers
import pytest
from outage_relay import OutageRelay
from sqlalchemy.engine import make_url

from scraper.cli.main import main
from scraper.sandbox.server import ReplicaServer

pytestmark = pytest.mark.browser
CITIES = ("北京", "上海")
LIMIT = 60
KILL_LIMIT = 120  # 8 pages a city: the city whose driver is killed has pages left to load


def expected_rows(city: str, limit: int = LIMIT) -> list[tuple[str, str, str]]:
    return helpers.expected_rows(city, limit)


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    # The tables may not exist yet while the scraper is still migrating.
    return helpers.query(url, sql, is_schema_optional=True)


def rows_by_city(url: str) -> dict[str, list[tuple[str, str, str]]]:
    return helpers.rows_by_city(url, CITIES, is_schema_optional=True)


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {seconds} s")
        time.sleep(0.1)


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (chromedriver and the Chromium processes under it)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found.update(children)
        frontier.extend(children)
    return found


def is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def scraper_process(tmp_path: Path, replica: ReplicaServer) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(db: str, *extra: str, delay: str = "0.4") -> subprocess.Popen[bytes]:
        env = {**os.environ, "SCRAPER_LOCK_FILE": str(tmp_path / "run.lock"), "SCRAPER_BACKOFF": "0.1"}
        command = [
            sys.executable,
            "-m",
            "scraper",
            "--base-url",
            replica.base_url,
            "--cities",
            ",".join(CITIES),
            "--limit",
            str(LIMIT),
            "--delay",
            delay,
            "--db",
            db,
            "--no-report",
            *extra,
        ]
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        started.append(process)
        return process

    yield start
    for process in started:  # whatever a test left running (and its browsers) goes with it
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_kill_9_mid_run_then_a_rerun_gives_exact_rows_without_duplicates(
    scraper_process: Callable[..., subprocess.Popen[bytes]], sqlite_url: str
) -> None:
    first = scraper_process(sqlite_url)
    wait_for(lambda: len(query(sqlite_url, "SELECT page FROM crawl_pages")) >= 3, 90)
    os.killpg(first.pid, signal.SIGKILL)  # the whole process group: Python, chromedriver, Chromium
    first.wait()
    pages_before = len(query(sqlite_url, "SELECT page FROM crawl_pages"))
    assert 0 < sum(len(v) for v in rows_by_city(sqlite_url).values()) < 2 * LIMIT

    second = scraper_process(sqlite_url, delay="0")
    _out, err = second.communicate(timeout=180)
    assert second.returncode == 0, err.decode()
    assert rows_by_city(sqlite_url) == {city: expected_rows(city) for city in CITIES}
    assert query(sqlite_url, "SELECT COUNT(*) FROM jobs") == [(2 * LIMIT,)]
    assert [r[0] for r in query(sqlite_url, "SELECT outcome FROM runs ORDER BY id")] == ["crashed", "ok"]
    assert "resuming after page" in err.decode()
    # The rerun did not load again the pages whose rows were already stored.
    assert len(query(sqlite_url, "SELECT page FROM crawl_pages")) >= pages_before
    # Each crawl observed each of its postings once, in listing order, across the killed run and the rerun.
    observed = query(
        sqlite_url,
        "SELECT j.city, j.title, j.salary, o.run_id FROM observations o JOIN jobs j "
        "ON j.id = o.job_id ORDER BY o.crawl_id, o.page, o.slot",
    )
    assert {city: [r[:3] for r in observed if r[0] == city] for city in CITIES} == {c: expected_rows(c) for c in CITIES}
    assert {run for *_key, run in observed} == {1, 2}  # the killed run's observations were kept, not redone
    assert query(sqlite_url, "SELECT status, completed_run_id FROM crawls ORDER BY id") == [("complete", 2)] * 2


def test_two_runs_started_together_one_works_the_other_exits_75_at_once(
    scraper_process: Callable[..., subprocess.Popen[bytes]], sqlite_url: str
) -> None:
    first = scraper_process(sqlite_url, delay="0")
    database_file = Path(sqlite_url.removeprefix("sqlite:///"))
    # The database file appears after the lock is taken: from then on the first run holds it.
    wait_for(lambda: database_file.exists() or first.poll() is not None, 30)
    started = time.monotonic()
    second = scraper_process(sqlite_url, delay="0")
    _out, err = second.communicate(timeout=30)
    assert second.returncode == 75
    assert time.monotonic() - started < 10
    message = err.decode()
    assert message.startswith("error: another run is in progress (PID ")
    assert message.count("\n") == 1
    _out, err = first.communicate(timeout=180)
    assert first.returncode == 0, err.decode()
    assert rows_by_city(sqlite_url) == {city: expected_rows(city) for city in CITIES}


def test_sigterm_mid_run_keeps_posted_rows_quits_browsers_and_records_interrupted(
    scraper_process: Callable[..., subprocess.Popen[bytes]], sqlite_url: str
) -> None:
    process = scraper_process(sqlite_url, delay="1")
    wait_for(lambda: len(query(sqlite_url, "SELECT page FROM crawl_pages")) >= 2, 90)
    browsers = descendants(process.pid)
    assert browsers
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - sent < 15
    assert process.returncode == 143, err.decode()  # 128 + SIGTERM: the shell's convention
    assert "北京: interrupted" in out.decode()
    wait_for(lambda: not any(is_alive(pid) for pid in browsers), 10)
    assert [r[0] for r in query(sqlite_url, "SELECT outcome FROM runs")] == ["interrupted"]
    stored = rows_by_city(sqlite_url)
    # Every page the workers finished is in the database, in listing order, nothing more.
    for city in CITIES:
        assert stored[city] == expected_rows(city)[: len(stored[city])]
    accepted = query(sqlite_url, "SELECT accepted FROM crawl_pages")
    assert sum(len(stored[c]) for c in CITIES) == sum(len(eval_json(a[0])) for a in accepted)


def eval_json_object(value: object) -> dict[str, dict[str, dict[str, int]]]:
    data = json.loads(value) if isinstance(value, str) else value
    assert isinstance(data, dict)
    return data


def eval_json(value: object) -> list[object]:
    return list(json.loads(value) if isinstance(value, str) else value)  # type: ignore[arg-type]


def scrape_through_outage(pg_url: str, replica: str, *, restore_after: float | None) -> tuple[int, str]:
    """Scrape into PostgreSQL through a relay that is cut once two pages are stored, and restored
    after `restore_after` seconds (None: never). Returns the exit code and stderr."""
    url = make_url(pg_url)
    relay = OutageRelay((url.host or "127.0.0.1", url.port or 5432))
    relayed = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    was_cut = threading.Event()

    def outage() -> None:
        wait_for(lambda: len(query(pg_url, "SELECT page FROM crawl_pages")) >= 2, 60)
        relay.cut()
        was_cut.set()
        if restore_after is not None:
            time.sleep(restore_after)
            relay.restore()

    cutter = threading.Thread(target=outage, daemon=True)
    cutter.start()
    err = io.StringIO()
    try:
        code = main(
            [
                "--base-url",
                replica,
                "--cities",
                ",".join(CITIES),
                "--limit",
                str(LIMIT),
                "--delay",
                "0.5",
                "--db",
                relayed,
                "--no-report",
            ],
            out=io.StringIO(),
            err=err,
        )
    finally:
        cutter.join(timeout=70)
        relay.close()
    assert was_cut.is_set()  # the outage really happened while the run was going
    return code, err.getvalue()


@pytest.mark.postgres
def test_postgres_outage_mid_run_still_ends_with_every_row(
    pg_url: str, replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    code, err = scrape_through_outage(pg_url, replica.base_url, restore_after=4)
    assert code == 0, err
    assert rows_by_city(pg_url) == {city: expected_rows(city) for city in CITIES}


@pytest.mark.parametrize("browser", ["headless-shell", "chromium"])
def test_a_killed_chromedriver_is_replaced_and_the_run_completes(
    replica: ReplicaServer,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    browser: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.1")
    monkeypatch.setenv("SCRAPER_BROWSER", browser)
    killed: list[int] = []

    def kill_one_driver() -> None:
        # Both cities have stored a page, so both browsers are up: the kill hits a working driver,
        # not one still starting (a failed start is retried, and counts no crash). Browsers start
        # one after another, so the newest chromedriver is the one whose city has just begun: the
        # other city may already be done when a loaded machine starts the second browser late.
        wait_for(lambda: len(query(sqlite_url, "SELECT DISTINCT crawl_id FROM crawl_pages")) >= 2, 60)
        drivers = [
            pid for pid in descendants(os.getpid()) if Path(f"/proc/{pid}/comm").read_text().strip() == "chromedriver"
        ]
        newest = max(drivers, key=lambda pid: int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]))
        os.kill(newest, signal.SIGKILL)
        killed.append(newest)

    killer = threading.Thread(target=kill_one_driver, daemon=True)
    killer.start()
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "--base-url",
            replica.base_url,
            "--cities",
            ",".join(CITIES),
            "--limit",
            str(KILL_LIMIT),
            "--delay",
            "0.4",
            "--db",
            sqlite_url,
            "--no-report",
        ],
        out=out,
        err=err,
    )
    killer.join(timeout=5)
    assert killed
    assert code == 0, err.getvalue()
    assert rows_by_city(sqlite_url) == {city: expected_rows(city, KILL_LIMIT) for city in CITIES}
    counts = eval_json_object(query(sqlite_url, "SELECT city_counts FROM runs")[0][0])
    # One city saw its browser die, counted it as a retry, and went on with a new one.
    assert sorted(info["errors"].get("BrowserCrashedError", 0) for info in counts.values()) == [0, 1]
    assert ("(headless shell)" if browser == "headless-shell" else "(Chromium, --headless=new)") in caplog.text


def test_timeout_stops_the_run_and_records_it(
    replica: ReplicaServer, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = main(
        [
            "--base-url",
            replica.base_url,
            "--cities",
            "北京",
            "--limit",
            "100",
            "--delay",
            "1",
            "--timeout",
            "3",
            "--db",
            sqlite_url,
            "--no-report",
        ],
        out=out,
        err=err,
    )
    assert time.monotonic() - started < 20
    assert code == 1
    assert out.getvalue().startswith("北京: interrupted, ")
    assert [r[0] for r in query(sqlite_url, "SELECT outcome FROM runs")] == ["timeout"]
    stored = rows_by_city(sqlite_url)["北京"]
    assert len(stored) < 100
    assert stored == expected_rows("北京")[: len(stored)]


@pytest.mark.postgres
def test_a_database_that_stays_down_loses_nothing_the_rest_is_saved_to_a_file(
    pg_url: str, replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    monkeypatch.setenv("SCRAPER_DB_RETRY_SECONDS", "2")
    monkeypatch.setenv("SCRAPER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    code, err = scrape_through_outage(pg_url, replica.base_url, restore_after=None)
    assert code == 1
    dumps = list((tmp_path / "snapshots").glob("unwritten-*.jsonl"))
    assert len(dumps) == 1
    assert err.endswith(f"postings were saved to {dumps[0]} instead\n")
    saved = [json.loads(line) for line in dumps[0].read_text(encoding="utf-8").splitlines()]
    stored = rows_by_city(pg_url)
    for city in CITIES:
        # What the database has plus what the file has is exactly what the run took, in order.
        in_file = [(p["city"], p["title"], p["salary"]["raw"]) for p in saved if p["city"] == city]
        assert stored[city] + in_file == expected_rows(city)
    assert saved
