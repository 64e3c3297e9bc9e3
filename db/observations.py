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
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter, itemgetter

from sqlalchemy import Connection, Engine, Table, func, select

from db.checkpoints import COMPLETE, CRAWLS
from db.models import Base
from db.reads import rows_by_id
from db.writes import JOBS, dialect_insert, job_ids
from scraper.model.postings import Posting

OBSERVATIONS: Table = Base.metadata.tables["observations"]
_id = attrgetter("id")
_first_seen = attrgetter("first_seen_at")


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
class SeenJob:
    """What the history needs of an observed job: its salary bounds (CNY per month, None when not
    parsed) and when it was first stored. Not a whole `JobRecord`: a year of daily crawls sees
    tens of thousands of jobs, and reading every column of each was most of the history's time."""

    id: int
    title: str
    salary_min: int | None
    salary_max: int | None
    first_seen_at: dt.datetime


SEEN_JOB_COLUMNS = (JOBS.c.id, JOBS.c.title, JOBS.c.salary_min, JOBS.c.salary_max, JOBS.c.first_seen_at)


@dataclass(frozen=True, slots=True)
class CrawlHistory:
    """One complete crawl of a city and what it saw, in listing order (`jobs`)."""

    crawl_id: int
    city: str
    run_id: int | None
    started_at: dt.datetime
    finished_at: dt.datetime
    jobs: tuple[SeenJob, ...]
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
        with _cycle_collection_paused():
            seen = _observed_jobs(conn, [crawl.id for crawl in crawls])
    history: dict[str, list[CrawlHistory]] = {city: [] for city in cities or ()}
    previous: dict[str, list[int]] = {}  # per city, the job ids of its latest crawl with observations
    unobserved = 0
    for crawl in crawls:
        finished = crawl.completed_at or crawl.updated_at
        jobs = seen.get(crawl.id, ())
        is_in_bounds = since is None or finished >= since
        if not jobs:
            unobserved += is_in_bounds
            continue
        before = previous.get(crawl.city)
        previous[crawl.city] = ids = list(map(_id, jobs))
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
                new=sum(map(crawl.created_at.__le__, map(_first_seen, jobs))),  # first seen at or after its start
                gone=None if before is None else count_gone(before, ids),
            )
        )
    if last is not None:
        history = {city: points[-last:] if last > 0 else [] for city, points in history.items()}
    return History(cities=history, unobserved=unobserved)


def count_gone(before: Sequence[int], now: Sequence[int]) -> int:
    """How many of the job ids `before` are missing from `now`, up to the last of them `now` still has.

    Both are in listing order. Nothing in common: nothing can be said, so 0.
    """
    # Once per crawl over a year of daily crawls: the loops over jobs run in C (map over set lookups).
    still = set(now)
    kept = list(map(still.__contains__, before))
    reach = next((index for index in range(len(kept) - 1, -1, -1) if kept[index]), None)
    return 0 if reach is None else reach - sum(kept[:reach])


def _observed_jobs(conn: Connection, crawl_ids: Sequence[int]) -> dict[int, tuple[SeenJob, ...]]:
    """Each crawl's observed jobs, in listing order (page, then slot).

    Each job is read once and shared by every crawl that saw it: a year of daily crawls sees the
    same posting hundreds of times.
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
    jobs = _seen_jobs(conn, map(itemgetter(1), seen))
    # The rows come grouped by crawl: one C-level map per crawl rather than a Python step per row.
    return {
        crawl_id: tuple(map(jobs.__getitem__, map(itemgetter(1), rows)))
        for crawl_id, rows in groupby(seen, key=itemgetter(0))
    }


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector while the history is read. Its rows (plain tuples, one per
    observation) make no cycles, but their number alone set off collections that took about a
    sixth of the read over a year of history. The collector runs again afterwards if it was on;
    another thread meanwhile, or a nested pause, only defers a collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _seen_jobs(conn: Connection, ids: Iterable[int]) -> dict[int, SeenJob]:
    """The stored jobs of `ids`, only what the history needs of each."""
    return {row[0]: SeenJob(*tuple(row)) for row in rows_by_id(conn, SEEN_JOB_COLUMNS, ids)}
