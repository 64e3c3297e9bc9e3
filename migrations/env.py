"""Alembic environment: how the migrations in `migrations/versions/` reach a database.

Two entry points. The tool itself calls `db.engine.upgrade_schema`, which hands over an open
connection in `config.attributes["connection"]`. By hand, `alembic upgrade head` (with the
repository's alembic.ini) reads the URL from the DATABASE_URL environment variable and builds the
engine with `db.engine.make_engine`, so the same URL checks and SQLite pragmas apply.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from db.engine import make_engine
from db.models import Base

DATABASE_URL_VARIABLE = "DATABASE_URL"

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    # SQLite cannot ALTER most things in place; batch mode makes future migrations portable.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _url_from_environment() -> str:
    # The one os.environ read outside the settings module: `alembic` runs by hand, without our CLI.
    url = os.environ.get(DATABASE_URL_VARIABLE) or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit(f"set {DATABASE_URL_VARIABLE} to the database URL, e.g. sqlite:///data/jobs.sqlite3")
    return url


def run_migrations_offline() -> None:
    """Emit the migration SQL (`alembic upgrade head --sql`) without connecting."""
    context.configure(url=_url_from_environment(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the handed-over connection, or on a fresh engine from DATABASE_URL."""
    handed_over = config.attributes.get("connection")
    if handed_over is not None:
        _configure(handed_over)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url_from_environment())
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
