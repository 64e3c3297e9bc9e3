"""Database layer on real SQLite and PostgreSQL: migrations, the posting upsert, runs, URL handling."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from db.engine import make_engine, upgrade_schema
from db.models import Base
from db.reads import count_jobs
from db.writes import JOBS, RUNS, UpsertCounts, finish_run, start_run, upsert_postings
from scraper.model.postings import Posting, Salary, SalaryPeriod
from scraper.model.salary import PARSER_VERSION

T0 = dt.datetime(2025, 3, 1, 8, 0, 0)
T1 = dt.datetime(2025, 3, 2, 9, 30, 0)


def posting(city: str, title: str, raw: str = "15k-25k", **fields: object) -> Posting:
    """A posting with a parsed 15k-25k·13薪-style salary unless told otherwise."""
    salary = Salary(raw, SalaryPeriod.MONTH, 15000, 25000, 13, 195000, 325000, True)
    return Posting(city=city, title=title, salary=salary, **fields)  # type: ignore[arg-type]


def stored_keys(engine: Engine) -> list[tuple[str, str, str, dt.datetime, dt.datetime]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(JOBS.c.city, JOBS.c.title, JOBS.c.salary, JOBS.c.first_seen_at, JOBS.c.last_seen_at).order_by(
                JOBS.c.id
            )
        )
        return [(city, title, salary, first, last) for city, title, salary, first, last in rows]


def test_migration_creates_schema_identical_to_models_and_rerun_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade_schema(engine)
        upgrade_schema(engine)
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            assert tables == ["alembic_version", "crawl_pages", "crawls", "jobs", "observations", "runs"]
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0005"]
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            uniques = inspect(conn).get_unique_constraints("jobs")
            assert [(u["name"], u["column_names"]) for u in uniques] == [
                ("uq_jobs_site_city_title_salary", ["site", "city", "title", "salary"])
            ]
    finally:
        engine.dispose()


def test_upsert_stores_a_new_posting_with_every_field(migrated_engine: Engine) -> None:
    full = posting(
        "上海",
        "Python开发工程师",
        "15k-25k·13薪",
        company="某科技",
        company_full="上海某科技有限公司",
        district="浦东新区",
        work_year="3-5年",
        education="本科",
        company_size="150-500人",
        finance_stage="B轮",
        industry="企业服务",
        skills=("Python", "Django"),
        position_id="12345678",
        source_url="https://www.lagou.com/wn/jobs/12345678.html",
        created_at=dt.datetime(2025, 2, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    aware_seen_at = dt.datetime(2025, 3, 1, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with migrated_engine.begin() as conn:
        counts = upsert_postings(conn, [full], seen_at=aware_seen_at, site="lagou", keyword="python")
    with migrated_engine.connect() as conn:
        row = conn.execute(select(JOBS)).mappings().one()
    assert counts == UpsertCounts(new=1, repeated=0)
    assert dict(row) == {
        "id": row["id"],
        "site": "lagou",
        "keyword": "python",
        "city": "上海",
        "title": "Python开发工程师",
        "salary": "15k-25k·13薪",
        "salary_min": 15000,
        "salary_max": 25000,
        "salary_months": 13,
        "salary_period": "month",
        "salary_annual_min": 195000,
        "salary_annual_max": 325000,
        "salary_parser_version": PARSER_VERSION,
        "company": "某科技",
        "company_full": "上海某科技有限公司",
        "district": "浦东新区",
        "work_year": "3-5年",
        "education": "本科",
        "company_size": "150-500人",
        "finance_stage": "B轮",
        "industry": "企业服务",
        "skills": ["Python", "Django"],
        "position_id": "12345678",
        "source_url": "https://www.lagou.com/wn/jobs/12345678.html",
        "created_at": dt.datetime(2025, 2, 28, 2, 0),
        "first_seen_at": T0,
        "last_seen_at": T0,
    }


def test_unparsed_salary_is_stored_with_empty_figures(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as conn:
        upsert_postings(
            conn, [Posting("北京", "数据工程师", Salary("面议"))], seen_at=T0, site="lagou", keyword="python"
        )
    with migrated_engine.connect() as conn:
        row = conn.execute(
            select(
                JOBS.c.salary,
                JOBS.c.salary_min,
                JOBS.c.salary_max,
                JOBS.c.salary_months,
                JOBS.c.salary_period,
                JOBS.c.skills,
            )
        ).one()
    assert tuple(row) == ("面议", None, None, 12, None, [])


def test_repeats_add_no_rows_move_last_seen_at_and_keep_first_seen_at(migrated_engine: Engine) -> None:
    batch = [posting("北京", "后端"), posting("北京", "爬虫"), posting("深圳", "后端")]
    with migrated_engine.begin() as conn:
        first = upsert_postings(conn, batch, seen_at=T0, site="lagou", keyword="python")
    with migrated_engine.begin() as conn:
        again = upsert_postings(conn, batch, seen_at=T1, site="lagou", keyword="python")
    with migrated_engine.begin() as conn:  # an older sighting never moves last_seen_at backwards
        late = upsert_postings(conn, batch[:1], seen_at=T0, site="lagou", keyword="python")
    assert (first, again, late) == (UpsertCounts(3, 0), UpsertCounts(0, 3), UpsertCounts(0, 1))
    assert stored_keys(migrated_engine) == [
        ("北京", "后端", "15k-25k", T0, T1),
        ("北京", "爬虫", "15k-25k", T0, T1),
        ("深圳", "后端", "15k-25k", T0, T1),
    ]


def test_duplicates_within_one_batch_keep_the_first_and_count_as_repeated(migrated_engine: Engine) -> None:
    batch = [
        posting("广州", "Python", company="first"),
        posting("广州", "Python", "20k-30k"),
        posting("广州", "Python", company="second"),
        posting("广州", "Python", "20k-30k"),
    ]
    with migrated_engine.begin() as conn:
        counts = upsert_postings(conn, batch, seen_at=T0, site="lagou", keyword="python")
    with migrated_engine.connect() as conn:
        rows = conn.execute(select(JOBS.c.salary, JOBS.c.company).order_by(JOBS.c.id)).all()
    assert counts == UpsertCounts(new=2, repeated=2)
    assert [tuple(r) for r in rows] == [("15k-25k", "first"), ("20k-30k", None)]


def test_counts_split_a_mixed_batch_exactly(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as conn:
        upsert_postings(
            conn, [posting("北京", f"job{i}") for i in range(5)], seen_at=T0, site="lagou", keyword="python"
        )
    mixed = [posting("北京", f"job{i}") for i in range(3, 9)] + [posting("北京", "job8")]
    with migrated_engine.begin() as conn:
        counts = upsert_postings(conn, mixed, seen_at=T1, site="lagou", keyword="python")
        assert (count_jobs(conn), count_jobs(conn, "北京"), count_jobs(conn, "上海")) == (9, 9, 0)
    assert counts == UpsertCounts(new=4, repeated=3)
    assert [(k[1], k[3], k[4]) for k in stored_keys(migrated_engine)] == [
        ("job0", T0, T0),
        ("job1", T0, T0),
        ("job2", T0, T0),
        ("job3", T0, T1),
        ("job4", T0, T1),
        ("job5", T1, T1),
        ("job6", T1, T1),
        ("job7", T1, T1),
        ("job8", T1, T1),
    ]


def test_overlong_values_are_clipped_to_the_column_length(migrated_engine: Engine) -> None:
    # PostgreSQL would reject the whole batch; SQLite would keep the full text and disagree on keys.
    long_salary = "1" * 150
    with migrated_engine.begin() as conn:
        upsert_postings(
            conn, [posting("北京", "t", long_salary, district="区" * 100)], seen_at=T0, site="lagou", keyword="python"
        )
        counts = upsert_postings(conn, [posting("北京", "t", long_salary)], seen_at=T1, site="lagou", keyword="python")
        row = conn.execute(select(JOBS.c.salary, JOBS.c.district)).one()
    assert counts == UpsertCounts(new=0, repeated=1)
    assert tuple(row) == ("1" * 100, "区" * 64)


def test_empty_batch_writes_nothing(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as conn:
        assert upsert_postings(conn, [], seen_at=T0, site="lagou", keyword="python") == UpsertCounts(0, 0)
        assert count_jobs(conn) == 0


def test_runs_record_arguments_city_counts_and_outcome(migrated_engine: Engine) -> None:
    with migrated_engine.begin() as conn:
        run_id = start_run(conn, arguments={"cities": ["北京"], "pages": 3}, started_at=T0)
        other_id = start_run(conn, arguments={}, started_at=T1)
    with migrated_engine.begin() as conn:
        finish_run(conn, run_id, ended_at=T1, city_counts={"北京": {"new": 2, "repeated": 1}}, outcome="ok")
    with migrated_engine.connect() as conn:
        rows = conn.execute(select(RUNS).order_by(RUNS.c.id)).mappings().all()
    assert [dict(r) for r in rows] == [
        {
            "id": run_id,
            "started_at": T0,
            "ended_at": T1,
            "arguments": {"cities": ["北京"], "pages": 3},
            "city_counts": {"北京": {"new": 2, "repeated": 1}},
            "outcome": "ok",
        },
        {
            "id": other_id,
            "started_at": T1,
            "ended_at": None,
            "arguments": {},
            "city_counts": None,
            "outcome": "running",
        },
    ]
    with migrated_engine.begin() as conn, pytest.raises(LookupError, match="no run with id 999"):
        finish_run(conn, 999, ended_at=T1, city_counts={}, outcome="ok")
