"""Salary history end to end: sandbox runs on three replica days, checked against the replica's own data.

Real CLI, real headless browser, the replica on 127.0.0.1, SQLite and PostgreSQL. The expected
figures are computed here from `scraper.sandbox.data` (what the replica lists each day), with the
salary parser and numpy's percentiles, never from what the scraper stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli
from sqlalchemy import create_engine, func, select

from db.models import Observation
from scraper.model.salary import parse_salary
from scraper.sandbox import data

pytestmark = pytest.mark.browser
CITIES = ("北京", "上海", "广州", "深圳")
KEYWORD = "Python"
LIMIT = 60
DAYS = (0, 1, 2)
FIGURES = ("count", "unparsed", "mean", "median", "p25", "p75", "min", "max")

Key = tuple[str, str, str]


def expected_figures(keys: Sequence[Key]) -> dict[str, float | int | None]:
    """The summary.json figures of one run's postings, from their salary text."""
    midpoints, unparsed = [], 0
    for _city, _title, salary in keys:
        parsed = parse_salary(salary)
        low, high = parsed.monthly_min, parsed.monthly_max
        if low is None and high is None:
            unparsed += 1
        else:
            midpoints.append((low + high) / 2 if low is not None and high is not None else float(low or high or 0))
    values = np.array(midpoints)
    p25, median, p75 = np.percentile(values, [25, 50, 75])
    return {
        "count": len(midpoints),
        "unparsed": unparsed,
        "mean": round(float(values.mean()), 2),
        "median": round(float(median), 2),
        "p25": round(float(p25), 2),
        "p75": round(float(p75), 2),
        "min": float(values.min()),
        "max": float(values.max()),
    }


def expected_gone(before: Sequence[Key], now: Sequence[Key]) -> set[Key]:
    """The postings of `before` missing from `now`, up to the last of them `now` still lists."""
    still = set(now)
    reach = max(i for i, key in enumerate(before) if key in still)
    return {key for key in before[:reach] if key not in still}


def test_three_replica_days_give_a_history_equal_to_the_replicas_own_data(db_url: str, tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    outputs = []
    for day in DAYS:
        code, out, err = run_cli(
            "--sandbox",
            "--sandbox-day",
            str(day),
            "--cities",
            "all",
            "--limit",
            str(LIMIT),
            "--delay",
            "0",
            "--db",
            db_url,
            "--report-dir",
            str(report_dir),
        )
        assert code == 0, err
        outputs.append(out)

    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    gone_total = 0
    for city in CITIES:
        listed = {day: data.first_unique(city, KEYWORD, LIMIT, day) for day in DAYS}
        history = summary[city]["history"]
        assert len(history) == len(DAYS)
        assert [point["run_id"] for point in history] == [1, 2, 3]
        assert [point["finished_at"] for point in history] == sorted(point["finished_at"] for point in history)
        seen_before: set[Key] = set()
        for day, point in zip(DAYS, history, strict=True):
            assert {name: point[name] for name in FIGURES} == expected_figures(listed[day])
            assert point["new"] == len(set(listed[day]) - seen_before)
            seen_before |= set(listed[day])
            if day == 0:
                assert point["gone"] is None
                continue
            gone = expected_gone(listed[day - 1], listed[day])
            # ... and exactly the replica's own take-downs within the part of the listing both runs saw.
            added, removed = data.changes(city, KEYWORD, day)
            removed_keys = {(city, job["positionName"].strip(), job["salary"]) for job in removed}
            assert gone == removed_keys & set(
                listed[day - 1][: max(i for i, k in enumerate(listed[day - 1]) if k in set(listed[day]))]
            )
            assert point["gone"] == len(gone)
            gone_total += len(gone)
            added_keys = {(city, job["positionName"].strip(), job["salary"]) for job in added}
            assert added_keys <= set(listed[day]) | set(data.first_unique(city, KEYWORD, 450, day))

    assert gone_total > 0  # the replica's days did take postings down where the runs looked

    # The last run's end table: new, gone and the change in median against the run before.
    table = outputs[-1]
    for city in CITIES:
        history = summary[city]["history"]
        change = round(history[2]["median"] - history[1]["median"])
        shown = "0" if change == 0 else f"+{change:,}" if change > 0 else f"\u2212{-change:,}"
        row = next(line for line in table.splitlines() if line.startswith(city + " "))
        assert row.split()[-3:] == [str(history[2]["new"]), str(history[2]["gone"]), shown]
    assert "Δ median" in table
    assert "—" in outputs[0]  # the first run has nothing to compare with

    # Observations: one per posting a run took, never more.
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert (
                conn.execute(select(func.count()).select_from(Observation)).scalar_one()
                == len(DAYS) * len(CITIES) * LIMIT
            )
    finally:
        engine.dispose()

    names = {path.name for path in report_dir.iterdir()}
    assert {"salary_trend.png", "index.html", "summary.json"} <= names
    assert (report_dir / "salary_trend.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    # The same history as CSV rows, and bounded by --last.
    code, out, err = run_cli("export", "--format", "csv", "--history", "--db", db_url)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["city"], r["run_id"], r["median"]) for r in rows if r["city"] == "北京"] == [
        ("北京", str(p["run_id"]), str(p["median"])) for p in summary["北京"]["history"]
    ]
    assert len(rows) == len(DAYS) * len(CITIES)
    code, _out, err = run_cli("report", "--db", db_url, "--out", str(tmp_path / "last"), "--last", "2")
    assert code == 0, err
    bounded = json.loads((tmp_path / "last" / "summary.json").read_text(encoding="utf-8"))
    assert [p["run_id"] for p in bounded["深圳"]["history"]] == [2, 3]
    assert bounded["深圳"]["history"] == summary["深圳"]["history"][1:]
    code, _out, err = run_cli("report", "--db", db_url, "--out", str(tmp_path / "java"), "--keyword", "Java")
    assert code == 0, err
    other = json.loads((tmp_path / "java" / "summary.json").read_text(encoding="utf-8"))
    assert all(other[city]["history"] == [] for city in CITIES)  # another query has no history
