"""The shared page queue: several scraper processes work one query's pages on PostgreSQL.

Each city's crawl has one `crawl_pages` row per page. A process claims the lowest claimable
page with `FOR UPDATE SKIP LOCKED` (pending, or claimed by a process whose claim expired, so a
crashed process's pages are taken over), loads it, and stores its parsed postings as `fetched`.
Then the frontier advances under the crawl row's lock: fetched pages are committed strictly in
page order, each taking only the postings not already taken, until the limit or the site's last
page. So "the first N unique postings in listing order" holds across processes, no page is
committed twice, and `jobs` dedup (city, title, salary) holds as always.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy.dialects import postgresql

from db.checkpoints import COMPLETE, CRAWL_PAGES, CRAWLS, DONE, OPEN, CrawlState
from db.observations import record_observations
from db.writes import UpsertCounts, to_db_time, upsert_postings
from scraper.model.postings import Posting, posting_from_json, posting_to_json, take_new

PENDING, CLAIMED, FETCHED, SKIPPED = "pending", "claimed", "fetched", "skipped"


@dataclass(frozen=True, slots=True)
class Claim:
    """The answer to a claim: a page to load, or none (`page` None). `is_finished`: the crawl
    needs no more pages; otherwise other processes still hold the remaining claims (wait, ask again)."""

    page: int | None
    is_finished: bool


def open_shared_crawl(
    conn: Connection, *, site: str, keyword: str, city: str, max_pages: int, is_fresh: bool, now: dt.datetime
) -> CrawlState:
    """Join the open shared crawl of the query, or start one with pages 1..max_pages pending.

    A transaction-scoped advisory lock per query makes processes that start together agree on
    one crawl. PostgreSQL only.
    """
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"crawl:{site}:{keyword}:{city}"})
    stamp = to_db_time(now)
    query = (CRAWLS.c.site == site) & (CRAWLS.c.keyword == keyword) & (CRAWLS.c.city == city)
    current = conn.execute(
        select(CRAWLS.c.id, CRAWLS.c.is_shared).where(query & (CRAWLS.c.status == OPEN)).order_by(CRAWLS.c.id.desc())
    ).first()
    if current is not None and current.is_shared and not is_fresh:
        return CrawlState(current.id, {}, last_page_seen=False, is_resumed=True)
    if current is not None:
        conn.execute(update(CRAWLS).where(query & (CRAWLS.c.status == OPEN)).values(status="abandoned"))
    crawl_id = conn.execute(
        postgresql.insert(CRAWLS)
        .values(
            site=site,
            keyword=keyword,
            city=city,
            status=OPEN,
            created_at=stamp,
            updated_at=stamp,
            is_shared=True,
            frontier=0,
        )
        .returning(CRAWLS.c.id)
    ).scalar_one()
    conn.execute(
        postgresql.insert(CRAWL_PAGES),
        [{"crawl_id": crawl_id, "page": page, "state": PENDING, "is_last": False} for page in range(1, max_pages + 1)],
    )
    return CrawlState(crawl_id, {}, last_page_seen=False, is_resumed=False)


def claim_page(conn: Connection, *, crawl_id: int, owner: str, ttl: float, now: dt.datetime) -> Claim:
    """Claim the lowest pending (or expired) page of an open crawl for `ttl` seconds."""
    stamp = to_db_time(now)
    status = conn.execute(select(CRAWLS.c.status).where(CRAWLS.c.id == crawl_id)).scalar_one()
    if status != OPEN:
        return Claim(None, is_finished=True)
    row = conn.execute(
        select(CRAWL_PAGES.c.page)
        .where(
            (CRAWL_PAGES.c.crawl_id == crawl_id)
            & (
                (CRAWL_PAGES.c.state == PENDING)
                | ((CRAWL_PAGES.c.state == CLAIMED) & (CRAWL_PAGES.c.claim_expires_at < stamp))
            )
        )
        .order_by(CRAWL_PAGES.c.page)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if row is None:
        return Claim(None, is_finished=False)
    conn.execute(
        update(CRAWL_PAGES)
        .where((CRAWL_PAGES.c.crawl_id == crawl_id) & (CRAWL_PAGES.c.page == row.page))
        .values(state=CLAIMED, claimed_by=owner, claim_expires_at=stamp + dt.timedelta(seconds=ttl))
    )
    return Claim(row.page, is_finished=False)


def store_fetched(conn: Connection, *, crawl_id: int, page: int, postings: Sequence[Posting], is_last: bool) -> None:
    """Keep a loaded page's postings until the frontier commits it (unless it is committed already)."""
    conn.execute(
        update(CRAWL_PAGES)
        .where(
            (CRAWL_PAGES.c.crawl_id == crawl_id)
            & (CRAWL_PAGES.c.page == page)
            & CRAWL_PAGES.c.state.in_((PENDING, CLAIMED))
        )
        .values(state=FETCHED, postings=[posting_to_json(p) for p in postings], is_last=is_last)
    )


