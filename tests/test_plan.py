"""Settling crawls after a run: finished local crawls close, a shared city's outcome comes from the
crawl all processes worked on, and the workers' reports come back unchanged (data flows one way)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.checkpoints import CRAWLS, CrawlState, open_crawl
from db.engine import make_engine, upgrade_schema
from db.shared_queue import advance_frontier, claim_page, open_shared_crawl, store_fetched
from scraper.crawl.city_report import CityReport
from scraper.crawl.plan import settle_crawls
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary
from scraper.model.statuses import CityStatus
from scraper.settings import Settings, build_settings

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def settings_for(url: str, tmp_path: Path, *, is_shared: bool, limit: int = 100) -> Settings:
    # --shared is validated against the URL; the replace keeps one settings object for both kinds.
    built = build_settings({"database_url": url, "limit": str(limit)}, environ={}, dotenv_path=tmp_path / "none")
    return dataclasses.replace(built, is_shared=is_shared)


def crawl_status(engine: Engine, crawl_id: int) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(CRAWLS.c.status).where(CRAWLS.c.id == crawl_id)).scalar_one())


def test_local_finished_crawls_close_and_the_reports_come_back_as_the_workers_left_them(
    migrated_engine: Engine, db_url: str, tmp_path: Path
) -> None:
    with migrated_engine.begin() as conn:
        crawls = {
            city: open_crawl(conn, site="lagou", keyword="Python", city=city, is_fresh=False, now=NOW)
            for city in ("北京", "上海")
        }
    reports = (
        CityReport("北京", status=CityStatus.DONE, postings=100),
        CityReport("上海", status=CityStatus.PARKED, postings=7),
    )
    before = [dataclasses.replace(report) for report in reports]
    settled = settle_crawls(migrated_engine, settings_for(db_url, tmp_path, is_shared=False), crawls, reports)
    assert settled == reports
    assert list(reports) == before
    assert crawl_status(migrated_engine, crawls["北京"].crawl_id) == "complete"
    assert crawl_status(migrated_engine, crawls["上海"].crawl_id) == "open"


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def shared_crawl(engine: Engine, *, titles: list[str], is_complete: bool) -> CrawlState:
    """A shared crawl of 北京 whose first page holds `titles`; the site's last page when `is_complete`."""
    postings = [
        Posting(city="北京", title=title, salary=parse_salary("15k-25k"), company="示例", skills=()) for title in titles
    ]
    with engine.begin() as conn:
        crawl = open_shared_crawl(
            conn, site="lagou", keyword="Python", city="北京", max_pages=2, is_fresh=False, now=NOW
        )
        claim_page(conn, crawl_id=crawl.crawl_id, owner="other", ttl=60, now=NOW)
        store_fetched(conn, crawl_id=crawl.crawl_id, page=1, postings=postings, is_last=is_complete)
        advance_frontier(conn, crawl_id=crawl.crawl_id, limit=100, site="lagou", keyword="Python", now=NOW)
    return crawl


@pytest.mark.postgres
def test_a_shared_city_is_reported_as_its_crawl_ended_not_as_this_worker_saw_it(
    pg_engine: Engine, pg_url: str, tmp_path: Path
) -> None:
    crawl = shared_crawl(pg_engine, titles=["A", "B", "C"], is_complete=True)
    worker_report = CityReport("北京", status=CityStatus.INTERRUPTED, postings=1, pages=1)
    for limit, status in ((100, CityStatus.EXHAUSTED), (3, CityStatus.DONE)):
        settings = settings_for(pg_url, tmp_path, is_shared=True, limit=limit)
        settled = settle_crawls(pg_engine, settings, {"北京": crawl}, (worker_report,))
        assert settled == (CityReport("北京", status=status, postings=3, pages=1),)
    assert worker_report == CityReport("北京", status=CityStatus.INTERRUPTED, postings=1, pages=1)


@pytest.mark.postgres
def test_an_unfinished_shared_crawl_keeps_the_worker_status_with_the_crawl_postings(
    pg_engine: Engine, pg_url: str, tmp_path: Path
) -> None:
    crawl = shared_crawl(pg_engine, titles=["A"], is_complete=False)
    settled = settle_crawls(
        pg_engine,
        settings_for(pg_url, tmp_path, is_shared=True),
        {"北京": crawl},
        (CityReport("北京", status=CityStatus.INTERRUPTED, postings=0),),
    )
    assert settled == (CityReport("北京", status=CityStatus.INTERRUPTED, postings=1),)
