"""Several scraper processes sharing one query's page queue on PostgreSQL (`--shared`)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import helpers
import pytest
from sqlalchemy import create_engine, text

from scraper.cli.main import main
from scraper.sandbox.server import ReplicaServer

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
CITIES = ("北京", "上海")
LIMIT = 100


def expected_rows(city: str) -> list[tuple[str, str, str]]:
    return helpers.expected_rows(city, LIMIT)


def rows_by_city(url: str) -> dict[str, list[tuple[str, str, str]]]:
    # Rows from two processes interleave in id order; listing order is checked as a set per city.
    return {city: sorted(rows) for city, rows in helpers.rows_by_city(url, CITIES).items()}


def done_pages(url: str) -> int:
    # The schema may not exist yet.
    return len(helpers.query(url, "SELECT page FROM crawl_pages WHERE state = 'done'", is_schema_optional=True))


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []

    def launch(base_url: str, db: str, delay: str, claim_ttl: str = "60") -> subprocess.Popen[bytes]:
        env = {**os.environ, "SCRAPER_CLAIM_TTL": claim_ttl, "SCRAPER_BACKOFF": "0.1"}
        command = [
            sys.executable,
            "-m",
            "scraper",
            "--shared",
            "--base-url",
            base_url,
            "--cities",
            ",".join(CITIES),
            "--limit",
            str(LIMIT),
            "--delay",
            delay,
            "--db",
            db,
            "--no-report",
        ]
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        processes.append(process)
        return process

    yield launch
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_two_processes_share_the_pages_no_page_loaded_twice(
    start: Callable[..., subprocess.Popen[bytes]], pg_url: str
) -> None:
    with ReplicaServer() as server:
        first, second = start(server.base_url, pg_url, "0.2"), start(server.base_url, pg_url, "0.2")
        results = [p.communicate(timeout=240) for p in (first, second)]
        loads = Counter((r.city, r.page) for r in server.listing_requests())
    for process, (_out, err) in zip((first, second), results, strict=True):
        assert process.returncode == 0, err.decode()
    assert rows_by_city(pg_url) == {city: sorted(expected_rows(city)) for city in CITIES}
    assert [key for key, count in loads.items() if count > 1] == []
    for out, _err in results:
        assert f"北京: done, {LIMIT} postings" in out.decode()
    # One set of observations per city's crawl, written by both processes, each posting once in listing order.
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        observed = conn.execute(
            text(
                "SELECT c.city, j.title, j.salary, o.run_id FROM observations o "
                "JOIN jobs j ON j.id = o.job_id JOIN crawls c ON c.id = o.crawl_id "
                "ORDER BY o.crawl_id, o.page, o.slot"
            )
        ).all()
        crawls = conn.execute(text("SELECT status, completed_run_id IS NOT NULL FROM crawls")).all()
    engine.dispose()
    assert {city: [(c, t, s) for c, t, s, _run in observed if c == city] for city in CITIES} == {
        city: expected_rows(city) for city in CITIES
    }
    assert {run for *_key, run in observed} <= {1, 2}  # whichever process's writer committed the page
    assert sorted(tuple(row) for row in crawls) == [("complete", True)] * len(CITIES)


def test_killing_one_process_leaves_its_pages_to_the_other(
    start: Callable[..., subprocess.Popen[bytes]], pg_url: str
) -> None:
    with ReplicaServer() as server:
        # A short claim lifetime, so the survivor takes over the victim's claimed pages quickly.
        survivor = start(server.base_url, pg_url, "0.6", claim_ttl="4")
        victim = start(server.base_url, pg_url, "0.6", claim_ttl="4")
        deadline = time.monotonic() + 90
        while done_pages(pg_url) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        _out, err = survivor.communicate(timeout=240)
    assert survivor.returncode == 0, err.decode()
    assert rows_by_city(pg_url) == {city: sorted(expected_rows(city)) for city in CITIES}


def test_shared_mode_refuses_sqlite(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    code = main(["--shared", "--db", sqlite_url, "--no-report"], out=io.StringIO(), err=err)
    assert (code, err.getvalue()) == (
        2,
        "error: --shared needs a PostgreSQL database (row locks); SQLite runs one process at a time\n",
    )


def test_status_shows_runs_and_the_page_queue(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "lock"))
    with ReplicaServer() as server:
        code = main(
            [
                "--shared",
                "--base-url",
                server.base_url,
                "--cities",
                "成都",
                "--limit",
                "20",
                "--delay",
                "0",
                "--db",
                pg_url,
                "--no-report",
            ],
            out=io.StringIO(),
            err=io.StringIO(),
        )
    assert code == 0
    out = io.StringIO()
    assert main(["status", "--db", pg_url], out=out, err=io.StringIO()) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "Last runs:"
    assert lines[1].startswith("  #1 ")
    assert lines[1].endswith(" ok: 成都 done 20")
    assert lines[2] == "Crawls (newest per query; times in UTC):"
    assert lines[3].startswith("  lagou/Python/成都: complete (shared), 20 postings, pages: 2 done, 28 skipped; ")
