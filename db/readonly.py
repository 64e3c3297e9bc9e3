"""Opening a database for reading only: what `status`, `report` and `export` use.

Reading never writes. `open_for_reading` builds an engine that cannot change the database
(SQLite: a read-only connection, no folder created, no journal mode set; PostgreSQL: read-only
transactions), and `check_readable` accepts only a database of ours at the current schema: no
migration runs here. So a read-only file, folder or file system can be reported on, and a
database that is not ours (an unrelated file that happens to have a `jobs` table) gets one line
and stays untouched. A database of ours at an older schema is upgraded by the next scrape (or
`renormalize`), which may write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import Engine, event, inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from db.engine import SCHEMA_HEAD, SQLITE_BUSY_TIMEOUT_MS, _parse_url, database_error, make_engine, mask_url
from scraper.common.errors import DatabaseError

OUR_TABLES = frozenset({"jobs", "runs", "crawls", "crawl_pages", "observations"})


def open_for_reading(url: str) -> Engine:
    """An engine on `url` that cannot write. Raises ConfigError for a bad URL, DatabaseError when a
    SQLite file does not exist (reading must not create it)."""
    parsed = _parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = make_engine(url)
        event.listen(engine, "connect", _read_only_session)
        return engine
    if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
        return make_engine(url)
    path = Path(str(parsed.database)).expanduser()
    if not path.is_file():
        raise DatabaseError(f"no database at {mask_url(parsed)}: {path} does not exist (nothing scraped yet?)")
    return _read_only_sqlite(parsed, path)


def _read_only_sqlite(parsed: URL, path: Path) -> Engine:
    # mode=ro: never create or change the file. When its folder is read-only too, SQLite cannot
    # make the shared-memory file a WAL database needs; then nobody can be writing it, and
    # immutable=1 reads the file as it is.
    mode = "ro" if _can_share_memory(path) else "ro&immutable=1"
    target = f"file:{quote(str(path.resolve()))}?mode={mode}"
    engine = sa.create_engine(
        URL.create("sqlite+pysqlite", database=target, query={"uri": "true"}),
        poolclass=NullPool,
        connect_args={"uri": True},
    )
    event.listen(engine, "connect", _busy_timeout)
    return engine


def _can_share_memory(path: Path) -> bool:
    return path.with_name(path.name + "-shm").exists() or os.access(path.parent, os.W_OK)


def _busy_timeout(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _read_only_session(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    finally:
        cursor.close()
    dbapi_connection.commit()


def check_readable(engine: Engine, url: str) -> None:
    """Raise DatabaseError (one line, naming `url` masked) unless the database is ours and at the
    current schema. Reads only the table list and the version row: nothing is created or migrated.
    """
    where = mask_url(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            version = (
                connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                if "alembic_version" in tables
                else None
            )
    except SQLAlchemyError as exc:
        raise database_error(_parse_url(url), exc, action="cannot read database") from exc
    if not tables:
        raise DatabaseError(f"nothing scraped into {where} yet: it has no tables")
    if version is None or not OUR_TABLES & tables:
        raise DatabaseError(f"{where} is not a job-salary-scraper database (no schema version); left untouched")
    if version != SCHEMA_HEAD:
        raise DatabaseError(
            f"{where} has schema {version}, this version reads {SCHEMA_HEAD}: "
            "run a scrape (or renormalize) to upgrade it first"
        )
