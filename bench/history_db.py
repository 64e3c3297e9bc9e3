"""A synthetic database of a year of daily runs, for `bench.report_bench`.

Each day one run crawls 4 cities; each city's listing holds 450 postings, newest first. Every day
`CHURN` postings per city are taken down and as many new ones listed at the top, so a year stores
about 1,800 + 365 × 4 × CHURN jobs and 365 × 4 × 450 observations. Runs, complete crawls and
observations look like the scraper's own (one observation per posting a crawl took, page and slot
in listing order); crawl pages are left out, since no report reads them. Pure data from a seeded
`random.Random`, inserted with SQLAlchemy Core in batches.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Table, insert

from db.checkpoints import COMPLETE, CRAWLS
from db.models import Base
from db.observations import OBSERVATIONS
from db.writes import JOBS, salary_columns
from scraper.model.salary import parse_salary

CITIES = ("北京", "上海", "广州", "深圳")
POSTINGS_PER_CITY = 450
PAGE_SIZE = 15
CHURN = 20  # postings replaced per city and day
DAYS = 365
SEED = 20_261_207
T0 = dt.datetime(2025, 12, 1, 2, 0)
KEYWORD = "Python"
RUNS: Table = Base.metadata.tables["runs"]
SALARIES = ("8k-12k", "10k-15k", "15k-25k", "20k-30k", "20k-40k", "25k-50k", "30k以上", "面议", "13k-20k·13薪")
WORK_YEARS = ("不限", "应届毕业生", "1年以下", "1-3年", "3-5年", "3-5年", "5-10年", "10年以上")
EDUCATIONS = ("不限", "大专", "本科", "本科", "本科", "硕士", "博士")
SKILLS = ("Python", "Django", "Flask", "MySQL", "Redis", "Linux", "爬虫", "数据分析", "Go", "Kubernetes")
BATCH = 5_000


def build_history(engine: Engine, *, days: int = DAYS) -> dict[str, int]:
    """Fill a migrated, empty database; returns the row counts per table."""
    rng = random.Random(SEED)
    parsed = {text: salary_columns(parse_salary(text)) for text in SALARIES}
    counts = {"runs": 0, "crawls": 0, "jobs": 0, "observations": 0}
    listings: dict[str, list[int]] = {city: [] for city in CITIES}
    next_job = 1
    with engine.begin() as conn:
        for day in range(days):
            started = T0 + dt.timedelta(days=day)
            run_id = day + 1
            conn.execute(
                insert(RUNS),
                [{"id": run_id, "started_at": started, "ended_at": started + dt.timedelta(minutes=20),
                  "arguments": {"keyword": KEYWORD}, "city_counts": {}, "outcome": "ok"}],
            )  # fmt: skip
            jobs: list[dict[str, Any]] = []
            observations: list[dict[str, Any]] = []
            for index, city in enumerate(CITIES):
                fresh = POSTINGS_PER_CITY if day == 0 else CHURN
                new_ids = list(range(next_job, next_job + fresh))
                next_job += fresh
                jobs += [_job(rng, job_id, city, started, parsed) for job_id in new_ids]
                kept = listings[city][: POSTINGS_PER_CITY - fresh] if day else []
                gone = set(rng.sample(kept, min(len(kept), fresh))) if day else set()
                listings[city] = new_ids + [job_id for job_id in listings[city] if job_id not in gone]
                listings[city] = listings[city][:POSTINGS_PER_CITY]
                crawl_id = day * len(CITIES) + index + 1
                finished = started + dt.timedelta(minutes=5 + index)
                conn.execute(
                    insert(CRAWLS),
                    [{"id": crawl_id, "site": "lagou", "keyword": KEYWORD, "city": city, "status": COMPLETE,
                      "created_at": started, "updated_at": finished, "completed_at": finished,
                      "completed_run_id": run_id, "is_shared": False, "frontier": 0}],
                )  # fmt: skip
                observations += [
                    {"crawl_id": crawl_id, "job_id": job_id, "run_id": run_id, "page": slot // PAGE_SIZE + 1,
                     "slot": slot % PAGE_SIZE}
                    for slot, job_id in enumerate(listings[city])
                ]  # fmt: skip
            for table, rows in ((JOBS, jobs), (OBSERVATIONS, observations)):
                for chunk in _chunks(rows):
                    conn.execute(insert(table), chunk)
            counts["jobs"] += len(jobs)
            counts["observations"] += len(observations)
            counts["runs"] += 1
            counts["crawls"] += len(CITIES)
    return counts


def _job(
    rng: random.Random, job_id: int, city: str, seen: dt.datetime, parsed: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    salary = rng.choice(SALARIES)
    return {
        "id": job_id, "site": "lagou", "keyword": KEYWORD, "city": city, "title": f"Python开发工程师{job_id}",
        "salary": salary, **parsed[salary], "company": f"示例科技{job_id % 97}", "company_full": None,
        "district": "海淀区", "work_year": rng.choice(WORK_YEARS), "education": rng.choice(EDUCATIONS),
        "company_size": "150-500人", "finance_stage": "B轮", "industry": "企业服务",
        "skills": rng.sample(SKILLS, 3), "position_id": str(job_id), "source_url": None, "created_at": seen,
        "first_seen_at": seen, "last_seen_at": seen,
    }  # fmt: skip


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
