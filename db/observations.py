"""Observations and the salary history built on them.

The writer records, in the transaction that stores a page's jobs and its checkpoint, one
`observations` row per job the page contributed to its crawl (`record_observations`). A crawl
is one query's pass over a city, so a crawl resumed after a crash, a park or `kill -9`, or worked
on by several `--shared` processes, still holds each job once. `load_history` reads the complete
crawls of a query with what each saw, oldest first, and works out what was new and what was gone:

- new: observed jobs first stored during the crawl (`first_seen_at` at or after its start);
- gone: jobs the previous complete crawl of the query saw, listed before the last of its jobs
  this crawl saw again, that this crawl did not see. Lagou lists newest first, so that is the
  part of the listing both crawls covered; what lies past it was not looked at, so not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, select

from db.checkpoints import COMPLETE, CRAWLS
from db.models import Base
from db.reads import JobRecord, jobs_by_id
from db.writes import dialect_insert, job_ids
from scraper.model.postings import Posting

OBSERVATIONS: Table = Base.metadata.tables["observations"]


def record_observations(
    conn: Connection, *, crawl_id: int, run_id: int | None, page: int, postings: Sequence[Posting]
) -> None:
    """Record that the crawl took `postings` (stored already, in page order) from `page`. Idempotent."""
    if not postings:
        return
    # The crawl knows its site, and a job's key includes it.
    site = conn.execute(select(CRAWLS.c.site).where(CRAWLS.c.id == crawl_id)).scalar_one()
    rows = [
        {"crawl_id": crawl_id, "job_id": job_id, "run_id": run_id, "page": page, "slot": slot}
        for slot, job_id in enumerate(job_ids(conn, postings, site=site))
        if job_id is not None
    ]
    if rows:
        conn.execute(dialect_insert(conn, OBSERVATIONS).on_conflict_do_nothing(), rows)


@dataclass(frozen=True, slots=True)
class CrawlHistory:
    """One complete crawl of a city and what it saw, in listing order (`jobs`)."""

    crawl_id: int
    city: str
    run_id: int | None
    started_at: dt.datetime
    finished_at: dt.datetime
    jobs: tuple[JobRecord, ...]
    new: int
    gone: int | None  # None: no earlier crawl with observations to compare with


@dataclass(frozen=True, slots=True)
class History:
    """Per city (in the order asked for), its crawls oldest first; `unobserved`: complete crawls
    in the bounds that have no observations (completed before the tool recorded them)."""

    cities: dict[str, list[CrawlHistory]]
    unobserved: int


def load_history(
    engine: Engine,
    *,
    site: str,
    keyword: str,
    cities: Sequence[str] | None,
    since: dt.datetime | None = None,
    last: int | None = None,
) -> History:
    """The complete crawls of the query (`site`, `keyword`) per city with their observations.

    `since` (naive UTC) keeps crawls finished at or after it; `last` keeps each city's newest
    `last`. New and gone counts are computed against the previous crawl with observations,
    even when that one lies outside the bounds.
    """
    query = (CRAWLS.c.site == site) & (CRAWLS.c.keyword == keyword) & (CRAWLS.c.status == COMPLETE)
    if cities is not None:
        query &= CRAWLS.c.city.in_(list(cities))
    with engine.connect() as conn:
        crawls = conn.execute(
            select(
                CRAWLS.c.id,
                CRAWLS.c.city,
                CRAWLS.c.created_at,
                CRAWLS.c.completed_at,
                CRAWLS.c.completed_run_id,
                CRAWLS.c.updated_at,
            )
            .where(query)
            .order_by(func.coalesce(CRAWLS.c.completed_at, CRAWLS.c.updated_at), CRAWLS.c.id)
        ).all()
        seen = _observed_jobs(conn, [crawl.id for crawl in crawls])
    history: dict[str, list[CrawlHistory]] = {city: [] for city in cities or ()}
    previous: dict[str, tuple[JobRecord, ...]] = {}
    unobserved = 0
    for crawl in crawls:
        finished = crawl.completed_at or crawl.updated_at
        jobs = seen.get(crawl.id, ())
        is_in_bounds = since is None or finished >= since
        if not jobs:
            unobserved += is_in_bounds
            continue
        before = previous.get(crawl.city)
        previous[crawl.city] = jobs
        if not is_in_bounds:
            continue
        history.setdefault(crawl.city, []).append(
            CrawlHistory(
                crawl_id=crawl.id,
                city=crawl.city,
                run_id=crawl.completed_run_id,
                started_at=crawl.created_at,
                finished_at=finished,
                jobs=jobs,
                new=sum(job.first_seen_at >= crawl.created_at for job in jobs),
                gone=None if before is None else count_gone(before, jobs),
            )
        )
    if last is not None:
        history = {city: points[-last:] if last > 0 else [] for city, points in history.items()}
    return History(cities=history, unobserved=unobserved)


def count_gone(before: Sequence[JobRecord], now: Sequence[JobRecord]) -> int:
    """How many of `before`'s jobs are missing from `now`, up to the last of them `now` still has.

    Both are in listing order. Nothing in common: nothing can be said, so 0.
    """
    still = {job.id for job in now}
    reach = max((index for index, job in enumerate(before) if job.id in still), default=None)
    return 0 if reach is None else sum(job.id not in still for job in before[:reach])


def _observed_jobs(conn: Connection, crawl_ids: Sequence[int]) -> dict[int, tuple[JobRecord, ...]]:
    """Each crawl's observed jobs, in listing order (page, then slot).

    Each job is read once and shared by every crawl that saw it: a year of daily crawls sees the
    same posting hundreds of times, and building a record per observation (its JSON skills and
    dates parsed again each time) was most of a long history's report time.
    """
    if not crawl_ids:
        return {}
    result = conn.execute(
        select(OBSERVATIONS.c.crawl_id, OBSERVATIONS.c.job_id)
        .where(OBSERVATIONS.c.crawl_id.in_(list(crawl_ids)))
        .order_by(OBSERVATIONS.c.crawl_id, OBSERVATIONS.c.page, OBSERVATIONS.c.slot)
    )
    # Two integers a row, hundreds of thousands of rows: the DB-API cursor's own tuples, without
    # SQLAlchemy's Row objects (no column here needs a type conversion), halve the time to read them.
    seen: Sequence[Sequence[int]] = result.cursor.fetchall()
    records = jobs_by_id(conn, (job_id for _crawl_id, job_id in seen))
    jobs: dict[int, list[JobRecord]] = {}
    for crawl_id, job_id in seen:
        jobs.setdefault(crawl_id, []).append(records[job_id])
    return {crawl_id: tuple(crawl_jobs) for crawl_id, crawl_jobs in jobs.items()}
