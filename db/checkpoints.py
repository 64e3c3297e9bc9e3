"""Crawl checkpoints: which listing pages of a query are safely stored, so a run can resume.

The runner opens (or resumes) one crawl per city before the workers start; the writer records
each finished page with `record_page` inside the transaction that stores its postings; the
runner closes the crawls of cities that finished. A crawl left open (crash, `kill -9`, parked
city, Ctrl-C) is resumed by the next run of the same query (site, keyword, city).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Table, insert, select, update

from db.models import Base
from db.writes import to_db_time

CRAWLS: Table = Base.metadata.tables["crawls"]
CRAWL_PAGES: Table = Base.metadata.tables["crawl_pages"]
OPEN, COMPLETE, ABANDONED = "open", "complete", "abandoned"
DONE = "done"  # a crawl page whose postings are stored


@dataclass(frozen=True, slots=True)
class CrawlState:
    """Where a city's crawl stands. `done_pages` maps page number → accepted (title, salary) keys,
    in page order; `is_resumed` is True when an open crawl was picked up again."""

    crawl_id: int
    done_pages: dict[int, list[tuple[str, str]]]
    last_page_seen: bool
    is_resumed: bool

    @property
    def accepted_keys(self) -> list[tuple[str, str]]:
        """Every (title, salary) key already taken, in listing order, without repeats."""
        keys: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for page in sorted(self.done_pages):
            for key in self.done_pages[page]:
                if key not in seen:
                    seen.add(key)
                    keys.append(key)
        return keys


def open_crawl(conn: Connection, *, site: str, keyword: str, city: str, is_fresh: bool, now: dt.datetime) -> CrawlState:
    """Resume the newest open crawl of the query, or start one (always a new one when `is_fresh`)."""
    stamp = to_db_time(now)
    query = (CRAWLS.c.site == site) & (CRAWLS.c.keyword == keyword) & (CRAWLS.c.city == city)
    open_ids = list(
        conn.execute(
            select(CRAWLS.c.id).where(query & (CRAWLS.c.status == OPEN)).order_by(CRAWLS.c.id.desc())
        ).scalars()
    )
    if open_ids and not is_fresh:
        crawl_id = open_ids[0]
        rows = conn.execute(
            select(CRAWL_PAGES.c.page, CRAWL_PAGES.c.accepted, CRAWL_PAGES.c.is_last)
            .where((CRAWL_PAGES.c.crawl_id == crawl_id) & (CRAWL_PAGES.c.state == DONE))
            .order_by(CRAWL_PAGES.c.page)
        ).all()
        done = {row.page: [(str(t), str(s)) for t, s in row.accepted or ()] for row in rows}
        return CrawlState(crawl_id, done, any(row.is_last for row in rows), is_resumed=True)
    if open_ids:
        conn.execute(update(CRAWLS).where(CRAWLS.c.id.in_(open_ids)).values(status=ABANDONED, updated_at=stamp))
    crawl_id = conn.execute(
        insert(CRAWLS)
        .values(site=site, keyword=keyword, city=city, status=OPEN, created_at=stamp, updated_at=stamp)
        .returning(CRAWLS.c.id)
    ).scalar_one()
    return CrawlState(crawl_id, {}, last_page_seen=False, is_resumed=False)


def record_page(
    conn: Connection, *, crawl_id: int, page: int, accepted: list[tuple[str, str]], is_last: bool, now: dt.datetime
) -> None:
    """Mark a page of a crawl as stored (call in the transaction that stores its postings).

    Idempotent: a batch retried after a lost commit acknowledgement records nothing twice.
    """
    is_known = conn.execute(
        select(CRAWL_PAGES.c.page).where((CRAWL_PAGES.c.crawl_id == crawl_id) & (CRAWL_PAGES.c.page == page))
    ).first()
    if is_known:
        return
    conn.execute(
        insert(CRAWL_PAGES).values(
            crawl_id=crawl_id,
            page=page,
            accepted=[list(key) for key in accepted],
            is_last=is_last,
            done_at=to_db_time(now),
        )
    )
    conn.execute(update(CRAWLS).where(CRAWLS.c.id == crawl_id).values(updated_at=to_db_time(now)))


def close_crawl(conn: Connection, crawl_id: int, *, now: dt.datetime, run_id: int | None = None) -> None:
    """Mark a crawl complete (by run `run_id`): the next run of its query starts from page 1 again."""
    stamp = to_db_time(now)
    conn.execute(
        update(CRAWLS)
        .where(CRAWLS.c.id == crawl_id)
        .values(status=COMPLETE, updated_at=stamp, completed_at=stamp, completed_run_id=run_id)
    )
