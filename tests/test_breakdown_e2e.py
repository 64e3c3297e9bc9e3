"""Breakdowns end to end: sandbox runs, then summary.json's `by_experience`, `by_education` and
`skills` against figures computed here from the replica's own data (`scraper.sandbox.data`).

Real CLI, real headless browser, the replica on 127.0.0.1, SQLite and PostgreSQL. The expected
figures use the salary parser, numpy and a label table of this file, never the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import run_cli

from scraper.model.salary import parse_salary
from scraper.sandbox import data

pytestmark = pytest.mark.browser
CITIES = ("北京", "上海", "广州", "深圳")
KEYWORD = "Python"
LIMIT = 90
MIN_SKILL_JOBS = 5
# Lagou's labels are the bands, except the student label (lagou-pages.md §6.3).
LAGOU_BAND = {"应届毕业生": "应届"}
BAND_ORDER = ("不限", "应届", "1年以下", "1-3年", "3-5年", "5-10年", "10年以上")
LEVEL_ORDER = ("不限", "大专", "本科", "硕士", "博士")


def scrape(db_url: str, report_dir: Path, *, day: int = 0) -> str:
    code, out, err = run_cli(
        "--sandbox", "--sandbox-day", str(day), "--cities", "all", "--limit", str(LIMIT), "--delay", "0",
        "--db", db_url, "--report-dir", str(report_dir),
    )  # fmt: skip
    assert code == 0, err
    return out


def stored_jobs(city: str, days: Sequence[int], *, seen_on: int | None = None) -> list[dict[str, Any]]:
    """The replica's job objects as a correct scraper stores them over runs on `days`: the first `LIMIT`
    unique (title, salary) keys of each day's listing, each job as first listed on the first day it
    was taken (the first stored row of a key wins). With `seen_on`, only the keys that day's run took."""
    jobs: dict[tuple[str, str], dict[str, Any]] = {}
    taken: dict[int, list[tuple[str, str]]] = {}
    for day in days:
        keys = taken.setdefault(day, [])
        for job in data.jobs_for(city, KEYWORD, day):
            if len(keys) == LIMIT:
                break
            key = (job["positionName"].strip(), job["salary"])
            if key not in keys:
                keys.append(key)
            jobs.setdefault(key, job)
    return list(jobs.values()) if seen_on is None else [jobs[key] for key in taken[seen_on]]


def midpoint(salary: str) -> float | None:
    parsed = parse_salary(salary)
    low, high = parsed.monthly_min, parsed.monthly_max
    if low is not None and high is not None:
        return (low + high) / 2
    return None if low is None and high is None else float(low or high or 0)


def figures(midpoints: list[float], unparsed: int) -> dict[str, float | int | None]:
    if not midpoints:
        return dict.fromkeys(("mean", "median", "p25", "p75", "min", "max"), None) | {"count": 0, "unparsed": unparsed}
    values = np.array(midpoints)
    p25, median, p75 = np.percentile(values, [25, 50, 75])
    return {
        "count": len(midpoints), "unparsed": unparsed, "mean": round(float(values.mean()), 2),
        "median": round(float(median), 2), "p25": round(float(p25), 2), "p75": round(float(p75), 2),
        "min": round(float(values.min()), 2), "max": round(float(values.max()), 2),
    }  # fmt: skip


def grouped(jobs: list[dict[str, Any]], field: str, order: Sequence[str]) -> dict[str, dict[str, Any]]:
    parsed: dict[str, list[float]] = {}
    unparsed: dict[str, int] = {}
    for job in jobs:
        label = LAGOU_BAND.get(job[field], job[field])
        value = midpoint(job["salary"])
        parsed.setdefault(label, [])
        unparsed[label] = unparsed.get(label, 0) + (value is None)
        if value is not None:
            parsed[label].append(value)
    assert set(parsed) <= set(order)  # the replica uses Lagou's own vocabulary only
    return {label: figures(parsed[label], unparsed[label]) for label in order if label in parsed}


def skills(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    per_skill: dict[str, list[float]] = {}
    for job in jobs:
        value = midpoint(job["salary"])
        if value is not None:
            for skill in set(job["skillLables"]):
                per_skill.setdefault(skill, []).append(value)
    entries = [
        {"skill": skill, "count": len(values), "median": round(float(np.median(values)), 2)}
        for skill, values in per_skill.items()
        if len(values) >= MIN_SKILL_JOBS
    ]
    return sorted(entries, key=lambda e: (-e["median"], -e["count"], e["skill"]))


def expected_breakdowns(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "by_experience": grouped(jobs, "workYear", BAND_ORDER),
        "by_education": grouped(jobs, "education", LEVEL_ORDER),
        "skills": skills(jobs),
    }


def test_breakdowns_equal_the_replicas_own_figures(db_url: str, tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    scrape(db_url, report_dir)

    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    for city in CITIES:
        jobs = stored_jobs(city, [0])
        expected = expected_breakdowns(jobs)
        assert {key: summary[city][key] for key in expected} == expected, city
        # The test covers ground: most bands, every level and several skills hold jobs.
        assert len(expected["by_experience"]) >= 6
        assert len(expected["by_education"]) == len(LEVEL_ORDER)
        assert len(expected["skills"]) >= 5
        assert sum(s["count"] + s["unparsed"] for s in summary[city]["by_experience"].values()) == LIMIT
        assert sum(s["count"] + s["unparsed"] for s in summary[city]["by_education"].values()) == LIMIT


def test_two_replica_days_headline_the_latest_run_and_all_time_pools_both(db_url: str, tmp_path: Path) -> None:
    scrape(db_url, tmp_path / "day0", day=0)
    scrape(db_url, tmp_path / "day1", day=1)
    code, out, err = run_cli("report", "--db", db_url, "--out", str(tmp_path / "all"), "--all-time", "--by", "skill")
    assert code == 0, err

    latest = json.loads((tmp_path / "day1" / "summary.json").read_text(encoding="utf-8"))
    pooled = json.loads((tmp_path / "all" / "summary.json").read_text(encoding="utf-8"))
    for city in CITIES:
        now, both = stored_jobs(city, [0, 1], seen_on=1), stored_jobs(city, [0, 1])
        assert len(both) > len(now) == LIMIT  # day 1 took postings down and listed new ones
        parsed = [m for m in (midpoint(job["salary"]) for job in now) if m is not None]
        assert {k: latest[city][k] for k in ("count", "unparsed", "median")} == {
            k: figures(parsed, LIMIT - len(parsed))[k] for k in ("count", "unparsed", "median")
        }
        assert {key: latest[city][key] for key in ("by_experience", "by_education", "skills")} == expected_breakdowns(
            now
        )
        assert pooled[city]["count"] + pooled[city]["unparsed"] == len(both)
        assert {key: pooled[city][key] for key in ("by_experience", "by_education", "skills")} == expected_breakdowns(
            both
        )
        assert [p["run_id"] for p in pooled[city]["history"]] == [1, 2]  # the history stays per run
        # The skill table: each skill's median and its distance from the city's median.
        top = pooled[city]["skills"][0]
        row = next(line.split() for line in out.splitlines() if line.split()[:2] == [city, top["skill"]])
        assert row[2:4] == [str(top["count"]), f"{top['median']:,.0f}"]
    assert out.startswith("Median monthly salary in CNY by skill")
