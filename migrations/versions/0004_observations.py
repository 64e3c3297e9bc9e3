"""Observations: which stored jobs each crawl saw, so runs can be compared over time.

Adds `observations` (one row per crawl and job, with the listing page and slot and the run that
stored it) and, on `crawls`, when a crawl completed and which run completed it. Crawls completed
before this revision get `completed_at` from their last update (the moment they were closed)
but no observations: the tool never recorded what they saw, so the salary history starts at
the first crawl after the upgrade.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `observations` and add the completion columns to `crawls`."""
    with op.batch_alter_table("crawls") as batch:
        batch.add_column(sa.Column("completed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("completed_run_id", sa.Integer(), nullable=True))
    op.execute("UPDATE crawls SET completed_at = updated_at WHERE status = 'complete'")
    op.create_table(
        "observations",
        sa.Column("crawl_id", sa.Integer(), sa.ForeignKey("crawls.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("job_id", sa.Integer(), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
    )
    op.create_index("ix_observations_job_id", "observations", ["job_id"])


def downgrade() -> None:
    """Drop the observations and the completion columns."""
    op.drop_index("ix_observations_job_id", table_name="observations")
    op.drop_table("observations")
    with op.batch_alter_table("crawls") as batch:
        batch.drop_column("completed_run_id")
        batch.drop_column("completed_at")
