"""Crawl checkpoints: `crawls` (one per query, open until its city finishes) and `crawl_pages`.

A finished page is recorded in the same transaction as its postings, so a run that crashed, was
killed or was interrupted resumes after the last page whose rows are safely stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `crawls` (indexed by status) and `crawl_pages` (keyed by crawl and page)."""
    op.create_table(
        "crawls",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(32), nullable=False),
        sa.Column("keyword", sa.String(100), nullable=False),
        sa.Column("city", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_crawls_status", "crawls", ["status"])
    op.create_table(
        "crawl_pages",
        sa.Column("crawl_id", sa.Integer(), sa.ForeignKey("crawls.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("page", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("accepted", sa.JSON(), nullable=False),
        sa.Column("is_last", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop the checkpoint tables; collected postings stay."""
    op.drop_table("crawl_pages")
    op.drop_index("ix_crawls_status", table_name="crawls")
    op.drop_table("crawls")
