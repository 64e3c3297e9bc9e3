"""Helpers the tests share (one copy each): the CLI in-process, and reading what a run stored.

`run_cli` runs `python -m scraper` in-process and returns (exit code, stdout, stderr). The DB
readers open their own engine on a URL and dispose of it, so a test can read between runs or
while another process writes. Fixtures (the replica, the reference pages, the environment) are in
conftest.py.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import SQLAlchemyError

from db.models import Job
from db.reads import JobRecord
from scraper.cli.main import main
from scraper.sandbox import data

Row = tuple[str, str, str]  # (city, title, salary): a stored posting as the tests compare it


def run_cli(*args: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, what it wrote to stdout, what it wrote to stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def expected_rows(city: str, limit: int, keyword: str = "Python") -> list[Row]:
    """The first `limit` unique postings of `city` as the replica lists them: what a full scrape stores."""
    return data.first_unique(city, keyword, limit)


def query(url: str, sql: str, *, is_schema_optional: bool = False) -> list[tuple[object, ...]]:
    """The rows of one SQL statement on `url`.

    `is_schema_optional`: an empty list, not an error, when the tables do not exist yet (a scraper
    process still migrating, or one that has not started).
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    except SQLAlchemyError:
        if is_schema_optional:
            return []
        raise
    finally:
        engine.dispose()


def stored_rows(url: str, *, is_schema_optional: bool = False) -> list[Row]:
    """Every stored posting as (city, title, salary), in id (storage) order."""
    rows = query(url, "SELECT city, title, salary FROM jobs ORDER BY id", is_schema_optional=is_schema_optional)
    return [(str(c), str(t), str(s)) for c, t, s in rows]


def rows_by_city(url: str, cities: Iterable[str], *, is_schema_optional: bool = False) -> dict[str, list[Row]]:
    """`stored_rows` per city, in id order (every city named, empty when it has none)."""
    rows = stored_rows(url, is_schema_optional=is_schema_optional)
    return {city: [row for row in rows if row[0] == city] for city in cities}


def run_outcomes(url: str) -> list[str]:
    """The outcome of every recorded run, oldest first."""
    return [str(outcome) for (outcome,) in query(url, "SELECT outcome FROM runs ORDER BY id")]


def stored_jobs(url: str) -> list[Job]:
    """Every stored job as a (detached) Job object, in id order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [Job(**row._mapping) for row in conn.execute(select(Job.__table__).order_by(Job.id))]
    finally:
        engine.dispose()


def job_record(job_id: int, *, seen_at: dt.datetime, **fields: object) -> JobRecord:
    """A stored job as the report reads it: a Lagou 北京 Python job with no salary figures and no
    details, first and last seen at `seen_at`; `fields` set what a test cares about."""
    values: dict[str, object] = {
        "id": job_id, "site": "lagou", "keyword": "Python", "city": "北京", "title": f"职位{job_id}",
        "salary": "-", "salary_min": None, "salary_max": None, "salary_months": 12, "salary_period": None,
        "salary_annual_min": None, "salary_annual_max": None, "salary_parser_version": 1, "company": None,
        "company_full": None, "district": None, "work_year": None, "education": None, "company_size": None,
        "finance_stage": None, "industry": None, "skills": (), "position_id": None, "source_url": None,
        "created_at": None, "first_seen_at": seen_at, "last_seen_at": seen_at,
    }  # fmt: skip
    values.update(fields)
    return JobRecord(**values)  # type: ignore[arg-type]
