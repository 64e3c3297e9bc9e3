"""Database URLs: bad ones are one-line errors with the password masked, an unreachable database
is a one-line DatabaseError, and SQLite gets its folder, WAL and a busy timeout."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import make_engine, mask_url, upgrade_schema
from scraper.common.errors import ConfigError, DatabaseError


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql://u:secret@host:notaport/db",
            "invalid database URL 'postgresql://u:***@host:notaport/db': expected e.g. "
            "sqlite:///data/jobs.sqlite3 or postgresql://user:password@host:5432/dbname",
        ),
        (
            "postgresql//u:secret@host/db",
            "invalid database URL 'postgresql//u:***@host/db': expected e.g. "
            "sqlite:///data/jobs.sqlite3 or postgresql://user:password@host:5432/dbname",
        ),
        (
            "postgres://u:secret@host/db",
            "invalid database URL 'postgres://u:***@host/db': the scheme is postgresql://, not postgres://",
        ),
        (
            "mysql://u:secret@host/db",
            "unsupported database in URL 'mysql://u:***@host/db': use "
            "sqlite:///data/jobs.sqlite3 or postgresql://user:password@host:5432/dbname",
        ),
        (
            "postgresql+asyncpg://u:secret@host/db",
            "unsupported driver 'asyncpg' in URL 'postgresql+asyncpg://u:***@host/db': use postgresql+psycopg2",
        ),
    ],
)
def test_bad_url_is_a_one_line_config_error_with_the_password_masked(url: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        make_engine(url)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:secret@host:5432/db", "postgresql://u:***@host:5432/db"),
        (
            "postgresql://u:p%40ss@host/db?password=secret&sslmode=disable",
            "postgresql://u:***@host/db?password=***&sslmode=disable",
        ),
        ("postgresql://u@host/db", "postgresql://u@host/db"),
        ("sqlite:///data/jobs.sqlite3", "sqlite:///data/jobs.sqlite3"),
        ("garbage u:secret@rest", "garbage u:***@rest"),
        ("x://u:se@cret@host:bad/db", "x://u:***@host:bad/db"),
    ],
)
def test_mask_url_hides_the_password_and_nothing_else(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_unreachable_database_is_a_one_line_database_error_without_the_password() -> None:
    engine = make_engine("postgresql://u:secret@127.0.0.1:1/x")
    with pytest.raises(DatabaseError) as caught:
        upgrade_schema(engine)
    assert str(caught.value) == ("cannot reach database postgresql+psycopg2://u:***@127.0.0.1:1/x: Connection refused")


def test_sqlite_engine_creates_the_folder_and_uses_wal_with_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "jobs.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert path.parent.is_dir()
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
    finally:
        engine.dispose()
