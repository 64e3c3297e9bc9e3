"""`db.runs.load_runs`: the runs as the report page lists them, on SQLite and PostgreSQL.

A run's source comes from its stored arguments; runs stored before `sandbox_day` (or `sandbox`)
was recorded read as real-site runs of day 0 rather than failing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from db.runs import RunInfo, load_runs
from db.writes import finish_run, start_run

T0 = dt.datetime(2026, 12, 5, 22, 0, 0)


def test_load_runs_reads_the_source_of_each_run_from_its_arguments(migrated_engine: Engine) -> None:
    sandbox = {"cities": ["北京", "上海"], "sandbox": True, "sandbox_day": 3, "base_url": "https://www.lagou.com"}
    real = {"cities": ["深圳"], "sandbox": False, "base_url": "https://www.lagou.com"}
    with migrated_engine.begin() as conn:
        first = start_run(conn, arguments=sandbox, started_at=T0)
        finish_run(conn, first, ended_at=T0 + dt.timedelta(seconds=45), city_counts={}, outcome="ok")
        second = start_run(conn, arguments=real, started_at=T0 + dt.timedelta(hours=1))
        third = start_run(conn, arguments={}, started_at=T0 + dt.timedelta(hours=2))

    runs = load_runs(migrated_engine)

    assert runs == [
        RunInfo(first, T0, T0 + dt.timedelta(seconds=45), "ok", ("北京", "上海"), True, 3, "https://www.lagou.com"),
        RunInfo(second, T0 + dt.timedelta(hours=1), None, "running", ("深圳",), False, 0, "https://www.lagou.com"),
        RunInfo(third, T0 + dt.timedelta(hours=2), None, "running", (), False, 0, ""),
    ]
    assert [run.id for run in load_runs(migrated_engine, {third, first, 999})] == [first, third]
    assert load_runs(migrated_engine, set()) == []
