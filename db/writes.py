"""The write side of the database: store postings (deduplicated on site, city, title, salary) and record runs.

The writer thread calls `upsert_postings` once per city and batch inside one transaction; the
runner calls `start_run`/`finish_run`. Every function takes an
open `Connection` and leaves the transaction to the caller. Times are stored as naive UTC.

Upsert strategy: `INSERT … ON CONFLICT (site, city, title, salary) DO NOTHING RETURNING city, title,
salary` (one call stores one site's postings), then one `UPDATE … SET last_seen_at` for the keys
that were not inserted. RETURNING with DO NOTHING yields exactly the rows that were inserted, on
SQLite and PostgreSQL alike, so the new/repeated split is exact. The alternative (DO UPDATE and call
a row new when first_seen_at = last_seen_at) miscounts a repeat that arrives with the same timestamp
as its first sighting, and PostgreSQL's `xmax = 0` trick has no SQLite counterpart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, String, Table, bindparam, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from db.models import Base
from scraper.model.postings import Posting, Salary
from scraper.model.salary import PARSER_VERSION
from scraper.model.statuses import RunStatus

JOBS: Table = Base.metadata.tables["jobs"]
RUNS: Table = Base.metadata.tables["runs"]
KEY_COLUMNS = ("site", "city", "title", "salary")
# Column length limits, so an overlong value is clipped here instead of failing the whole batch
# on PostgreSQL (SQLite would store it whole, and the two backends would then disagree on keys).
_MAX_LENGTHS = {
    column.name: column.type.length
    for column in JOBS.columns
    if isinstance(column.type, String) and column.type.length is not None
}

Key = tuple[str, str, str]


class UpsertCounts(NamedTuple):
    """Postings stored as new rows vs. postings whose key was already there (or earlier in the batch).

    A tuple, so callers may unpack it: `new, repeated = counts`.
    """

    new: int = 0
    repeated: int = 0


def to_db_time(value: dt.datetime) -> dt.datetime:
    """Return `value` as naive UTC, the form every DateTime column holds. Naive input is kept as is."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def upsert_postings(
    conn: Connection, postings: Sequence[Posting], *, seen_at: dt.datetime, site: str, keyword: str
) -> UpsertCounts:
    """Store `postings`: insert unknown keys, move `last_seen_at` of known ones to `seen_at`.

    Within the batch the first posting of a key wins; later ones count as repeated, so
    `new + repeated == len(postings)` always. `first_seen_at` is never changed and
    `last_seen_at` never moves backwards. Raises SQLAlchemy errors unchanged (the caller retries).
    """
    if not postings:
        return UpsertCounts()
    seen = to_db_time(seen_at)
    rows: dict[Key, dict[str, Any]] = {}
    for posting in postings:
        row = _job_row(posting, seen_at=seen, site=site, keyword=keyword)
        rows.setdefault((row["city"], row["title"], row["salary"]), row)
    insert = (
        dialect_insert(conn)
        .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
        .returning(JOBS.c.city, JOBS.c.title, JOBS.c.salary)
    )
    inserted = {(city, title, salary) for city, title, salary in conn.execute(insert, list(rows.values()))}
    repeats = [key for key in rows if key not in inserted]
    if repeats:
        conn.execute(
            update(JOBS)
            .where(
                JOBS.c.site == site,
                JOBS.c.city == bindparam("key_city"),
                JOBS.c.title == bindparam("key_title"),
                JOBS.c.salary == bindparam("key_salary"),
                JOBS.c.last_seen_at < seen,
            )
            .values(last_seen_at=seen),
            [{"key_city": city, "key_title": title, "key_salary": salary} for city, title, salary in repeats],
        )
    return UpsertCounts(new=len(inserted), repeated=len(postings) - len(inserted))


def job_ids(conn: Connection, postings: Sequence[Posting], *, site: str) -> list[int | None]:
    """The `jobs.id` of each posting's key on `site`, in order (None for a key not stored)."""
    keys = [_stored_key(posting) for posting in postings]
    found: dict[Key, int] = {}
    for city in {key[0] for key in keys}:
        pairs = sorted({(title, salary) for c, title, salary in keys if c == city})
        rows = conn.execute(
            select(JOBS.c.id, JOBS.c.title, JOBS.c.salary).where(
                (JOBS.c.site == site) & (JOBS.c.city == city) & tuple_(JOBS.c.title, JOBS.c.salary).in_(pairs)
            )
        ).all()
        found.update({(city, row.title, row.salary): int(row.id) for row in rows})
    return [found.get(key) for key in keys]


def _stored_key(posting: Posting) -> Key:
    """A posting's key as its row stores it (clipped to the column lengths, as `_job_row` does)."""
    city, title, salary = posting.key
    return (city[: _MAX_LENGTHS.get("city")], title, salary[: _MAX_LENGTHS.get("salary")])


def dialect_insert(conn: Connection, table: Table = JOBS) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of `table` for the connection's dialect (ON CONFLICT exists only on those constructs)."""
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported database dialect {name!r}")


def salary_columns(salary: Salary) -> dict[str, Any]:
    """The parsed-salary columns of a `jobs` row (the raw text excluded), stamped with the parser version."""
    return {
        "salary_min": salary.monthly_min,
        "salary_max": salary.monthly_max,
        "salary_months": salary.months,
        "salary_period": salary.period.value if salary.period is not None else None,
        "salary_annual_min": salary.annual_min,
        "salary_annual_max": salary.annual_max,
        "salary_parser_version": PARSER_VERSION,
    }


def _job_row(posting: Posting, *, seen_at: dt.datetime, site: str, keyword: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "site": site,
        "keyword": keyword,
        "city": posting.city,
        "title": posting.title,
        "salary": posting.salary.raw,
        **salary_columns(posting.salary),
        "company": posting.company,
        "company_full": posting.company_full,
        "district": posting.district,
        "work_year": posting.work_year,
        "education": posting.education,
        "company_size": posting.company_size,
        "finance_stage": posting.finance_stage,
        "industry": posting.industry,
        "skills": list(posting.skills),
        "position_id": posting.position_id,
        "source_url": posting.source_url,
        "created_at": to_db_time(posting.created_at) if posting.created_at is not None else None,
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
    }
    for name, limit in _MAX_LENGTHS.items():
        value = row[name]
        if isinstance(value, str) and len(value) > limit:
            row[name] = value[:limit]
    return row


def start_run(conn: Connection, *, arguments: dict[str, Any], started_at: dt.datetime) -> int:
    """Record the start of a run (outcome "running") and return its id. `arguments` must be JSON-able."""
    result = conn.execute(
        RUNS.insert().values(started_at=to_db_time(started_at), arguments=arguments, outcome=RunStatus.RUNNING.value)
    )
    primary_key = result.inserted_primary_key
    if primary_key is None:
        raise RuntimeError("the database returned no id for the new run")
    return int(primary_key[0])


def finish_run(
    conn: Connection, run_id: int, *, ended_at: dt.datetime, city_counts: dict[str, Any], outcome: str
) -> None:
    """Record how run `run_id` ended. Raises LookupError when no such run exists."""
    result = conn.execute(
        update(RUNS)
        .where(RUNS.c.id == run_id)
        .values(ended_at=to_db_time(ended_at), city_counts=city_counts, outcome=outcome)
    )
    if result.rowcount != 1:
        raise LookupError(f"no run with id {run_id}")
