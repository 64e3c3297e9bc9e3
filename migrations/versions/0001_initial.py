"""Initial schema: the `jobs` table (one row per city, title and salary text) and the `runs` table.

Mirrors db/models.py column for column; tests/test_db.py checks that autogenerate finds no
difference on SQLite and PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `jobs` (unique on city, title, salary; indexed by city) and `runs`."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(32), nullable=False),
        sa.Column("keyword", sa.String(100), nullable=True),
        sa.Column("city", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("salary", sa.String(100), nullable=False),
        sa.Column("salary_min", sa.Integer(), nullable=True),
        sa.Column("salary_max", sa.Integer(), nullable=True),
        sa.Column("salary_months", sa.Integer(), nullable=False),
        sa.Column("salary_period", sa.String(8), nullable=True),
        sa.Column("salary_annual_min", sa.Integer(), nullable=True),
        sa.Column("salary_annual_max", sa.Integer(), nullable=True),
        sa.Column("salary_parser_version", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(200), nullable=True),
        sa.Column("company_full", sa.String(300), nullable=True),
        sa.Column("district", sa.String(64), nullable=True),
        sa.Column("work_year", sa.String(32), nullable=True),
        sa.Column("education", sa.String(32), nullable=True),
        sa.Column("company_size", sa.String(32), nullable=True),
        sa.Column("finance_stage", sa.String(32), nullable=True),
        sa.Column("industry", sa.String(200), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=True),
        sa.Column("position_id", sa.String(32), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("city", "title", "salary", name="uq_jobs_city_title_salary"),
    )
    op.create_index("ix_jobs_city", "jobs", ["city"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("arguments", sa.JSON(), nullable=True),
        sa.Column("city_counts", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables (and with them every collected posting)."""
    op.drop_table("runs")
    op.drop_index("ix_jobs_city", table_name="jobs")
    op.drop_table("jobs")
