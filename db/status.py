"""What `python -m scraper status` shows: the last runs and each query's crawl and page queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from db.checkpoints import CRAWL_PAGES, CRAWLS
from db.writes import RUNS

RECENT_CRAWLS_PER_QUERY = 1


@dataclass(frozen=True, slots=True)
class RunRow:
    """One recorded run."""

    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str
    cities: dict[str, dict[str, object]]
    site: str = "lagou"  # runs recorded before there were sites were Lagou's


@dataclass(frozen=True, slots=True)
class CrawlRow:
    """The newest crawl of one query (site, keyword, city) with its pages counted by state."""

    id: int
    site: str
    keyword: str
    city: str
    status: str
    is_shared: bool
    updated_at: dt.datetime
    pages: dict[str, int]
    postings: int


def load_status(engine: Engine, *, runs: int = 5) -> tuple[list[RunRow], list[CrawlRow]]:
    """The last `runs` runs (newest first) and the newest crawl of every query."""
    with engine.connect() as conn:
        run_rows = [
            RunRow(r.id, r.started_at, r.ended_at, r.outcome, dict(r.city_counts or {}), _site_of(r.arguments))
            for r in conn.execute(select(RUNS).order_by(RUNS.c.id.desc()).limit(runs))
        ]
        newest = (
            select(func.max(CRAWLS.c.id)).group_by(CRAWLS.c.site, CRAWLS.c.keyword, CRAWLS.c.city).scalar_subquery()
        )
        crawls = conn.execute(select(CRAWLS).where(CRAWLS.c.id.in_(newest)).order_by(CRAWLS.c.keyword, CRAWLS.c.city))
        crawl_rows = []
        for crawl in crawls.all():
            pages = {
                str(state): int(count)
                for state, count in conn.execute(
                    select(CRAWL_PAGES.c.state, func.count())
                    .where(CRAWL_PAGES.c.crawl_id == crawl.id)
                    .group_by(CRAWL_PAGES.c.state)
                )
            }
            accepted = conn.execute(
                select(CRAWL_PAGES.c.accepted).where(
                    (CRAWL_PAGES.c.crawl_id == crawl.id) & (CRAWL_PAGES.c.state == "done")
                )
            ).scalars()
            crawl_rows.append(
                CrawlRow(
                    crawl.id,
                    crawl.site,
                    crawl.keyword,
                    crawl.city,
                    crawl.status,
                    crawl.is_shared,
                    crawl.updated_at,
                    pages,
                    sum(len(keys or ()) for keys in accepted),
                )
            )
    return run_rows, crawl_rows


def _site_of(arguments: object) -> str:
    site = arguments.get("site") if isinstance(arguments, dict) else None
    return site if isinstance(site, str) and site else "lagou"
