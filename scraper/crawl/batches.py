"""What one writer transaction stores: a batch of pages, in three kinds of writes.

A local page's postings are upserted (dedup on city, title, salary), its checkpoint recorded and
its observations (which jobs its crawl saw) written; a shared page (`--shared`) is stored as
fetched, and then each shared crawl's in-order frontier commits the pages it can, with theirs.
All of it runs on the connection of one transaction, so rows, checkpoints and observations
never disagree. The writer thread (`scraper.crawl.writer`) owns the retries; `cut_batch` is how
it takes whole pages off its pending list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.engine import Connection

from db.checkpoints import record_page
from db.observations import record_observations
from db.shared_queue import advance_frontier, store_fetched
from db.writes import UpsertCounts, upsert_postings
from scraper.model.postings import PageResult, Posting


def store_pages(
    conn: Connection,
    pages: Sequence[PageResult],
    *,
    site: str,
    keyword: str,
    limit: int,
    seen_at: dt.datetime,
    run_id: int | None = None,
) -> dict[str, UpsertCounts]:
    """Store `pages` on `conn`; returns new/repeated postings per city. Raises SQLAlchemyError."""
    own = postings_of([page for page in pages if not page.is_shared])
    added = {
        city: upsert_postings(conn, postings, seen_at=seen_at, site=site, keyword=keyword)
        for city, postings in _group_by_city(own).items()
    }
    for page in pages:
        if page.crawl_id is not None and not page.is_shared:
            record_page(
                conn,
                crawl_id=page.crawl_id,
                page=page.page,
                is_last=page.is_last,
                accepted=[(p.title, p.salary.raw) for p in page.postings],
                now=seen_at,
            )
            record_observations(conn, crawl_id=page.crawl_id, run_id=run_id, page=page.page, postings=page.postings)
    added.update(_commit_shared(conn, pages, site=site, keyword=keyword, limit=limit, seen_at=seen_at, run_id=run_id))
    return added


def _commit_shared(
    conn: Connection,
    pages: Sequence[PageResult],
    *,
    site: str,
    keyword: str,
    limit: int,
    seen_at: dt.datetime,
    run_id: int | None,
) -> dict[str, UpsertCounts]:
    crawl_ids: list[int] = []
    for page in pages:
        if page.is_shared and page.crawl_id is not None:
            store_fetched(conn, crawl_id=page.crawl_id, page=page.page, postings=page.postings, is_last=page.is_last)
            crawl_ids.append(page.crawl_id)
    counts: dict[str, UpsertCounts] = {}
    for crawl_id in dict.fromkeys(crawl_ids):
        counts.update(
            advance_frontier(
                conn, crawl_id=crawl_id, limit=limit, site=site, keyword=keyword, now=seen_at, run_id=run_id
            )
        )
    return counts


def postings_of(pages: Sequence[PageResult]) -> list[Posting]:
    """Every posting of `pages`, in page order."""
    return [posting for page in pages for posting in page.postings]


def row_count(pages: Sequence[PageResult]) -> int:
    """How many postings `pages` hold."""
    return sum(len(page.postings) for page in pages)


def _group_by_city(batch: Sequence[Posting]) -> dict[str, list[Posting]]:
    groups: dict[str, list[Posting]] = defaultdict(list)
    for posting in batch:
        groups[posting.city].append(posting)
    return groups


def cut_batch(pending: Sequence[PageResult], size: int) -> tuple[list[PageResult], list[PageResult]]:
    """(batch, rest): whole pages off the front of `pending` until they hold `size` rows, or all of them."""
    rows = 0
    for index, page in enumerate(pending):
        rows += len(page.postings)
        if rows >= size:
            return list(pending[: index + 1]), list(pending[index + 1 :])
    return list(pending), []
