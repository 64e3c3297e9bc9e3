"""Writer throughput: rows a second through `scraper.crawl.writer.JobWriter` on SQLite and PostgreSQL.

Synthetic postings with unique keys (so every row is an insert, the common case of a first
run) are submitted as pages of 15, like the workers do, and the clock runs from the first
submit until the writer has flushed and stopped. SQLite writes to a temporary file; PostgreSQL
to a throwaway database created on 127.0.0.1:5432 and dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql

from bench.cpuload import busy_share_since, cpu_times
from db.engine import make_engine, upgrade_schema
from scraper.crawl.writer import JobWriter
from scraper.model.postings import PageResult, Posting
from scraper.model.salary import parse_salary

PAGE_SIZE = 15
CITIES = ("北京", "上海", "广州", "深圳")
SALARY_TEXTS = ("15k-25k", "20K-40K", "30k以上", "2k以下", "13k-20k·13薪", "25k-50k·14薪", "8k-12k")
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_URL_TEMPLATE = "postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
CREATED_AT = dt.datetime(2024, 5, 20, 10, 0, 0)


def synthetic_postings(count: int) -> list[Posting]:
    """`count` postings with unique (city, title, salary) keys, grouped by city in runs of a page."""
    salaries = [parse_salary(text) for text in SALARY_TEXTS]
    postings = []
    for index in range(count):
        city = CITIES[(index // PAGE_SIZE) % len(CITIES)]
        postings.append(
            Posting(
                city=city,
                title=f"Python开发工程师（第{index}号岗位）",
                salary=salaries[index % len(salaries)],
                company=f"示例科技{index % 97}",
                company_full=f"{city}示例科技{index % 97}有限公司",
                district="海淀区",
                work_year="3-5年",
                education="本科",
                company_size="150-500人",
                finance_stage="B轮",
                industry="企业服务",
                skills=("Python", "Django", "MySQL"),
                position_id=str(10_000_000 + index),
                source_url=f"http://127.0.0.1/wn/jobs?kd=Python&city={city}&pn={index // PAGE_SIZE + 1}",
                created_at=CREATED_AT,
            )
        )
    return postings


def write_all(database_url: str, postings: Sequence[Posting]) -> float:
    """Write `postings` through a fresh JobWriter on a migrated database; returns rows a second.

    Raises RuntimeError when the writer fails or stores a different number of new rows.
    """
    engine = make_engine(database_url)
    upgrade_schema(engine)
    try:
        writer = JobWriter(engine=engine, site="lagou", keyword="Python")
        started = time.monotonic()
        writer.start()
        for page, start in enumerate(range(0, len(postings), PAGE_SIZE), start=1):
            chunk = tuple(postings[start : start + PAGE_SIZE])
            writer.submit(PageResult(city=chunk[0].city, page=page, postings=chunk))
        writer.close()
        writer.join()
        elapsed = time.monotonic() - started
    finally:
        engine.dispose()
    stored = sum(new for new, _repeated in writer.counts.values())
    if writer.error is not None or stored != len(postings):
        raise RuntimeError(f"writer stored {stored} of {len(postings)} rows (error: {writer.error})")
    return len(postings) / elapsed


def _admin(statement: sql.Composable) -> None:
    connection = psycopg2.connect(PG_ADMIN_DSN)
    try:
        connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction block
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def throwaway_database(backend: str) -> Iterator[str]:
    """The URL of an empty database of `backend` ("sqlite" or "postgresql"), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-writer-") as folder:
            yield f"sqlite:///{Path(folder) / 'writer.sqlite3'}"
        return
    name = f"bench_writer_{uuid.uuid4().hex[:12]}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield PG_URL_TEMPLATE.format(name=name)
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def measure_writer(backend: str, *, rows: int, runs: int) -> dict[str, Any]:
    """Median rows a second over `runs` runs of `rows` rows, each into a fresh database.

    A PostgreSQL server that cannot be reached gives `{"error": …}` instead of figures.
    """
    postings = synthetic_postings(rows)
    rates: list[float] = []
    busy: list[float] = []
    try:
        for _ in range(runs):
            with throwaway_database(backend) as url:
                before = cpu_times()
                rates.append(round(write_all(url, postings), 1))
                busy.append(busy_share_since(before))
    except psycopg2.OperationalError as exc:
        return {"backend": backend, "rows": rows, "error": str(exc).strip().splitlines()[0]}
    # machine_busy counts every process (the PostgreSQL server too): context, not the writer's cost.
    return {
        "backend": backend,
        "rows": rows,
        "runs": rates,
        "rows_per_s": round(statistics.median(rates), 1),
        "machine_busy": [round(share, 3) for share in busy],
    }
