"""The jobs the report's headline describes: those seen by each city's latest complete run.

A crawl is one query's (site, keyword) pass over a city; its `observations` say which stored jobs it
saw. For every site and city, the newest complete crawl of the keyword that recorded observations
gives the city its current postings. A city with stored jobs but no such crawl (a database from
before observations, or no crawl of it ever finished) keeps every stored job of the city, pooled,
and is named in `pooled_cities` so the report can say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, exists, func, select

from db.checkpoints import COMPLETE, CRAWLS
from db.observations import OBSERVATIONS
from db.reads import JobRecord, jobs_by_id, load_jobs
from db.writes import JOBS
from scraper.model.cities import city_order


@dataclass(frozen=True, slots=True)
class LatestJobs:
    """The jobs of each city's latest complete crawls (per site), ordered like `load_jobs`;
    `crawl_ids` those crawls; `pooled_cities` the cities whose jobs are all stored ones instead."""

    jobs: list[JobRecord]
    crawl_ids: list[int]
    pooled_cities: list[str]


def latest_crawl_ids(engine: Engine, *, keyword: str, cities: Sequence[str] | None) -> list[int]:
    """Per (site, city), the id of the newest complete crawl of `keyword` that has observations."""
    where = (CRAWLS.c.keyword == keyword) & (CRAWLS.c.status == COMPLETE)
    where &= exists().where(OBSERVATIONS.c.crawl_id == CRAWLS.c.id)
    if cities is not None:
        where &= CRAWLS.c.city.in_(list(cities))
    finished = func.coalesce(CRAWLS.c.completed_at, CRAWLS.c.updated_at)
    with engine.connect() as conn:
        rows = conn.execute(
            select(CRAWLS.c.id, CRAWLS.c.site, CRAWLS.c.city).where(where).order_by(finished, CRAWLS.c.id)
        ).all()
    newest = {(row.site, row.city): row.id for row in rows}  # later rows win
    return sorted(newest.values())


def load_latest_jobs(engine: Engine, *, keyword: str, cities: Sequence[str] | None) -> LatestJobs:
    """The jobs the headline describes (see the module): each city's latest complete crawls' jobs,
    or all its stored jobs when it has none. `cities` None means every stored city."""
    crawl_ids = latest_crawl_ids(engine, keyword=keyword, cities=cities)
    jobs: dict[int, JobRecord] = {}
    if crawl_ids:
        with engine.connect() as conn:
            job_ids = conn.execute(
                select(OBSERVATIONS.c.job_id).where(OBSERVATIONS.c.crawl_id.in_(crawl_ids))
            ).scalars()
            jobs = jobs_by_id(conn, job_ids)
    observed = {job.city for job in jobs.values()}
    with engine.connect() as conn:
        stmt = select(JOBS.c.city).distinct()
        if cities is not None:
            stmt = stmt.where(JOBS.c.city.in_(list(cities)))
        stored = set(conn.execute(stmt).scalars())
    pooled = sorted(stored - observed, key=city_order)
    records = [*jobs.values(), *(load_jobs(engine, pooled) if pooled else [])]
    records.sort(key=lambda record: (city_order(record.city), record.id))
    return LatestJobs(jobs=records, crawl_ids=crawl_ids, pooled_cities=pooled)
