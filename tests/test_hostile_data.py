"""Hostile pages that used to lose or corrupt data (issue 20, items 1-3), parser and writer layers.

A NUL character (and the other control characters) is cleaned when parsing; a posting the
database still refuses is set aside by itself, never its batch; rows are filed under the queried
city, and a page whose jobs all name another city (or mangled names: GBK read as UTF-8) is a
wrong answer, not data. The end-to-end runs are in `test_hostile_e2e`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from db.checkpoints import CRAWL_PAGES, open_crawl
from db.writes import JOBS
from scraper.common.backoff import RetryPolicy
from scraper.common.errors import WrongAnswerError
from scraper.crawl.writer import JobWriter
from scraper.model.cleaning import clean_posting, clean_text
from scraper.model.postings import PageResult, Posting, Salary
from scraper.sandbox import data
from scraper.sandbox.hostile import with_nul_title
from scraper.sandbox.pages import listing_url, render_listing
from scraper.sites.lagou.adapter import LagouSite

SITE = LagouSite()
FAST_RETRY = RetryPolicy(first_wait=0.05, max_wait=0.2, give_up_after=5.0)


def url_of(city: str, page: int = 1) -> str:
    return "http://127.0.0.1:9" + listing_url(city, "Python", page)


def page_html(city: str, page: int = 1, **kwargs: object) -> str:
    return render_listing(city=city, keyword="Python", page=page, query={}, **kwargs)  # type: ignore[arg-type]


def test_clean_text_drops_control_characters_keeps_whitespace_and_mends_surrogates() -> None:
    assert clean_text("Py\x00th\x07on\x1b[31m\x7f 工程师\t\n\r") == "Python[31m 工程师\t\n\r"
    assert clean_text("a\ud800b") == "a\ufffdb"
    assert clean_text("北京 Python 20k-30k") == "北京 Python 20k-30k"


def test_clean_posting_cleans_every_text_field_and_drops_a_posting_left_without_title() -> None:
    dirty = Posting("北\x00京", " \x00 Py\x00thon \x01", Salary("20k\x00-30k"), company="A\x00", skills=("Dj\x00ango",))
    cleaned = clean_posting(dirty)
    assert cleaned == Posting("北京", "Python", Salary("20k-30k"), company="A", skills=("Django",))
    assert clean_posting(Posting("北京", "\x00\x01", Salary("20k"))) is None
    tidy = Posting("北京", "Python", Salary("20k"))
    assert clean_posting(tidy) is tidy


def test_a_nul_character_in_a_title_is_cleaned_when_parsing() -> None:
    jobs = with_nul_title(data.jobs_on_page("北京", "Python", 2))
    listing = SITE.parse_listing(page_html("北京", 2, jobs=jobs), url=url_of("北京", 2))
    assert "\x00" in str(jobs[0]["positionName"])
    assert [p.title for p in listing.postings] == [
        str(j["positionName"]).strip() for j in data.jobs_on_page("北京", "Python", 2)
    ]
    assert not any("\x00" in p.title for p in listing.postings)


def test_rows_are_filed_under_the_queried_city_when_some_jobs_name_another() -> None:
    jobs = list(data.jobs_on_page("北京", "Python", 1))
    jobs[0] = {**jobs[0], "city": "上海"}
    jobs[1] = {**jobs[1], "city": ""}
    listing = SITE.parse_listing(page_html("北京", jobs=tuple(jobs)), url=url_of("北京"))
    assert {p.city for p in listing.postings} == {"北京"}
    assert len(listing.postings) == len(jobs)


def test_a_page_whose_jobs_all_name_another_city_is_a_wrong_answer() -> None:
    with pytest.raises(WrongAnswerError, match="every job on the page names another city \\(上海\\), not 北京"):
        SITE.read_page(url_of("北京"), "t", page_html("上海"), listing_url=url_of("北京"))


def test_a_gbk_page_read_as_utf8_is_a_wrong_answer_not_rows_under_a_garbled_city() -> None:
    garbled = page_html("北京").encode("gbk", errors="replace").decode("utf-8", errors="replace")
    with pytest.raises(WrongAnswerError, match=r"names another city .*, not 北京"):
        SITE.read_page(url_of("北京"), "", garbled, listing_url=url_of("北京"))


def stored_titles(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [str(t) for t in conn.execute(select(JOBS.c.title).order_by(JOBS.c.id)).scalars()]


def test_writer_sets_aside_only_the_posting_the_database_refuses(migrated_engine: Engine) -> None:
    """A site parser that forgot to clean: PostgreSQL refuses the NUL, SQLite stores it; either way
    the batch's other postings and every page's checkpoint are written."""
    is_postgres = migrated_engine.dialect.name == "postgresql"
    with migrated_engine.begin() as conn:
        crawl = open_crawl(conn, site="lagou", keyword="Python", city="北京", is_fresh=False, now=_now())
    titles = [["a", "b\x00c", "d"], ["e", "f"]]
    pages = [
        PageResult("北京", n + 1, tuple(Posting("北京", t, Salary("10k")) for t in ts), crawl_id=crawl.crawl_id)
        for n, ts in enumerate(titles)
    ]
    with JobWriter(engine=migrated_engine, site="lagou", keyword="Python", retry=FAST_RETRY, batch_size=10) as writer:
        for page in pages:
            writer.submit(page)
    assert writer.error is None
    assert writer.unwritten == ()
    if is_postgres:
        assert stored_titles(migrated_engine) == ["a", "d", "e", "f"]
        assert [p.title for p in writer.set_aside] == ["b\x00c"]
    else:
        assert stored_titles(migrated_engine) == ["a", "b\x00c", "d", "e", "f"]
        assert writer.set_aside == ()
    with migrated_engine.connect() as conn:
        done = conn.execute(select(CRAWL_PAGES.c.page).where(CRAWL_PAGES.c.crawl_id == crawl.crawl_id)).scalars()
        assert sorted(done) == [1, 2]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
