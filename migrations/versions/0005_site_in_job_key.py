"""A posting is unique per site: the `jobs` key becomes (site, city, title, salary).

With a second site a posting's identity needs its site: the same title at the same salary in
the same city on Lagou and on 51job are two postings. Every row stored before this revision came
from Lagou (the only site there was) and keeps `site = 'lagou'`; rows with no site get it too.
Downgrading restores the old key and fails if two sites hold the same (city, title, salary).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEY = "uq_jobs_city_title_salary"
NEW_KEY = "uq_jobs_site_city_title_salary"


def upgrade() -> None:
    """Fill a missing site with 'lagou' and put `site` first in the unique key."""
    op.execute("UPDATE jobs SET site = 'lagou' WHERE site IS NULL OR site = ''")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint(OLD_KEY, type_="unique")
        batch.create_unique_constraint(NEW_KEY, ["site", "city", "title", "salary"])


def downgrade() -> None:
    """The key without the site."""
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint(NEW_KEY, type_="unique")
        batch.create_unique_constraint(OLD_KEY, ["city", "title", "salary"])
