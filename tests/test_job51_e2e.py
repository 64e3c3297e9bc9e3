"""51job end to end: the CLI with real headless Chromium against the 51job replica on 127.0.0.1.

The replica renders its list late from its own signed data call, pages by a button and a jump
box, ignores page numbers in its URL and carries recruiter fields in its data and on its cards.
These tests prove the scraper stores exactly the first N unique postings per city with exact
salary fields, stores no recruiter data, waits for the render, survives each block signal with
nothing lost or duplicated, and never calls the data API itself or opens a detail page.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import query, run_cli

from scraper.model.salary import parse_salary
from scraper.sandbox.job51 import data
from scraper.sandbox.job51.faults import Job51Fault, Job51FaultPlan
from scraper.sandbox.job51.server import Job51Replica
from scraper.sandbox.server import ReplicaServer

pytestmark = pytest.mark.browser

CITIES = ("北京", "上海", "广州", "深圳")
# Values only the replica's recruiter, viewer, tracking and description fields (and recruiter
# markup on the cards) carry: none may reach the database.
PRIVATE_MARKERS = (
    "HRUID", "招聘者甲", "HRPOS", "HRACT", "HRLABEL", "HRMEDAL", "13800000000", "wx_replica_hr", "avatar",
    "今日回复", "replica-token", "sou|sou|soulb", "isHrLabel", "APP下载", "访问验证", "job-item", "占位公司",
)  # fmt: skip
COORDINATES = re.compile(r"121\.\d{3}7717|31\.\d{3}2297")  # the replica's lon and lat


@pytest.fixture
def job51() -> Iterator[Job51Replica]:
    with Job51Replica(render_delay=0.2) as server:
        yield server


def scrape(replica: Job51Replica, db: str, *extra: str, cities: tuple[str, ...] = CITIES, limit: int = 100) -> int:
    code, _out, err = run_cli(
        "--site", "51job", "--base-url", replica.base_url, "--cities", ",".join(cities), "--limit", str(limit),
        "--delay", "0", "--db", db, "--no-report", *extra,
    )  # fmt: skip
    assert code in (0, 1), err
    return code


def stored(db: str, city: str) -> list[tuple[str, str, str]]:
    rows = query(db, "SELECT site, city, title, salary FROM jobs ORDER BY id")
    assert {row[0] for row in rows} <= {"51job"}
    return [(str(c), str(t), str(s)) for _site, c, t, s in rows if c == city]


def city_counts(db: str) -> dict[str, dict[str, object]]:
    """The per-city counts of the (one) recorded run."""
    [(counts,)] = query(db, "SELECT city_counts FROM runs")
    value = json.loads(counts) if isinstance(counts, str) else counts
    assert isinstance(value, dict)
    return value


def assert_exact(db: str, cities: tuple[str, ...], limit: int) -> None:
    for city in cities:
        assert stored(db, city) == data.first_unique(city, "Python", limit), city


def assert_only_the_page_called_the_data_api(replica: Job51Replica) -> None:
    requests = replica.requests
    assert [r for r in requests if r.kind == "detail"] == []
    data_calls = [r for r in requests if r.kind == "data"]
    assert data_calls
    assert all(r.is_signed for r in data_calls)  # each came from a page the replica served, none from us


def test_first_n_per_city_with_exact_salaries_and_no_recruiter_data(job51: Job51Replica, sqlite_url: str) -> None:
    assert scrape(job51, sqlite_url) == 0

    assert_exact(sqlite_url, CITIES, 100)
    rows = query(sqlite_url, "SELECT salary, salary_min, salary_max, salary_months, salary_period FROM jobs")
    for text, low, high, months, period in rows:
        salary = parse_salary(str(text))
        assert (low, high, months, period) == (
            salary.monthly_min, salary.monthly_max, salary.months, salary.period and salary.period.value,
        )  # fmt: skip
    dump = "\n".join(repr(row) for row in query(sqlite_url, "SELECT * FROM jobs"))
    dump += Path(sqlite_url.removeprefix("sqlite:///")).read_bytes().decode("utf-8", "replace")
    assert [marker for marker in PRIVATE_MARKERS if marker in dump] == []
    assert COORDINATES.findall(dump) == []
    # Company and its size, the district, experience, education and the job id are kept.
    kept = query(sqlite_url, "SELECT company, district, work_year, position_id FROM jobs WHERE city = '北京' LIMIT 1")
    assert all(kept[0])
    assert_only_the_page_called_the_data_api(job51)
    # The page turns by clicking Next in the same tab: one page load per city, one data call per page.
    loads = [r for r in job51.requests if r.kind == "search"]
    assert sorted(str(r.city) for r in loads) == sorted(CITIES)


@pytest.mark.parametrize(
    ("fault", "every"),
    # The slider page replaces a page load (the first two here); the others answer the page's data
    # call (every third: page 3 by a click, then its reload by navigation and jump box).
    [(Job51Fault.SLIDER_PAGE, 1), (Job51Fault.VERIFY_CARD, 3), (Job51Fault.SILENT_THROTTLE, 3),
     (Job51Fault.XHR_FAIL, 3)],
    ids=lambda value: value.value if isinstance(value, Job51Fault) else str(value),
)  # fmt: skip
def test_each_block_signal_is_survived_with_nothing_lost_or_duplicated(
    fault: Job51Fault, every: int, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.05")
    monkeypatch.setenv("SCRAPER_RATE_WINDOW", "1")  # a block slows the worker to its pace in this window
    plan = Job51FaultPlan(fault, every=every, cities=frozenset({"上海"}), times=2)
    with Job51Replica(render_delay=0.1, faults=(plan,)) as replica:
        assert scrape(replica, sqlite_url, cities=("上海",), limit=120) == 0
        requests = replica.requests

    assert_exact(sqlite_url, ("上海",), 120)
    assert len([r for r in requests if r.fault == fault.value]) == 2
    counts = city_counts(sqlite_url)["上海"]
    assert counts["blocks"] == 2
    assert counts["status"] == "done"
    assert [r for r in requests if r.kind == "detail"] == []
    # After a block on page N the scraper came back to page N by the jump box: page 1 loads (the
    # search page's own first call), then N; no page between them is read again.
    calls = [r for r in requests if r.kind == "data"]
    first_fault = next((i for i, r in enumerate(calls) if r.fault), None)
    if first_fault is not None:
        faulted = calls[first_fault].page or 0
        assert faulted > 1
        assert all(r.page == 1 or (r.page or 0) >= faulted for r in calls[first_fault:])


def test_the_scraper_waits_for_a_late_render_instead_of_reading_the_placeholders(sqlite_url: str) -> None:
    with Job51Replica(render_delay=2.5) as replica:
        assert scrape(replica, sqlite_url, cities=("广州",), limit=47) == 0

    assert_exact(sqlite_url, ("广州",), 47)
    # Placeholders read as a listing would be stored or seen as blocks; neither happened.
    assert city_counts(sqlite_url)["广州"]["blocks"] == 0


def test_both_sites_in_one_command_with_a_root_each(
    job51: Job51Replica, replica: ReplicaServer, sqlite_url: str
) -> None:
    lagou_root = replica.base_url
    code, out, err = run_cli(
        "--site", "all", "--base-url", f"lagou={lagou_root}", "--base-url", f"51job={job51.base_url}",
        "--cities", "广州", "--limit", "30", "--delay", "0", "--db", sqlite_url, "--no-report",
    )  # fmt: skip

    assert code == 0, err
    assert out.splitlines()[0] == "lagou:"
    assert "51job:" in out.splitlines()
    sites = query(sqlite_url, "SELECT site, COUNT(*) FROM jobs GROUP BY site ORDER BY site")
    assert sites == [("51job", 30), ("lagou", 30)]
    runs = query(sqlite_url, "SELECT outcome FROM runs ORDER BY id")
    assert runs == [("ok",), ("ok",)]


def test_kill_9_mid_crawl_then_a_rerun_ends_exact_and_comes_back_by_the_jump_box(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    with Job51Replica(render_delay=0.3) as replica:
        command = [
            sys.executable, "-m", "scraper", "--site", "51job", "--base-url", replica.base_url, "--cities", "北京",
            "--limit", "300", "--db", db, "--no-report",
        ]  # fmt: skip
        env = {**os.environ, "SCRAPER_LOCK_FILE": str(tmp_path / "run.lock")}
        first = subprocess.Popen(
            [*command, "--delay", "0.5"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while len(query(db, "SELECT page FROM crawl_pages", is_schema_optional=True)) < 4:
                assert time.monotonic() < deadline, "the first run stored no pages"
                time.sleep(0.2)
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # Python, chromedriver and Chromium alike
            first.communicate()
        done = sorted(int(str(page)) for (page,) in query(db, "SELECT page FROM crawl_pages"))
        before = len(replica.requests)

        second = subprocess.run(
            [*command, "--delay", "0"], check=False, cwd=tmp_path, env=env, capture_output=True, timeout=180
        )
        after = [r.page for r in replica.requests[before:] if r.kind == "data"]

    assert second.returncode == 0, second.stderr.decode()
    assert stored(db, "北京") == data.first_unique("北京", "Python", 300)
    assert query(db, "SELECT COUNT(*) FROM jobs") == [(300,)]
    assert [str(outcome) for (outcome,) in query(db, "SELECT outcome FROM runs ORDER BY id")] == ["crashed", "ok"]
    assert done == list(range(1, len(done) + 1))
    # The rerun loaded the search page (its page 1) and jumped to the first page not stored, then went on.
    resume = len(done) + 1
    assert after[:2] == [1, resume]
    assert after[2:] == list(range(resume + 1, resume + 1 + len(after) - 2))


def test_sandbox_serves_both_replicas_the_report_and_status_show_both_sites(sqlite_url: str, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    code, out, err = run_cli(
        "--site", "all", "--sandbox", "--cities", "广州", "--limit", "20", "--db", sqlite_url,
        "--report-dir", str(reports),
    )  # fmt: skip
    assert code == 0, err
    summary = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    assert summary["广州"]["count"] + summary["广州"]["unparsed"] == 40
    assert {site: figures["count"] + figures["unparsed"] for site, figures in summary["广州"]["sites"].items()} == {
        "lagou": 20, "51job": 20,
    }  # fmt: skip
    assert '<section id="by-site">' in (reports / "index.html").read_text(encoding="utf-8")
    out = out[: out.index("Monthly salary")]  # the city lines, before the report's table
    assert query(sqlite_url, "SELECT site, COUNT(*) FROM jobs GROUP BY site ORDER BY site") == [
        ("51job", 20), ("lagou", 20),
    ]  # fmt: skip
    assert out.splitlines() == [
        "lagou:", "广州: done, 20 postings (20 new, 0 seen before), 2 pages, 0 blocks",
        "51job:", "广州: done, 20 postings (20 new, 0 seen before), 2 pages, 0 blocks",
    ]  # fmt: skip

    code, status, _err = run_cli("status", "--db", sqlite_url)
    lines = status.splitlines()
    assert code == 0
    assert [line.split()[1] for line in lines[1:3]] == ["51job", "lagou"]  # newest run first
    assert sorted(line.split(":")[0].strip() for line in lines[4:6]) == ["51job/Python/广州", "lagou/Python/广州"]


def test_two_shared_processes_split_51job_pages_by_the_jump_box_and_end_exact(pg_url: str, tmp_path: Path) -> None:
    with Job51Replica(render_delay=0.1) as replica:
        command = [
            sys.executable, "-m", "scraper", "--shared", "--site", "51job", "--base-url", replica.base_url,
            "--cities", "北京", "--limit", "300", "--delay", "0.2", "--db", pg_url, "--no-report",
        ]  # fmt: skip
        processes = [
            subprocess.Popen(
                command, cwd=tmp_path, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        outputs = [process.communicate(timeout=240) for process in processes]
        calls = [r for r in replica.requests if r.kind == "data"]

    assert [process.returncode for process in processes] == [0, 0], [err.decode() for _out, err in outputs]
    assert stored(pg_url, "北京") == data.first_unique("北京", "Python", 300)
    assert len({r.client for r in calls}) == 2  # both processes read pages
    # Each page past the first was read once, by whichever process claimed it (reached by a click
    # when it had the page before, else by the jump box after its search page's own page 1).
    later = [r.page for r in calls if r.page != 1]
    assert len(later) == len(set(later))


def test_two_cron_jobs_one_per_site_run_at_once_on_one_database(
    job51: Job51Replica, replica: ReplicaServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    env = {key: value for key, value in os.environ.items() if key != "SCRAPER_LOCK_FILE"}  # the default locks
    jobs = {
        site: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scraper",
                "--site",
                site,
                "--base-url",
                root,
                "--cities",
                "北京,上海",
                "--limit",
                "40",
                "--delay",
                "0.3",
                "--db",
                db,
                "--no-report",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for site, root in (("lagou", replica.base_url), ("51job", job51.base_url))
    }
    results = {site: process.communicate(timeout=180) for site, process in jobs.items()}

    assert {site: process.returncode for site, process in jobs.items()} == {"lagou": 0, "51job": 0}, results
    assert query(db, "SELECT site, COUNT(*) FROM jobs GROUP BY site ORDER BY site") == [("51job", 80), ("lagou", 80)]
    assert sorted(str(outcome) for (outcome,) in query(db, "SELECT outcome FROM runs")) == ["ok", "ok"]
