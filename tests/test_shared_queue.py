"""The shared page queue on real PostgreSQL: claims skip locked rows, expired claims are taken
over, and the frontier commits fetched pages strictly in page order up to the limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text

from db.checkpoints import CRAWL_PAGES, CRAWLS
from db.engine import make_engine, upgrade_schema
from db.shared_queue import (
    Claim,
    advance_frontier,
    claim_page,
    open_shared_crawl,
    store_fetched,
)
from scraper.model.postings import Posting, posting_from_json, posting_to_json
from scraper.model.salary import parse_salary

pytestmark = pytest.mark.postgres
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def posting(title: str, salary: str = "15k-25k") -> Posting:
    return Posting(
        city="北京",
        title=title,
        salary=parse_salary(salary),
        company="示例",
        skills=("Python",),
        created_at=dt.datetime(2026, 1, 2, 3, 4, 5),
    )


def new_crawl(engine: Engine, max_pages: int = 4) -> int:
    with engine.begin() as conn:
        return open_shared_crawl(
            conn, site="lagou", keyword="Python", city="北京", max_pages=max_pages, is_fresh=False, now=NOW
        ).crawl_id


def stored_titles(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT title FROM jobs ORDER BY id")).scalars())


def test_processes_starting_together_join_one_crawl(engine: Engine) -> None:
    first, second = new_crawl(engine), new_crawl(engine)
    assert first == second
    with engine.connect() as conn:
        states = list(conn.execute(select(CRAWL_PAGES.c.state).where(CRAWL_PAGES.c.crawl_id == first)).scalars())
    assert states == ["pending"] * 4


def test_a_page_locked_by_one_transaction_is_skipped_by_another(engine: Engine) -> None:
    crawl_id = new_crawl(engine)
    with engine.connect() as holder:
        holder.begin()
        assert claim_page(holder, crawl_id=crawl_id, owner="a", ttl=60, now=NOW) == Claim(1, is_finished=False)
        # While the first claim's transaction is open, its row lock makes the second skip page 1.
        with engine.begin() as other:
            assert claim_page(other, crawl_id=crawl_id, owner="b", ttl=60, now=NOW) == Claim(2, is_finished=False)
        holder.commit()
    with engine.begin() as conn:
        assert claim_page(conn, crawl_id=crawl_id, owner="b", ttl=60, now=NOW) == Claim(3, is_finished=False)


def test_an_expired_claim_is_taken_over(engine: Engine) -> None:
    crawl_id = new_crawl(engine, max_pages=1)
    with engine.begin() as conn:
        assert claim_page(conn, crawl_id=crawl_id, owner="dead", ttl=5, now=NOW).page == 1
    with engine.begin() as conn:
        assert claim_page(conn, crawl_id=crawl_id, owner="b", ttl=5, now=NOW) == Claim(None, is_finished=False)
        later = NOW + dt.timedelta(seconds=6)
        assert claim_page(conn, crawl_id=crawl_id, owner="b", ttl=5, now=later) == Claim(1, is_finished=False)
        owner = conn.execute(select(CRAWL_PAGES.c.claimed_by).where(CRAWL_PAGES.c.crawl_id == crawl_id)).scalar()
    assert owner == "b"


def test_frontier_commits_in_page_order_up_to_the_limit_and_finishes_the_crawl(engine: Engine) -> None:
    crawl_id = new_crawl(engine)
    page1 = [posting("A"), posting("B"), posting("A")]
    page2 = [posting("B"), posting("C"), posting("D")]
    with engine.begin() as conn:
        for _ in range(3):
            claim_page(conn, crawl_id=crawl_id, owner="x", ttl=60, now=NOW)
        # Page 2 arrives first: nothing may be committed before page 1.
        store_fetched(conn, crawl_id=crawl_id, page=2, postings=page2, is_last=False)
        assert advance_frontier(conn, crawl_id=crawl_id, limit=3, site="lagou", keyword="Python", now=NOW) == {}
    assert stored_titles(engine) == []
    with engine.begin() as conn:
        store_fetched(conn, crawl_id=crawl_id, page=1, postings=page1, is_last=False)
        counts = advance_frontier(conn, crawl_id=crawl_id, limit=3, site="lagou", keyword="Python", now=NOW)
    assert counts["北京"].new == 3
    assert stored_titles(engine) == ["A", "B", "C"]
    with engine.connect() as conn:
        crawl = conn.execute(select(CRAWLS).where(CRAWLS.c.id == crawl_id)).one()
        pages = dict(
            conn.execute(
                select(CRAWL_PAGES.c.page, CRAWL_PAGES.c.state).where(CRAWL_PAGES.c.crawl_id == crawl_id)
            ).all()
        )
        assert claim_page(conn, crawl_id=crawl_id, owner="x", ttl=60, now=NOW) == Claim(None, is_finished=True)
    assert (crawl.status, crawl.frontier) == ("complete", 2)
    assert pages == {1: "done", 2: "done", 3: "skipped", 4: "skipped"}


def test_the_site_s_last_page_completes_the_crawl_below_the_limit(engine: Engine) -> None:
    crawl_id = new_crawl(engine)
    with engine.begin() as conn:
        claim_page(conn, crawl_id=crawl_id, owner="x", ttl=60, now=NOW)
        store_fetched(conn, crawl_id=crawl_id, page=1, postings=[posting("A")], is_last=True)
        advance_frontier(conn, crawl_id=crawl_id, limit=100, site="lagou", keyword="Python", now=NOW)
        status = conn.execute(select(CRAWLS.c.status).where(CRAWLS.c.id == crawl_id)).scalar()
    assert status == "complete"
    assert stored_titles(engine) == ["A"]


def test_postings_survive_the_json_round_trip() -> None:
    original = posting("高级Python工程师 <&> 🚀", "13k-20k·14薪")
    assert posting_from_json(posting_to_json(original)) == original
