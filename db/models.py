"""SQLAlchemy 2 table definitions. The Alembic migrations in `migrations/` create the same schema."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Job(Base):
    """One unique posting per (site, city, title, salary). Never holds recruiter data."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("site", "city", "title", "salary", name="uq_jobs_site_city_title_salary"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site: Mapped[str] = mapped_column(String(32), default="lagou")
    keyword: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(Text)
    salary: Mapped[str] = mapped_column(String(100))
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    salary_months: Mapped[int] = mapped_column(Integer, default=12)
    salary_period: Mapped[str | None] = mapped_column(String(8))
    salary_annual_min: Mapped[int | None] = mapped_column(Integer)
    salary_annual_max: Mapped[int | None] = mapped_column(Integer)
    salary_parser_version: Mapped[int] = mapped_column(Integer, default=1)
    company: Mapped[str | None] = mapped_column(String(200))
    company_full: Mapped[str | None] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(64))
    work_year: Mapped[str | None] = mapped_column(String(32))
    education: Mapped[str | None] = mapped_column(String(32))
    company_size: Mapped[str | None] = mapped_column(String(32))
    finance_stage: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str | None] = mapped_column(String(200))
    skills: Mapped[list[str] | None] = mapped_column(JSON)
    position_id: Mapped[str | None] = mapped_column(String(32))
    source_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    first_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Run(Base):
    """One invocation of the scraper: when, with what arguments, and how it ended."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    arguments: Mapped[dict[str, object] | None] = mapped_column(JSON)
    city_counts: Mapped[dict[str, object] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(16), default="running")


class Crawl(Base):
    """The checkpoint of one query (site, keyword, city): open until its city finishes.

    A run resumes the newest open crawl of its query (after a crash, a park or an interrupt);
    `--fresh` abandons it and starts over. Finished crawls are `complete`.
    """

    __tablename__ = "crawls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site: Mapped[str] = mapped_column(String(32))
    keyword: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Shared queue (several processes, PostgreSQL): pages up to `frontier` are committed in order.
    is_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    frontier: Mapped[int] = mapped_column(Integer, default=0)
    # Set when the crawl completes: when, and by which run (the history's points are complete crawls).
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    completed_run_id: Mapped[int | None] = mapped_column(Integer)


class CrawlPage(Base):
    """One listing page of a crawl; a finished one is written in the same transaction as its postings.

    `accepted` holds the [title, salary] keys the page contributed (in page order), so a resumed
    run rebuilds the set of postings already taken; `is_last` marks the site's last page.
    """

    __tablename__ = "crawl_pages"

    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id", ondelete="CASCADE"), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # done: stored (single process, or committed by the shared frontier); shared queue only:
    # pending → claimed (by a process, until claim_expires_at) → fetched (postings kept) → done.
    state: Mapped[str] = mapped_column(String(8), default="done")
    accepted: Mapped[list[list[str]] | None] = mapped_column(JSON)
    is_last: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claim_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    postings: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)


class Observation(Base):
    """A stored job seen by a crawl: one row per (crawl, job), written with the job and the checkpoint.

    `page` and `slot` give where in the listing the crawl took it (the order Lagou listed it in);
    `run_id` is the run that stored it (a resumed crawl spans several runs). A crawl that is
    resumed, or a batch retried after a lost commit, records each job once (the primary key).
    """

    __tablename__ = "observations"

    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id", ondelete="CASCADE"), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True, index=True)
    run_id: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer)
    slot: Mapped[int] = mapped_column(Integer)