def advance_frontier(
    conn: Connection,
    *,
    crawl_id: int,
    limit: int,
    site: str,
    keyword: str,
    now: dt.datetime,
    run_id: int | None = None,
) -> dict[str, UpsertCounts]:
    """Commit fetched pages in page order after the frontier; returns the counts stored per city.

    Each page takes its postings not already taken, up to `limit` in all, and records them as
    the crawl's observations (by `run_id`, the committing process's run); the crawl completes
    at the limit or after the site's last page, and the pages it no longer needs are skipped.
    """
    crawl = conn.execute(select(CRAWLS).where(CRAWLS.c.id == crawl_id).with_for_update()).one()
    if crawl.status != OPEN:
        return {}
    page_of = CRAWL_PAGES.c.crawl_id == crawl_id
    taken = {
        (crawl.city, str(t), str(s))
        for keys in conn.execute(
            select(CRAWL_PAGES.c.accepted).where(page_of & (CRAWL_PAGES.c.state == DONE))
        ).scalars()
        for t, s in keys or ()
    }
    frontier, is_complete = crawl.frontier, len(taken) >= limit
    # Only the run of fetched pages right after the frontier can be committed: read just their postings.
    ready = [] if is_complete else _fetched_run(conn, crawl_id, after=frontier)
    counts: dict[str, UpsertCounts] = {}
    for row in ready:
        accepted = take_new((posting_from_json(item) for item in row.postings or ()), taken, limit=limit)
        added = upsert_postings(conn, accepted, seen_at=now, site=site, keyword=keyword)
        record_observations(conn, crawl_id=crawl_id, run_id=run_id, page=row.page, postings=accepted)
        if accepted:
            before = counts.get(crawl.city, UpsertCounts())
            counts[crawl.city] = UpsertCounts(before.new + added.new, before.repeated + added.repeated)
        conn.execute(
            update(CRAWL_PAGES)
            .where(page_of & (CRAWL_PAGES.c.page == row.page))
            .values(
                state=DONE, accepted=[[p.title, p.salary.raw] for p in accepted], postings=None, done_at=to_db_time(now)
            )
        )
        frontier = row.page
        is_complete = len(taken) >= limit or row.is_last
        if is_complete:
            break
    values: dict[str, Any] = {"frontier": frontier, "updated_at": to_db_time(now)}
    if is_complete:
        values.update(status=COMPLETE, completed_at=to_db_time(now), completed_run_id=run_id)
        conn.execute(
            update(CRAWL_PAGES)
            .where((CRAWL_PAGES.c.crawl_id == crawl_id) & (CRAWL_PAGES.c.page > frontier))
            .values(state=SKIPPED)
        )
    conn.execute(update(CRAWLS).where(CRAWLS.c.id == crawl_id).values(**values))
    return counts


def _fetched_run(conn: Connection, crawl_id: int, *, after: int) -> list[Any]:
    """The pages right after page `after` that are fetched, in page order, up to the first that is not."""
    states = conn.execute(
        select(CRAWL_PAGES.c.page, CRAWL_PAGES.c.state)
        .where((CRAWL_PAGES.c.crawl_id == crawl_id) & (CRAWL_PAGES.c.page > after))
        .order_by(CRAWL_PAGES.c.page)
    ).all()
    pages = []
    for row in states:
        if row.state != FETCHED:
            break
        pages.append(row.page)
    if not pages:
        return []
    return list(
        conn.execute(
            select(CRAWL_PAGES.c.page, CRAWL_PAGES.c.postings, CRAWL_PAGES.c.is_last)
            .where((CRAWL_PAGES.c.crawl_id == crawl_id) & CRAWL_PAGES.c.page.in_(pages))
            .order_by(CRAWL_PAGES.c.page)
        ).all()
    )


def crawl_summary(conn: Connection, crawl_id: int) -> tuple[str, int]:
    """(status, postings taken so far) of a crawl."""
    status = conn.execute(select(CRAWLS.c.status).where(CRAWLS.c.id == crawl_id)).scalar_one()
    accepted = conn.execute(
        select(CRAWL_PAGES.c.accepted).where((CRAWL_PAGES.c.crawl_id == crawl_id) & (CRAWL_PAGES.c.state == DONE))
    ).scalars()
    return str(status), sum(len(keys or ()) for keys in accepted)
