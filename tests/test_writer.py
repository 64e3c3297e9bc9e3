"""The DB-writer thread on real databases: exact rows from concurrent producers, flushing on close
and on the interval, giving up without losing postings, and riding out a PostgreSQL outage that a
local TCP relay simulates by cutting every connection and resetting new ones for three seconds."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import cast

import pytest
from outage_relay import OutageRelay
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from db.engine import make_engine, mask_url, upgrade_schema
from db.reads import count_jobs
from db.writes import JOBS, UpsertCounts
from scraper.common.backoff import RetryPolicy
from scraper.common.errors import DatabaseError
from scraper.crawl.writer import JobWriter
from scraper.model.postings import PageResult, Posting, Salary

CITIES = ("北京", "上海", "广州", "深圳")
FAST_RETRY = RetryPolicy(first_wait=0.05, max_wait=0.4, give_up_after=30.0)
UNREACHABLE_URL = "postgresql://u:secret@127.0.0.1:1/x"


def page_of(city: str, page: int, titles: list[str]) -> PageResult:
    return PageResult(city, page, tuple(Posting(city, title, Salary("10k-20k")) for title in titles))


def stored(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(JOBS.c.city, JOBS.c.title, JOBS.c.salary).order_by(JOBS.c.city, JOBS.c.title))
        return [(city, title, salary) for city, title, salary in rows]


def expected_counts(pages: list[PageResult]) -> dict[str, UpsertCounts]:
    per_city = Counter(p.city for page in pages for p in page.postings)
    unique = Counter(city for city, _, _ in {p.key for page in pages for p in page.postings})
    return {city: UpsertCounts(unique[city], per_city[city] - unique[city]) for city in per_city}


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def submit_all(writer: JobWriter, pages: list[PageResult]) -> None:
    for page in pages:
        writer.submit(page)


def test_pages_from_many_threads_are_written_exactly_once(migrated_engine: Engine) -> None:
    # Every producer sends the shared titles (so each key arrives four times) plus its own ones.
    producers = [
        [
            page_of(CITIES[n % 4], n, [f"shared-{n}-{i}" for i in range(6)] + [f"own-{t}-{n}-{i}" for i in range(4)])
            for n in range(25)
        ]
        for t in range(4)
    ]
    all_pages = [page for pages in producers for page in pages]
    with JobWriter(
        engine=migrated_engine, site="lagou", keyword="python", batch_size=50, flush_interval=0.05, retry=FAST_RETRY
    ) as writer:
        threads = [threading.Thread(target=submit_all, args=(writer, pages)) for pages in producers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert writer.error is None
    assert writer.unwritten == ()
    assert writer.counts == expected_counts(all_pages)
    assert stored(migrated_engine) == sorted({p.key for page in all_pages for p in page.postings})


def test_close_flushes_a_batch_still_below_batch_size(migrated_engine: Engine) -> None:
    pages = [page_of("上海", n, [f"t{n}-{i}" for i in range(5)]) for n in range(3)]
    writer = JobWriter(engine=migrated_engine, site="lagou", keyword="python", batch_size=1000, flush_interval=60.0)
    writer.start()
    for page in pages:
        writer.submit(page)
    time.sleep(0.2)
    with migrated_engine.connect() as conn:
        assert count_jobs(conn) == 0  # still waiting for a full batch or the interval
    writer.close()
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert writer.counts == {"上海": UpsertCounts(15, 0)}
    assert stored(migrated_engine) == sorted(p.key for page in pages for p in page.postings)
    with pytest.raises(RuntimeError, match=r"submit\(\) called after close\(\)"):
        writer.submit(pages[0])


def test_flush_interval_writes_a_partial_batch_without_close(migrated_engine: Engine) -> None:
    with JobWriter(
        engine=migrated_engine, site="lagou", keyword="python", batch_size=1000, flush_interval=0.1
    ) as writer:
        writer.submit(page_of("广州", 1, ["a", "b", "c"]))

        def has_three() -> bool:
            with migrated_engine.connect() as conn:
                return count_jobs(conn) == 3

        assert wait_until(has_three)
    assert writer.counts == {"广州": UpsertCounts(3, 0)}


def test_writer_gives_up_after_the_deadline_and_keeps_every_posting_unwritten() -> None:
    engine = make_engine(UNREACHABLE_URL)
    first, second = page_of("北京", 1, ["a", "b"]), page_of("深圳", 1, ["c"])
    writer = JobWriter(
        engine=engine,
        site="lagou",
        keyword="python",
        batch_size=1,
        flush_interval=0.01,
        retry=RetryPolicy(first_wait=0.01, max_wait=0.05, give_up_after=0.3),
    )
    with writer:
        writer.submit(first)
        assert wait_until(lambda: writer.error is not None)
        writer.submit(second)  # after giving up, later pages go straight to `unwritten`
    assert str(writer.error) == (
        "gave up writing to database postgresql+psycopg2://u:***@127.0.0.1:1/x: Connection refused"
    )
    assert writer.unwritten == first.postings + second.postings
    assert writer.counts == {}


def test_abort_stops_waiting_for_the_database_at_once() -> None:
    writer = JobWriter(
        engine=make_engine(UNREACHABLE_URL),
        site="lagou",
        keyword="python",
        batch_size=1,
        retry=RetryPolicy(first_wait=5.0, max_wait=5.0, give_up_after=120.0),
    )
    page = page_of("北京", 1, ["a"])
    writer.start()
    writer.submit(page)
    time.sleep(0.3)  # the first attempt fails and the writer starts its 2.5-5 s wait
    started = time.monotonic()
    writer.abort()
    writer.close()
    writer.join(timeout=5)
    assert time.monotonic() - started < 2.0
    assert str(writer.error) == (
        "aborted while waiting for database postgresql+psycopg2://u:***@127.0.0.1:1/x: Connection refused"
    )
    assert writer.unwritten == page.postings


@pytest.mark.postgres
def test_writer_gives_up_at_once_on_an_error_retrying_cannot_fix(pg_url: str) -> None:
    engine = make_engine(pg_url)  # never migrated: the jobs table does not exist
    page = page_of("上海", 1, ["a", "b"])
    started = time.monotonic()
    with JobWriter(engine=engine, site="lagou", keyword="python", retry=FAST_RETRY) as writer:
        writer.submit(page)
    engine.dispose()
    assert time.monotonic() - started < 5.0
    assert str(writer.error) == f'cannot write to database {mask_url(engine.url)}: relation "jobs" does not exist'
    assert writer.unwritten == page.postings


@pytest.mark.postgres
def test_writer_survives_a_postgres_outage_and_writes_every_row_once(pg_url: str) -> None:
    direct = make_engine(pg_url)
    upgrade_schema(direct)
    relay = OutageRelay(("127.0.0.1", 5432))
    relayed = make_engine(make_url(pg_url).set(port=relay.port).render_as_string(hide_password=False))
    # 30 pages of 8 postings; every fifth page repeats the previous one, so repeats cross batches.
    sources = [n - 1 if n % 5 == 4 else n for n in range(30)]
    pages = [page_of(CITIES[src % 4], n, [f"p{src}-{i}" for i in range(8)]) for n, src in enumerate(sources)]

    def stored_count() -> int:
        with direct.connect() as conn:
            return count_jobs(conn)

    try:
        with JobWriter(
            engine=relayed, site="lagou", keyword="python", batch_size=20, flush_interval=0.05, retry=FAST_RETRY
        ) as writer:
            for page in pages[:10]:
                writer.submit(page)
            assert wait_until(lambda: stored_count() == 64)  # 10 pages, 2 of them repeats
            relay.cut()
            for page in pages[10:20]:
                writer.submit(page)
                time.sleep(0.3)
            assert stored_count() == 64  # nothing got through during the outage
            relay.restore()
            for page in pages[20:]:
                writer.submit(page)
    finally:
        relay.close()
        relayed.dispose()
    try:
        assert writer.error is None
        assert writer.unwritten == ()
        assert sum(c.new + c.repeated for c in writer.counts.values()) == 240
        assert stored(direct) == sorted({p.key for page in pages for p in page.postings})
    finally:
        direct.dispose()


def test_calls_queued_behind_a_writer_crash_fail_at_once_instead_of_timing_out(migrated_engine: Engine) -> None:
    writer = JobWriter(engine=migrated_engine, site="lagou", keyword="python", batch_size=1)
    # A posting without a salary is a bug upstream: writing it raises outside SQLAlchemy and the
    # writer thread crashes. Everything queued behind it must still be answered.
    broken = PageResult("北京", 1, (cast(Posting, object()),))
    writer.submit(broken)
    outcome: list[BaseException] = []

    def claim() -> None:
        try:
            writer.call(lambda conn: 1, timeout=30.0)
        except BaseException as exc:  # the test records whatever the caller sees
            outcome.append(exc)

    caller = threading.Thread(target=claim)
    caller.start()
    assert wait_until(lambda: writer._queue.qsize() == 2)  # the call waits behind the broken page
    started = time.monotonic()
    writer.start()
    caller.join(timeout=10)
    waited = time.monotonic() - started
    writer.close()
    writer.join(timeout=5)
    assert not caller.is_alive()
    assert waited < 5.0  # not the call's 30 s timeout
    assert len(outcome) == 1
    assert isinstance(outcome[0], DatabaseError)
    assert str(outcome[0]).startswith("the database writer stopped: database writer crashed: AttributeError")
