"""Observations and history on the database: the at-head check, an upgrade from the schema before
observations, the gone rule, and the history bounds. Real SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, select, text

from db.checkpoints import CRAWLS, close_crawl, open_crawl, record_page
from db.engine import SCHEMA_HEAD, make_engine, migrations_dir, schema_version, upgrade_schema
from db.observations import OBSERVATIONS, count_gone, load_history, record_observations
from db.writes import JOBS, upsert_postings
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

T0 = dt.datetime(2026, 12, 1, 2, 0)


def alembic_config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def posting(title: str, salary: str = "15k-25k", city: str = "北京") -> Posting:
    return Posting(city=city, title=title, salary=parse_salary(salary))


def crawl_seeing(engine: Engine, titles: list[str], *, at: dt.datetime, run_id: int) -> int:
    """One complete local crawl of 北京 that stored and observed `titles` on page 1."""
    postings = [posting(t) for t in titles]
    with engine.begin() as conn:
        crawl = open_crawl(conn, site="lagou", keyword="Python", city="北京", is_fresh=False, now=at)
        upsert_postings(conn, postings, seen_at=at, site="lagou", keyword="Python")
        record_page(
            conn,
            crawl_id=crawl.crawl_id,
            page=1,
            accepted=[(p.title, p.salary.raw) for p in postings],
            is_last=True,
            now=at,
        )
        record_observations(conn, crawl_id=crawl.crawl_id, run_id=run_id, page=1, postings=postings)
        record_observations(conn, crawl_id=crawl.crawl_id, run_id=run_id, page=1, postings=postings)  # a retry
        close_crawl(conn, crawl.crawl_id, now=at + dt.timedelta(minutes=5), run_id=run_id)
    return crawl.crawl_id


def test_schema_head_is_alembics_head_and_a_current_database_loads_no_alembic(db_url: str) -> None:
    assert ScriptDirectory.from_config(alembic_config(None)).get_current_head() == SCHEMA_HEAD
    engine = make_engine(db_url)
    try:
        assert schema_version(engine) is None
        upgrade_schema(engine)
        assert schema_version(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()
    probe = (
        "import sys\nfrom db.engine import make_engine, upgrade_schema\n"
        f"engine = make_engine({db_url!r})\nupgrade_schema(engine)\nengine.dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_a_database_from_before_observations_upgrades_and_its_history_starts_after(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0003")
        with engine.begin() as conn:  # a crawl completed under 0003: rows and checkpoints, no observations
            conn.execute(
                text(
                    "INSERT INTO crawls (site, keyword, city, status, created_at, updated_at, is_shared, "
                    "frontier) VALUES ('lagou', 'Python', '北京', 'complete', :t, :t, false, 0)"
                ),
                {"t": T0},
            )
        upgrade_schema(engine)
        with engine.connect() as conn:
            assert conn.execute(select(CRAWLS.c.completed_at)).scalar() == T0
        first = crawl_seeing(engine, ["A", "B", "C"], at=T0 + dt.timedelta(days=1), run_id=7)
        history = load_history(engine, site="lagou", keyword="Python", cities=["北京"])
    finally:
        engine.dispose()
    assert history.unobserved == 1
    [point] = history.cities["北京"]
    assert (point.crawl_id, point.run_id, point.new, point.gone) == (first, 7, 3, None)
    assert [job.title for job in point.jobs] == ["A", "B", "C"]


def test_history_counts_new_and_gone_and_honours_since_and_last(migrated_engine: Engine) -> None:
    day = dt.timedelta(days=1)
    crawl_seeing(migrated_engine, ["A", "B", "C", "D"], at=T0, run_id=1)
    crawl_seeing(migrated_engine, ["N", "A", "C", "D"], at=T0 + day, run_id=2)  # B gone, N new
    crawl_seeing(migrated_engine, ["M", "N", "A"], at=T0 + 2 * day, run_id=3)  # C, D past the end: not gone
    with migrated_engine.connect() as conn:
        assert conn.execute(select(OBSERVATIONS.c.job_id)).all().__len__() == 11  # the retries added nothing
        assert len(conn.execute(select(JOBS.c.id)).all()) == 6
    history = load_history(migrated_engine, site="lagou", keyword="Python", cities=None)
    points = history.cities["北京"]
    assert [(p.run_id, p.new, p.gone) for p in points] == [(1, 4, None), (2, 1, 1), (3, 1, 0)]
    assert [j.title for j in points[1].jobs] == ["N", "A", "C", "D"]
    since = load_history(migrated_engine, site="lagou", keyword="Python", cities=None, since=T0 + day)
    assert [(p.run_id, p.gone) for p in since.cities["北京"]] == [(2, 1), (3, 0)]  # gone still vs. run 1
    last = load_history(migrated_engine, site="lagou", keyword="Python", cities=["北京"], last=1)
    assert [p.run_id for p in last.cities["北京"]] == [3]
    other = load_history(migrated_engine, site="lagou", keyword="Java", cities=["北京"])
    assert other.cities == {"北京": []}


def test_the_history_read_leaves_the_cycle_collector_as_it_found_it(migrated_engine: Engine) -> None:
    crawl_seeing(migrated_engine, ["A", "B"], at=T0, run_id=1)
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            history = load_history(migrated_engine, site="lagou", keyword="Python", cities=None)
            assert [job.title for job in history.cities["北京"][0].jobs] == ["A", "B"]
            assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_gone_counts_only_what_lies_before_the_last_job_both_runs_saw() -> None:
    before = [1, 2, 3, 4, 5]
    assert count_gone(before, [9, 1, 3, 4, 5]) == 1  # 2 went
    assert count_gone(before, [9, 8, 1, 3]) == 1  # 4, 5 not reached
    assert count_gone(before, [9, 8, 7]) == 0  # nothing in common: nothing to say
    assert count_gone(before, before) == 0
    assert count_gone([], [1]) == 0
    assert count_gone([1, 2, 3, 4, 5, 6], [6, 5]) == 4  # listed in another order: everything before 6


def test_record_observations_skips_postings_that_are_not_stored(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as conn:
        crawl = open_crawl(conn, site="lagou", keyword="Python", city="北京", is_fresh=False, now=T0)
        upsert_postings(conn, [posting("A")], seen_at=T0, site="lagou", keyword="Python")
        record_observations(conn, crawl_id=crawl.crawl_id, run_id=None, page=2, postings=[posting("Z"), posting("A")])
        record_observations(conn, crawl_id=crawl.crawl_id, run_id=None, page=3, postings=[posting("Y")])  # none stored
        rows = conn.execute(select(OBSERVATIONS.c.page, OBSERVATIONS.c.slot, OBSERVATIONS.c.run_id)).all()
        conn.execute(insert(JOBS).values(city="上海", title="A", salary="15k-25k", first_seen_at=T0, last_seen_at=T0))
    assert [tuple(r) for r in rows] == [(2, 1, None)]
