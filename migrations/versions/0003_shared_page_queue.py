"""Shared page queue: several scraper processes work one query through `crawl_pages` row claims.

Adds the page state (pending, claimed, fetched, done), the claim owner and expiry, the parsed
postings a fetched page keeps until the in-order frontier commits it, and on `crawls` the
shared flag and the frontier. Existing rows are finished pages, so their state is `done`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the claim columns to `crawl_pages` and the frontier to `crawls`."""
    with op.batch_alter_table("crawls") as batch:
        batch.add_column(sa.Column("is_shared", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("frontier", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("crawl_pages") as batch:
        batch.add_column(sa.Column("state", sa.String(8), nullable=False, server_default="done"))
        batch.add_column(sa.Column("claimed_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("claim_expires_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("postings", sa.JSON(), nullable=True))
        batch.alter_column("accepted", existing_type=sa.JSON(), nullable=True)
        batch.alter_column("done_at", existing_type=sa.DateTime(), nullable=True)


def downgrade() -> None:
    """Drop the shared-queue columns (unfinished shared pages are dropped first)."""
    op.execute("DELETE FROM crawl_pages WHERE state <> 'done'")
    with op.batch_alter_table("crawl_pages") as batch:
        batch.alter_column("done_at", existing_type=sa.DateTime(), nullable=False)
        batch.alter_column("accepted", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("postings")
        batch.drop_column("claim_expires_at")
        batch.drop_column("claimed_by")
        batch.drop_column("state")
    with op.batch_alter_table("crawls") as batch:
        batch.drop_column("frontier")
        batch.drop_column("is_shared")
