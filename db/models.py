"""SQLAlchemy 2 table definitions. The Alembic migrations in `migrations/` create the same schema."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Job(Base):
    """One unique posting per (city, title, salary). Never holds recruiter data."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("city", "title", "salary", name="uq_jobs_city_title_salary"),)

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
