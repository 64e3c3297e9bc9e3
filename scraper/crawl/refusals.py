"""Postings the database refuses one by one: found, and set aside, so they never cost their batch.

When a batch fails for a reason that is not an outage (a value the database cannot store, such
as a NUL character on PostgreSQL from a site parser that forgot `clean_posting`), the writer
asks `find_refused`: it tries each posting on its own, each in a savepoint of one transaction
that is rolled back at the end, so probing stores nothing. The writer then stores the batch
`without` them and keeps them for the unwritten-postings file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, SQLAlchemyError

from scraper.crawl.batches import store_pages
from scraper.model.postings import PageResult, Posting

# What a write may raise: SQLAlchemy's wrapped driver errors, and the plain ValueError (psycopg2:
# "cannot contain NUL") or UnicodeEncodeError that a driver raises before anything is sent.
POSTING_ERRORS = (SQLAlchemyError, ValueError)
# Of those, the ones a value causes (so a posting may be to blame, not the database or the schema).
VALUE_ERRORS = (DataError, ValueError)


def is_value_error(exc: BaseException) -> bool:
    """Whether `exc` says the database refused a value (worth finding which posting holds it)."""
    return isinstance(exc, VALUE_ERRORS)


def find_refused(
    engine: Engine,
    pages: Sequence[PageResult],
    *,
    cause: BaseException,
    site: str,
    keyword: str,
    limit: int,
    seen_at: dt.datetime,
    run_id: int | None = None,
) -> list[Posting]:
    """The postings of `pages` that cannot be stored even alone, the batch having failed with `cause`.

    Nothing is kept. Empty when no posting is to blame: `cause` is not about a value (a missing
    table, say), every posting can be stored alone, or the database fails outside the savepoints.
    """
    if not is_value_error(cause):
        return []
    refused: list[Posting] = []
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            for page in pages:
                for posting in page.postings:
                    savepoint = conn.begin_nested()
                    try:
                        alone = dataclasses.replace(page, postings=(posting,))
                        store_pages(
                            conn, [alone], site=site, keyword=keyword, limit=limit, seen_at=seen_at, run_id=run_id
                        )
                    except POSTING_ERRORS as exc:
                        if not is_value_error(exc):
                            raise
                        refused.append(posting)
                    finally:
                        if savepoint.is_active:
                            savepoint.rollback()
            transaction.rollback()
    except SQLAlchemyError:
        return []
    return refused


def without(pages: Sequence[PageResult], refused: Sequence[Posting]) -> list[PageResult]:
    """`pages` less the `refused` postings (matched by identity: an equal posting elsewhere stays)."""
    ids = {id(posting) for posting in refused}
    return [dataclasses.replace(page, postings=tuple(p for p in page.postings if id(p) not in ids)) for page in pages]
