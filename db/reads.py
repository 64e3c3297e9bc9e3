"""Read side of the database: the job rows the report and the export consume (and their count),
plus the one maintenance write that re-parses stored salary text when the salary parser improves.

`load_jobs` turns `jobs` rows into frozen `JobRecord`s so nothing downstream (charts, export)
touches SQLAlchemy. `renormalize_salaries` re-runs `scraper.model.salary.parse_salary` over rows
parsed by an older `PARSER_VERSION`, in batches, so old data gains the new parser's figures
without a re-scrape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Row, bindparam, func, select, update

from db.models import Job
from db.writes import salary_columns
from scraper.model.cities import city_order
from scraper.model.salary import PARSER_VERSION, parse_salary

# Rows re-parsed per transaction: big enough to amortise round trips, small enough that a
# long renormalisation never holds one huge transaction open.
RENORMALIZE_BATCH_SIZE = 500
# Ids bound per query: well under SQLite's 32,766 variables and PostgreSQL's 65,535 parameters.
ID_BATCH_SIZE = 5_000


@dataclass(frozen=True, slots=True)
class JobRecord:
    """One stored job as the report and export see it. Salary figures are whole CNY per month
    (`salary_min`/`salary_max`) and per year (`salary_annual_*`); None means not stated or not
    parsed. `skills` is empty when the site listed none. Datetimes are naive, as stored."""

    id: int
    site: str
    keyword: str | None
    city: str
    title: str
    salary: str
    salary_min: int | None
    salary_max: int | None
    salary_months: int
    salary_period: str | None
    salary_annual_min: int | None
    salary_annual_max: int | None
    salary_parser_version: int
    company: str | None
    company_full: str | None
    district: str | None
    work_year: str | None
    education: str | None
    company_size: str | None
    finance_stage: str | None
    industry: str | None
    skills: tuple[str, ...]
    position_id: str | None
    source_url: str | None
    created_at: dt.datetime | None
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime


JOB_RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(JobRecord))


def job_record(values: dict[str, object]) -> JobRecord:
    """A `JobRecord` from a row's columns (`JOB_RECORD_FIELDS`); skills as a tuple."""
    skills = values.get("skills")
    return JobRecord(**{**values, "skills": tuple(skills) if isinstance(skills, list) else ()})  # type: ignore[arg-type]


def jobs_by_id(conn: Connection, ids: Iterable[int]) -> dict[int, JobRecord]:
    """The stored jobs of `ids` (an id not stored is left out), looked up by primary key (`rows_by_id`)."""
    columns = [getattr(Job, name) for name in JOB_RECORD_FIELDS]
    return {row.id: job_record(row._asdict()) for row in rows_by_id(conn, columns, ids)}


def rows_by_id(conn: Connection, columns: Sequence[ColumnElement[Any]], ids: Iterable[int]) -> Iterator[Row[Any]]:
    """`columns` of the stored jobs of `ids` (an id not stored is left out), looked up by primary key in batches.

    By key rather than through a subquery: with fresh statistics PostgreSQL planned `id IN
    (SELECT … FROM observations …)` as a loop over every job, 20 s over a year of history.
    """
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), ID_BATCH_SIZE):
        yield from conn.execute(select(*columns).where(Job.id.in_(wanted[start : start + ID_BATCH_SIZE])))


def load_jobs(engine: Engine, cities: Sequence[str] | None) -> list[JobRecord]:
    """Every stored job, or only those whose city is in `cities` (None means all cities; an
    empty sequence matches nothing). Ordered by city (`city_order`: 北京, 上海, 广州, 深圳, the other
    known cities, then any other name in code point order) then by id."""
    stmt = select(*(getattr(Job, name) for name in JOB_RECORD_FIELDS))
    if cities is not None:
        stmt = stmt.where(Job.city.in_(list(cities)))
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(Job.id)).all()
    records = [job_record(row._asdict()) for row in rows]
    # Sorted here rather than in SQL: the product's city order is no collation, and exports must
    # not depend on the backend (PostgreSQL's locale and SQLite's binary order differ for Chinese).
    records.sort(key=lambda record: city_order(record.city))
    return records


def renormalize_salaries(engine: Engine, *, batch_size: int = RENORMALIZE_BATCH_SIZE) -> int:
    """Re-parse the raw `salary` text of every row whose `salary_parser_version` is older than
    `scraper.model.salary.PARSER_VERSION`, storing the new parsed columns and the current version.

    The stored `salary_months` is passed as the months hint, because the site's separate
    months field is not kept; a `·N薪` suffix in the text still wins inside the parser.
    Each batch commits on its own. Returns the number of rows updated (0 when all are current).
    """
    columns = tuple(salary_columns(parse_salary(None)))
    # Bind names must differ from the column names in an executemany UPDATE.
    stmt = update(Job).where(Job.id == bindparam("row_id")).values({name: bindparam(f"new_{name}") for name in columns})
    changed = 0
    last_id = 0
    while True:
        with engine.begin() as conn:
            # Keyset pagination on id: each batch starts after the last one, so rows already
            # updated (or skipped) are never read twice.
            batch = conn.execute(
                select(Job.id, Job.salary, Job.salary_months)
                .where(Job.salary_parser_version < PARSER_VERSION, Job.id > last_id)
                .order_by(Job.id)
                .limit(batch_size)
            ).all()
            if not batch:
                return changed
            params = []
            for row in batch:
                columns_now = salary_columns(parse_salary(row.salary, months_hint=row.salary_months))
                params.append({"row_id": row.id, **{f"new_{name}": value for name, value in columns_now.items()}})
            conn.execute(stmt, params)
        changed += len(batch)
        last_id = batch[-1].id


def count_jobs(conn: Connection, city: str | None = None) -> int:
    """Number of stored postings, in one city or (None) in all."""
    table = Job.__table__
    query = select(func.count()).select_from(table)
    if city is not None:
        query = query.where(table.c.city == city)
    return int(conn.execute(query).scalar_one())
