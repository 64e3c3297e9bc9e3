"""Reports over two sites (SQLite and PostgreSQL): pooled city figures unchanged, each city's
summary.json object gains `sites` with the same statistics per site, the page and a chart set the
sites side by side, `report --site` keeps one site, and `export` has a site column and `--site`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from helpers import run_cli
from sqlalchemy import Engine

from charts.report import SUMMARY_JSON, HistoryQuery, build_report
from charts.sites import SITES_PNG
from charts.summary import stats_dict, summarize
from db.reads import load_jobs
from db.writes import upsert_postings
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

SEEN = dt.datetime(2026, 12, 7, 5, 0)
LAGOU = [("北京", "Python开发", "15k-25k"), ("北京", "数据分析", "10k-20k"), ("上海", "Python开发", "20k-30k")]
JOB51 = [("北京", "Python开发", "1-1.5万"), ("北京", "爬虫工程师", "8千-1.2万"), ("北京", "测试", "面议")]


def store(engine: Engine) -> None:
    with engine.begin() as conn:
        for site, rows in (("lagou", LAGOU), ("51job", JOB51)):
            postings = [Posting(city=c, title=t, salary=parse_salary(s), work_year="3-5年") for c, t, s in rows]
            upsert_postings(conn, postings, seen_at=SEEN, site=site, keyword="Python")


def test_summary_keeps_pooled_figures_and_adds_each_site_s(migrated_engine: Engine, tmp_path: Path) -> None:
    store(migrated_engine)

    result = build_report(migrated_engine, tmp_path, None, find_font=lambda: None)

    summary = json.loads((tmp_path / SUMMARY_JSON).read_text(encoding="utf-8"))
    jobs = load_jobs(migrated_engine, None)
    pooled = summarize(jobs)
    assert {key: summary["北京"][key] for key in stats_dict(pooled["北京"])} == stats_dict(pooled["北京"])
    assert list(summary["北京"]["sites"]) == ["lagou", "51job"]
    for site in ("lagou", "51job"):
        own = summarize([job for job in jobs if job.site == site], cities=["北京", "上海"])
        for city in ("北京", "上海"):
            figures = summary[city]["sites"][site]
            assert {key: figures[key] for key in stats_dict(own[city])} == stats_dict(own[city])
            assert set(figures) >= {"by_experience", "by_education", "skills"} or figures["count"] == 0
    assert summary["北京"]["sites"]["51job"]["unparsed"] == 1  # 面议
    assert summary["上海"]["sites"]["51job"]["count"] == 0
    assert SITES_PNG in {path.name for path in result.paths}
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<section id="by-site">' in page
    assert page.count("<td>51job</td>") == 2  # a row per city
    assert "<dt>网站</dt><dd>lagou、51job</dd>" in page  # the page names every site its figures pool


def test_report_site_keeps_one_site_only(migrated_engine: Engine, tmp_path: Path) -> None:
    store(migrated_engine)

    build_report(
        migrated_engine,
        tmp_path,
        None,
        query=HistoryQuery(keyword="Python", site="51job", is_site_only=True, all_time=True),
        find_font=lambda: None,
    )

    summary = json.loads((tmp_path / SUMMARY_JSON).read_text(encoding="utf-8"))
    assert list(summary) == ["北京"]
    assert (summary["北京"]["count"], summary["北京"]["unparsed"]) == (2, 1)
    assert "sites" not in summary["北京"]
    assert not (tmp_path / SITES_PNG).exists()
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'id="by-site"' not in page
    assert "<dt>网站</dt><dd>51job</dd>" in page


def test_cli_report_and_export_take_site(migrated_engine: Engine, db_url: str, tmp_path: Path) -> None:
    store(migrated_engine)

    code, out, err = run_cli("report", "--db", db_url, "--out", str(tmp_path / "r"), "--site", "51job", "--all-time")
    assert code == 0, err
    assert json.loads((tmp_path / "r" / SUMMARY_JSON).read_text(encoding="utf-8"))["北京"]["count"] == 2

    code, out, err = run_cli("export", "--db", db_url, "--format", "csv", "--site", "51job")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0, err
    assert [(row["site"], row["title"]) for row in rows] == [("51job", t) for _c, t, _s in JOB51]

    code, out, _err = run_cli("export", "--db", db_url, "--format", "jsonl")
    assert sorted({json.loads(line)["site"] for line in out.splitlines()}) == ["51job", "lagou"]

    code, _out, err = run_cli("report", "--db", db_url, "--site", "boss")
    assert (code, err.strip()) == (2, "error: unknown site 'boss' in --site; valid sites: all, lagou, 51job")
