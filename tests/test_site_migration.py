"""Migration 0005: a posting's identity gains its site, on SQLite and PostgreSQL.

Rows stored before the upgrade stay Lagou's; afterwards the same (city, title, salary) may be
stored once per site, and still only once within a site.
"""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, select, text

from db.engine import make_engine, migrations_dir, upgrade_schema
from db.writes import JOBS, job_ids, upsert_postings
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

T0 = dt.datetime(2026, 12, 7, 4, 0)


def _alembic(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def _posting(title: str = "Python开发", salary: str = "1-1.5万") -> Posting:
    return Posting(city="北京", title=title, salary=parse_salary(salary))


def _rows(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [
            tuple(row) for row in conn.execute(select(JOBS.c.site, JOBS.c.title, JOBS.c.salary).order_by(JOBS.c.id))
        ]


def test_rows_from_before_stay_lagou_and_a_key_may_repeat_on_another_site(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "0004")
            conn.execute(
                text(
                    "INSERT INTO jobs (site, keyword, city, title, salary, salary_months, salary_parser_version, "
                    "first_seen_at, last_seen_at) VALUES ('lagou', 'Python', '北京', 'Python开发', '1-1.5万', 12, 1, "
                    ":t, :t)"
                ),
                {"t": T0},
            )
        upgrade_schema(engine)
        with engine.begin() as conn:
            on_51job = upsert_postings(conn, [_posting()], seen_at=T0, site="51job", keyword="Python")
            again = upsert_postings(conn, [_posting(), _posting("Other")], seen_at=T0, site="51job", keyword="Python")
            on_lagou = upsert_postings(conn, [_posting()], seen_at=T0, site="lagou", keyword="Python")
            ids = (job_ids(conn, [_posting()], site="lagou"), job_ids(conn, [_posting()], site="51job"))
    finally:
        engine.dispose()
    assert (tuple(on_51job), tuple(again), tuple(on_lagou)) == ((1, 0), (1, 1), (0, 1))
    assert _rows(engine) == [
        ("lagou", "Python开发", "1-1.5万"),
        ("51job", "Python开发", "1-1.5万"),
        ("51job", "Other", "1-1.5万"),
    ]
    assert ids == ([1], [2])


def test_downgrade_restores_the_key_without_the_site(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        upgrade_schema(engine)
        with engine.begin() as conn:
            command.downgrade(_alembic(conn), "0004")
        with engine.connect() as conn:
            uniques = inspect(conn).get_unique_constraints("jobs")
    finally:
        engine.dispose()
    assert [(u["name"], u["column_names"]) for u in uniques] == [
        ("uq_jobs_city_title_salary", ["city", "title", "salary"])
    ]
