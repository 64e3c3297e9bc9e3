"""The read-side commands through the CLI in-process: report, export, renormalize."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from helpers import run_cli
from sqlalchemy import text

from db.engine import make_engine, upgrade_schema
from db.writes import upsert_postings
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

JOBS = [
    ("北京", "Python开发", "20k-30k"),
    ("北京", "数据工程师", "10k-20k"),
    ("上海", "后端工程师", "30k以上"),
    ("上海", "实习生", "面议"),
]


@pytest.fixture
def filled_db(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    engine = make_engine(sqlite_url)
    upgrade_schema(engine)
    postings = [Posting(city=c, title=t, salary=parse_salary(s), company="示例") for c, t, s in JOBS]
    with engine.begin() as conn:
        upsert_postings(
            conn, postings, seen_at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC), site="lagou", keyword="Python"
        )
    engine.dispose()
    return sqlite_url


def test_report_writes_charts_and_summary_and_prints_the_table(filled_db: str, tmp_path: Path) -> None:
    code, out, err = run_cli("report", "--db", filled_db, "--out", str(tmp_path / "charts"))
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert names == [
        "index.html",
        "salary_by_city.png",
        "salary_by_experience.png",
        "salary_distribution.png",
        "salary_histograms.png",
        "summary.json",
    ]
    summary = json.loads((tmp_path / "charts" / "summary.json").read_text(encoding="utf-8"))
    assert summary["北京"]["count"] == 2
    assert summary["北京"]["mean"] == 20000.0  # midpoints 25,000 and 15,000
    figures = {"count": 1, "unparsed": 1, **dict.fromkeys(("mean", "median", "p25", "p75", "min", "max"), 30000.0)}
    assert summary["上海"] == {
        **figures,
        "by_experience": {"other": figures},  # stored without experience or education labels
        "by_education": {"other": figures},
        "skills": [],
        "history": [],
    }
    assert "北京" in out
    assert "20,000" in out
    # Jobs stored without any crawl: no history, and the report says why there is no trend.
    assert (
        "report: salary trend not drawn: it needs at least 2 complete runs with observations of one city, "
        "and the history has 0\n" in out
    )
    # ... and, with no run that recorded its postings, the figures pool every stored job, said once.
    assert out.count("report: figures for 北京, 上海 pool every stored job") == 1


def test_report_filters_cities(filled_db: str, tmp_path: Path) -> None:
    code, _out, err = run_cli("report", "--db", filled_db, "--out", str(tmp_path / "r"), "--cities", "shanghai")
    assert code == 0, err
    assert list(json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))) == ["上海"]


def test_export_csv_with_bom_and_jsonl(filled_db: str, tmp_path: Path) -> None:
    target = tmp_path / "jobs.csv"
    code, out, err = run_cli("export", "--format", "csv", "--output", str(target), "--bom", "--db", filled_db)
    assert code == 0, err
    assert out == f"exported 4 jobs to {target}\n"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["city"], r["title"], r["salary"], r["salary_min"], r["salary_max"]) for r in rows] == [
        ("北京", "Python开发", "20k-30k", "20000", "30000"),
        ("北京", "数据工程师", "10k-20k", "10000", "20000"),
        ("上海", "后端工程师", "30k以上", "30000", ""),
        ("上海", "实习生", "面议", "", ""),
    ]
    code, out, err = run_cli("export", "--format", "jsonl", "--cities", "北京", "--db", filled_db)
    assert code == 0, err
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Python开发", "数据工程师"]
    assert err.endswith("exported 2 jobs\n")


def test_renormalize_reparses_rows_of_an_older_parser(filled_db: str) -> None:
    engine = make_engine(filled_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE jobs SET salary_parser_version = 0, salary_min = NULL WHERE title = 'Python开发'"))
    engine.dispose()
    code, out, err = run_cli("renormalize", "--db", filled_db)
    assert (code, out) == (0, "renormalized 1 jobs\n"), err
    engine = make_engine(filled_db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT salary_min FROM jobs WHERE title = 'Python开发'")).scalar() == 20000
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "yesterday"), "error: --since must be a date like 2026-12-01 or an ISO time, got 'yesterday'\n"),
        (("--last", "0"), "error: --last must be a whole number of runs, 1 or more, got '0'\n"),
        (("--last", "two"), "error: --last must be a whole number of runs, 1 or more, got 'two'\n"),
        (("--min-skill-jobs", "0"), "error: --min-skill-jobs must be a whole number of jobs, 1 or more, got '0'\n"),
    ],
)
def test_report_history_bounds_are_checked(filled_db: str, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _out, err = run_cli("report", "--db", filled_db, "--out", str(tmp_path / "r"), *args)
    assert (code, err) == (2, message)


def test_report_since_takes_a_date_or_a_time_with_an_offset(filled_db: str, tmp_path: Path) -> None:
    for since in ("2026-12-01", "2026-12-01T08:00:00+08:00"):
        code, _out, err = run_cli("report", "--db", filled_db, "--out", str(tmp_path / "r"), "--since", since)
        assert code == 0, err
