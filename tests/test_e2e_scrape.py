"""End to end: the real CLI, real headless Chromium, the replica on 127.0.0.1, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import run_cli, stored_jobs
from sqlalchemy import create_engine, select, text

from db.models import Run
from scraper.model.salary import parse_salary
from scraper.sandbox import data
from scraper.sandbox.faults import FaultPlan
from scraper.sandbox.server import ReplicaServer

pytestmark = pytest.mark.browser
BIG_CITIES = ("北京", "上海", "广州", "深圳")


def expected_first_unique(city: str, limit: int, keyword: str = "Python") -> list[tuple[str, str, str]]:
    return data.first_unique(city, keyword, limit)


def test_sandbox_scrape_stores_first_100_unique_per_city_and_rerun_adds_none(db_url: str) -> None:
    code, out, err = run_cli(
        "--sandbox", "--cities", "all", "--limit", "100", "--delay", "0", "--db", db_url, "--no-report"
    )
    assert code == 0, err
    rows = stored_jobs(db_url)
    for city in BIG_CITIES:
        got = [(r.city, r.title, r.salary) for r in rows if r.city == city]
        assert got == expected_first_unique(city, 100)
        assert f"{city}: done, 100 postings (100 new, 0 seen before)" in out
    for row in rows:
        parsed = parse_salary(row.salary)
        assert (row.salary_min, row.salary_max) == (parsed.monthly_min, parsed.monthly_max)
    first_seen = {r.id: (r.first_seen_at, r.last_seen_at) for r in rows}

    code, out, err = run_cli(
        "--sandbox", "--cities", "all", "--limit", "100", "--delay", "0", "--db", db_url, "--no-report"
    )
    assert code == 0, err
    again = stored_jobs(db_url)
    assert len(again) == 400
    assert "北京: done, 100 postings (0 new, 100 seen before)" in out
    for row in again:
        assert row.first_seen_at == first_seen[row.id][0]
        assert row.last_seen_at > first_seen[row.id][1]
    engine = create_engine(db_url)
    with engine.connect() as conn:
        runs = list(conn.execute(select(Run.__table__).order_by(Run.id)))
    engine.dispose()
    assert [r.outcome for r in runs] == ["ok", "ok"]
    counts = runs[1].city_counts if isinstance(runs[1].city_counts, dict) else json.loads(runs[1].city_counts)
    assert counts["上海"]["postings"] == 100
    assert counts["上海"]["repeated"] == 100


def test_base_url_scrape_of_another_server_keeps_salary_fields(replica: ReplicaServer, sqlite_url: str) -> None:
    code, _out, err = run_cli(
        "--base-url",
        replica.base_url,
        "--cities",
        "shenzhen,Hangzhou",
        "--limit",
        "120",
        "--delay",
        "0",
        "--db",
        sqlite_url,
        "--no-report",
    )
    assert code == 0, err
    rows = stored_jobs(sqlite_url)
    for city in ("深圳", "杭州"):
        assert [(r.city, r.title, r.salary) for r in rows if r.city == city] == expected_first_unique(city, 120)
    by_key = {(r.city, r.title, r.salary): r for r in rows}
    for job in data.jobs_for("深圳", "Python")[:60]:
        row = by_key[("深圳", job["positionName"].strip(), job["salary"])]
        want = parse_salary(job["salary"], months_hint=job["salaryMonth"])
        assert (row.salary_min, row.salary_max, row.salary_months) == (want.monthly_min, want.monthly_max, want.months)


def test_city_with_fewer_jobs_than_the_limit_stops_when_the_site_runs_out(
    replica: ReplicaServer, sqlite_url: str
) -> None:
    code, out, err = run_cli(
        "--base-url",
        replica.base_url,
        "--cities",
        "成都",
        "--limit",
        "100",
        "--delay",
        "0",
        "--db",
        sqlite_url,
        "--no-report",
    )
    assert code == 0, err
    want = expected_first_unique("成都", 100)
    assert len(want) < 100
    assert [(r.city, r.title, r.salary) for r in stored_jobs(sqlite_url)] == want
    assert f"成都: exhausted, {len(want)} postings" in out


def test_no_recruiter_data_reaches_any_text_column(replica: ReplicaServer, sqlite_url: str) -> None:
    code, _out, err = run_cli(
        "--base-url",
        replica.base_url,
        "--cities",
        "北京",
        "--limit",
        "60",
        "--delay",
        "0",
        "--db",
        sqlite_url,
        "--no-report",
    )
    assert code == 0, err
    jobs = data.jobs_for("北京", "Python")[:90]
    secrets = {str(job["lastLogin"]) for job in jobs}
    for person in data.hr_info_map(jobs).values():
        secrets.update(str(person[key]) for key in ("realName", "phone", "receiveEmail", "userId"))
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        dump = "\n".join(repr(tuple(row)) for row in conn.execute(text("SELECT * FROM jobs")))
    engine.dispose()
    assert dump.count("北京") >= 60
    leaked = sorted(s for s in secrets if s and s in dump)
    assert leaked == []


def test_scrape_ends_with_the_report_and_the_average_salary_per_city(
    replica: ReplicaServer, sqlite_url: str, tmp_path: Path
) -> None:
    report_dir = tmp_path / "charts"
    code, out, err = run_cli(
        "--base-url",
        replica.base_url,
        "--cities",
        "广州",
        "--limit",
        "20",
        "--delay",
        "0",
        "--db",
        sqlite_url,
        "--report-dir",
        str(report_dir),
    )
    assert code == 0, err
    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    rows = stored_jobs(sqlite_url)
    midpoints = [
        ((r.salary_min or r.salary_max or 0) + (r.salary_max or r.salary_min or 0)) / 2
        for r in rows
        if r.salary_min is not None or r.salary_max is not None
    ]
    assert summary["广州"]["count"] == len(midpoints)
    assert summary["广州"]["mean"] == round(sum(midpoints) / len(midpoints), 2)
    assert f"{round(sum(midpoints) / len(midpoints)):,}" in out
    assert sorted(p.name for p in report_dir.glob("*.png")) == [
        "salary_by_city.png",
        "salary_by_experience.png",
        "salary_by_skill.png",
        "salary_distribution.png",
        "salary_histograms.png",
    ]


@pytest.mark.parametrize("browser", ["headless-shell", "chromium"])
def test_both_browsers_survive_a_sticky_block_with_cookie_clearing_snapshots_and_no_leftovers(
    browser: str,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A short folder: Chromium's profile socket path must stay under the 108-byte limit.
    scratch = Path(tempfile.mkdtemp(prefix="jss-t-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(scratch, ignore_errors=True))
    monkeypatch.setenv("TMPDIR", str(scratch))  # chromedriver's own temporary profiles land here too
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.05")
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    monkeypatch.setenv("SCRAPER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    with ReplicaServer(faults=FaultPlan.parse("sticky_block:every=2,times=2")) as server:
        code, _out, err = run_cli(
            "--base-url",
            server.base_url,
            "--cities",
            "北京,上海",
            "--limit",
            "40",
            "--delay",
            "0",
            "--db",
            sqlite_url,
            "--no-report",
            "--browser",
            browser,
        )
        listing = server.listing_requests()
    assert code == 0, err
    expected_binary = (
        "chromium-headless-shell (headless shell)"
        if browser == "headless-shell"
        else "chromium (Chromium, --headless=new)"
    )
    assert expected_binary in caplog.text  # the run's log names the browser it started
    rows = [(r.city, r.title, r.salary) for r in stored_jobs(sqlite_url)]
    for city in ("北京", "上海"):
        assert [row for row in rows if row[0] == city] == expected_first_unique(city, 40)
    blocked = [r for r in listing if r.fault]
    assert len(blocked) == 2
    for record in blocked:
        later = [r for r in listing if r.city == record.city and r.time > record.time and not r.fault]
        assert later[0].client_token != record.client_token  # cookies were cleared
    snapshots = tmp_path / "snapshots"
    assert len(list(snapshots.glob("*.html"))) == 2
    pngs = list(snapshots.glob("*.png"))
    assert len(pngs) == 2
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    assert list(scratch.iterdir()) == []  # every temporary profile was removed
