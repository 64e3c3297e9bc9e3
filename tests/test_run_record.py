"""The run's record: which status a run ends with, how a city's line reads, and which dead runs a
new run marks crashed (on SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.writes import RUNS, finish_run, start_run
from scraper.crawl.city_report import CityReport
from scraper.crawl.run_record import (
    decide_status,
    finish_run_record,
    format_city_line,
    start_run_record,
)
from scraper.model.statuses import CityStatus, RunStatus
from scraper.settings import build_settings

NOW = dt.datetime(2026, 11, 26, 12, 0)
DONE = CityReport("北京", status=CityStatus.DONE)
PARKED = CityReport("上海", status=CityStatus.PARKED, reason="blocked 5 times")


@pytest.mark.parametrize(
    ("reports", "is_interrupted", "is_timed_out", "writer_error", "status"),
    [
        ((DONE, CityReport("广州", status=CityStatus.EXHAUSTED)), False, False, None, RunStatus.OK),
        ((DONE, PARKED), False, False, None, RunStatus.PARTIAL),
        ((DONE,), True, True, None, RunStatus.INTERRUPTED),
        ((DONE,), False, True, None, RunStatus.TIMEOUT),
        ((DONE,), False, False, OSError("gone"), RunStatus.FAILED),
    ],
)
def test_the_run_status_says_how_the_run_stopped_before_how_its_cities_ended(
    reports: tuple[CityReport, ...],
    is_interrupted: bool,
    is_timed_out: bool,
    writer_error: BaseException | None,
    status: RunStatus,
) -> None:
    decided = decide_status(
        reports, is_interrupted=is_interrupted, is_timed_out=is_timed_out, writer_error=writer_error
    )
    assert decided is status


def test_postings_the_database_refused_make_a_finished_run_partial() -> None:
    finished = (DONE,)
    assert decide_status(finished, is_interrupted=False, is_timed_out=False, writer_error=None) is RunStatus.OK
    set_aside = decide_status(finished, is_interrupted=False, is_timed_out=False, writer_error=None, has_set_aside=True)
    assert set_aside is RunStatus.PARTIAL


def test_a_city_line_gives_counts_and_the_reason() -> None:
    assert format_city_line(dataclasses.replace(PARKED, postings=30, pages=3, blocks=5), (12, 18)) == (
        "上海: parked, 30 postings (12 new, 18 seen before), 3 pages, 5 blocks — blocked 5 times"
    )


def outcomes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(RUNS.c.outcome).order_by(RUNS.c.id)).scalars())


def test_a_new_run_marks_only_this_host_s_dead_runs_of_its_keyword_crashed(
    migrated_engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = build_settings({"database_url": db_url}, environ={}, dotenv_path=tmp_path / "none")
    with migrated_engine.begin() as conn:
        dead = start_run_record(conn, settings, started_at=NOW)
        start_run(conn, arguments={"host": "elsewhere", "keyword": "Python"}, started_at=NOW)
        other_keyword = start_run_record(conn, dataclasses.replace(settings, keyword="Go"), started_at=NOW)
        finished = start_run_record(conn, settings, started_at=NOW)
        finish_run(conn, finished, ended_at=NOW, city_counts={}, outcome="ok")
    assert (dead, other_keyword) == (1, 3)
    with migrated_engine.begin() as conn:
        new = start_run_record(conn, settings, started_at=NOW)
    finish_run_record(
        migrated_engine, new, reports=(PARKED,), written={"上海": (1, 2)}, status=RunStatus.PARTIAL, ended_at=NOW
    )
    assert outcomes(migrated_engine) == ["crashed", "running", "running", "ok", "partial"]
    with migrated_engine.connect() as conn:
        counts = conn.execute(select(RUNS.c.city_counts).where(RUNS.c.id == new)).scalar_one()
    assert counts["上海"] == {
        "status": "parked",
        "reason": "blocked 5 times",
        "postings": 0,
        "pages": 0,
        "blocks": 0,
        "retries": 0,
        "new": 1,
        "repeated": 2,
        "errors": {},
    }
