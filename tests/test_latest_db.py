"""The headline's scope on a real database (SQLite and PostgreSQL): each city's latest complete run,
`--all-time` pooling every stored job, and a database without per-run records keeping pooled
figures with one line that says so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from charts.report import POOLED_NOTICE, HistoryQuery, build_report
from charts.summary import CityStats
from db.checkpoints import close_crawl, open_crawl, record_page
from db.engine import make_engine, migrations_dir, upgrade_schema
from db.latest import load_latest_jobs
from db.observations import record_observations
from db.writes import upsert_postings
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

T0 = dt.datetime(2026, 12, 1, 2, 0)
QUERY = HistoryQuery(keyword="Python")


def alembic_config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def posting(title: str, salary: str, city: str = "北京", work_year: str = "3-5年") -> Posting:
    return Posting(city=city, title=title, salary=parse_salary(salary), work_year=work_year, education="本科")


def crawl_seeing(
    engine: Engine,
    postings: list[Posting],
    *,
    at: dt.datetime,
    run_id: int,
    city: str = "北京",
    keyword: str = "Python",
) -> None:
    """One complete crawl of `city` that stored and observed `postings` on page 1."""
    with engine.begin() as conn:
        crawl = open_crawl(conn, site="lagou", keyword=keyword, city=city, is_fresh=False, now=at)
        upsert_postings(conn, postings, seen_at=at, site="lagou", keyword=keyword)
        accepted = [(p.title, p.salary.raw) for p in postings]
        record_page(conn, crawl_id=crawl.crawl_id, page=1, accepted=accepted, is_last=True, now=at)
        record_observations(conn, crawl_id=crawl.crawl_id, run_id=run_id, page=1, postings=postings)
        close_crawl(conn, crawl.crawl_id, now=at + dt.timedelta(minutes=5), run_id=run_id)


def summary(out_dir: Path) -> dict[str, dict[str, object]]:
    document: dict[str, dict[str, object]] = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    return document


def test_headline_is_each_citys_latest_complete_run_and_all_time_pools_every_job(
    migrated_engine: Engine, tmp_path: Path
) -> None:
    # Day 1 sees A (10k) and B (20k); day 2 sees B again and C (40k): A is gone.
    crawl_seeing(migrated_engine, [posting("A", "8k-12k"), posting("B", "15k-25k")], at=T0, run_id=1)
    crawl_seeing(migrated_engine, [posting("B", "15k-25k"), posting("C", "30k-50k", work_year="5-10年")],
                 at=T0 + dt.timedelta(days=1), run_id=2)  # fmt: skip
    # 上海 was crawled on day 1 only: its latest complete run is that one.
    crawl_seeing(migrated_engine, [posting("D", "8k-12k", city="上海")], at=T0, run_id=1, city="上海")
    # Another keyword's newer crawl of 北京 is not this query's run.
    crawl_seeing(migrated_engine, [posting("J", "1k-3k")], at=T0 + dt.timedelta(days=2), run_id=3, keyword="Java")

    latest = build_report(migrated_engine, tmp_path / "latest", None, query=QUERY)
    pooled = build_report(migrated_engine, tmp_path / "all", None, query=HistoryQuery("Python", all_time=True))

    # Latest: B and C → midpoints 20000, 40000.
    assert latest.stats["北京"] == CityStats(2, 0, 30000.0, 30000.0, 25000.0, 35000.0, 20000.0, 40000.0)
    assert latest.stats["上海"].count == 1
    assert list(latest.breakdowns["北京"].by_experience) == ["3-5年", "5-10年"]
    assert not any("pool every stored job" in n for n in latest.notices)
    # All time: A, B, C and J → 10000, 20000, 40000, 2000.
    assert pooled.stats["北京"].count == 4
    assert pooled.stats["北京"].mean == 18000.0
    assert summary(tmp_path / "all")["北京"]["count"] == 4
    assert summary(tmp_path / "latest")["北京"]["by_experience"] == {
        "3-5年": {"count": 1, "unparsed": 0, **dict.fromkeys(("mean", "median", "p25", "p75", "min", "max"), 20000.0)},
        "5-10年": {"count": 1, "unparsed": 0, **dict.fromkeys(("mean", "median", "p25", "p75", "min", "max"), 40000.0)},
    }
    # The history stays per run either way.
    assert [p.stats.count for p in latest.history["北京"]] == [2, 2]
    assert pooled.history == latest.history


def test_one_run_gives_the_same_figures_either_way(migrated_engine: Engine, tmp_path: Path) -> None:
    crawl_seeing(migrated_engine, [posting("A", "8k-12k"), posting("B", "面议")], at=T0, run_id=1)

    latest = build_report(migrated_engine, tmp_path / "latest", None, query=QUERY)
    pooled = build_report(migrated_engine, tmp_path / "all", None, query=HistoryQuery("Python", all_time=True))

    assert latest.stats == pooled.stats
    assert latest.breakdowns == pooled.breakdowns
    assert summary(tmp_path / "latest") == summary(tmp_path / "all")
    assert latest.notices == pooled.notices


def test_jobs_without_per_run_records_keep_pooled_figures_and_say_so_once(
    migrated_engine: Engine, tmp_path: Path
) -> None:
    # Stored before observations existed: jobs, and no crawl that recorded what it saw.
    with migrated_engine.begin() as conn:
        upsert_postings(conn, [posting("A", "8k-12k"), posting("B", "15k-25k")], seen_at=T0, site="lagou",
                        keyword="Python")  # fmt: skip
        upsert_postings(conn, [posting("S", "8k-12k", city="上海")], seen_at=T0, site="lagou", keyword="Python")
    # 深圳 has a run with observations since: it alone gets the latest-run figures.
    crawl_seeing(migrated_engine, [posting("Z", "15k-25k", city="深圳")], at=T0, run_id=1, city="深圳")

    result = build_report(migrated_engine, tmp_path, None, query=QUERY)

    assert load_latest_jobs(migrated_engine, keyword="Python", cities=None).pooled_cities == ["北京", "上海"]
    assert [n for n in result.notices if "pool" in n] == [POOLED_NOTICE.format(cities="北京, 上海")]
    assert result.stats["北京"].count == 2
    assert result.stats["深圳"].count == 1
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("北京、上海的数字包括全部已存职位") == 1  # the page is Chinese by default


def test_a_database_upgraded_from_before_observations_keeps_pooled_figures_and_says_so_once(
    db_url: str, tmp_path: Path
) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0003")
        with engine.begin() as conn:  # jobs stored under 0003: no observations of any run
            for title, low, high in (("A", 8000, 12000), ("B", 15000, 25000), ("C", None, None)):
                conn.execute(
                    text(
                        "INSERT INTO jobs (site, keyword, city, title, salary, salary_min, salary_max, salary_months, "
                        "salary_parser_version, work_year, education, first_seen_at, last_seen_at) VALUES "
                        "('lagou', 'Python', '北京', :title, :title, :low, :high, 12, 1, '3-5年', '本科', :t, :t)"
                    ),
                    {"title": title, "low": low, "high": high, "t": T0},
                )
        upgrade_schema(engine)
        latest = build_report(engine, tmp_path / "latest", None, query=QUERY)
        pooled = build_report(engine, tmp_path / "all", None, query=HistoryQuery("Python", all_time=True))
    finally:
        engine.dispose()

    assert latest.stats == pooled.stats
    assert latest.stats["北京"] == CityStats(2, 1, 15000.0, 15000.0, 12500.0, 17500.0, 10000.0, 20000.0)
    assert latest.breakdowns == pooled.breakdowns
    assert [n for n in latest.notices if "pool every stored job" in n] == [
        "figures for 北京 pool every stored job: no complete run recorded which postings it saw there "
        "(a database from before per-run records)"
    ]
    assert not any("pool every stored job" in n for n in pooled.notices)  # --all-time asked for it: nothing to say
