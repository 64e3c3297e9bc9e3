"""Engine set-up and schema migration: the one place that turns a database URL into a live `Engine`.

`make_engine` validates the URL (a bad one is a `ConfigError` before anything starts) and applies
the per-backend settings the writer thread relies on (SQLite: WAL and a busy timeout; PostgreSQL:
a short connect timeout; both: pre-ping so a connection dropped by an outage is replaced).
`upgrade_schema` runs the Alembic migrations in `migrations/` programmatically. Every failure
leaves this module as a one-line `ConfigError` or `DatabaseError` whose text never shows a password.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from scraper.common.dburl import URL_EXAMPLES, check_database_url
from scraper.common.errors import ConfigError, DatabaseError
from scraper.common.masking import MASK, mask_secrets

SCHEMA_HEAD = "0005"  # the newest migration in migrations/versions (a test keeps them equal)
MIGRATION_LOCK_KEY = 0x6A737331  # "jss1": the advisory lock that serialises schema upgrades
SQLITE_BUSY_TIMEOUT_MS = 5_000
PG_CONNECT_TIMEOUT_S = 5
MAX_REASON_CHARS = 200


def mask_url(url: str | URL) -> str:
    """Return `url` as text with any password replaced by `***` (`mask_secrets`). Never raises.

    Works on URLs SQLAlchemy cannot parse too.
    """
    return mask_secrets(url.render_as_string(hide_password=True) if isinstance(url, URL) else url)


def make_engine(url: str) -> Engine:
    """Build an engine for a SQLite or PostgreSQL URL without connecting to it.

    Raises `ConfigError` (one line, password masked) for a malformed URL or an unsupported backend
    or driver; `DatabaseError` for a SQLite folder that cannot be created. Reachability is checked later, by the
    first connection (see `upgrade_schema`).
    """
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(parsed)
    # Pre-ping replaces pooled connections an outage killed instead of failing the next batch.
    return sa.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S})


def _parse_url(url: str) -> URL:
    backend, driver = check_database_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise ConfigError(f"invalid database URL {mask_url(url)!r}: expected e.g. {URL_EXAMPLES}") from exc
    # Name the driver: SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3, which is not installed.
    return parsed.set(drivername=f"{backend}+{driver}")


def _is_memory_sqlite(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def _make_sqlite_engine(url: URL) -> Engine:
    if _is_memory_sqlite(url):
        # One shared connection: otherwise every pooled connection would see its own empty database.
        engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        folder = Path(str(url.database)).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            # The URL is fine; the database cannot be opened where it says (exit 4, not 2).
            raise DatabaseError(
                f"cannot open database {mask_url(url)!r}: cannot create folder {str(folder)!r}: {exc.strerror}"
            ) from exc
        engine = sa.create_engine(url, pool_pre_ping=True)
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _set_sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # WAL lets the report read while the writer writes; the busy timeout makes a briefly locked
    # database wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def upgrade_schema(engine: Engine) -> None:
    """Migrate the database to the newest schema (Alembic `upgrade head`); a no-op when current.

    A database already at `SCHEMA_HEAD` is recognised by one query of the version table, so a
    normal run never loads Alembic. Raises `DatabaseError` with a one-line message (masked URL
    and the reason in a few words) when the database cannot be reached or the migration fails.
    """
    if schema_version(engine) == SCHEMA_HEAD:
        return
    from alembic import command  # only when there is something to migrate
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    # ConfigParser would read a `%` in the path as interpolation.
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Processes starting together (--shared) must not run the same migration at once.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            # env.py runs the migrations on this connection instead of building its own engine.
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (SQLAlchemyError, CommandError) as exc:
        action = "cannot reach database" if is_transient_error(exc) else "cannot migrate database"
        raise database_error(engine.url, exc, action=action) from exc


def check_writable(engine: Engine) -> None:
    """Raise `DatabaseError` (one line) when the database can be read but not written.

    An UPDATE that matches no row still needs write access (SQLite opens a write transaction, a
    read-only PostgreSQL role or transaction refuses it); it is rolled back, so nothing changes.
    A read-only SQLite file or folder, or a read-only role, then fails before any browser starts.
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("UPDATE runs SET outcome = outcome WHERE id < 0"))
            connection.rollback()
    except SQLAlchemyError as exc:
        action = "cannot reach database" if _is_unreachable(exc) else "cannot write to database"
        raise database_error(engine.url, exc, action=action) from exc


def _is_unreachable(exc: SQLAlchemyError) -> bool:
    text_ = str(exc).lower()
    return is_transient_error(exc) and not any(word in text_ for word in ("readonly", "read-only", "permission"))


def schema_version(engine: Engine) -> str | None:
    """The revision in `alembic_version`, or None when there is none (a new database).

    Raises `DatabaseError` when the database cannot be reached.
    """
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        if is_transient_error(exc) and not _is_missing_table(exc):
            raise database_error(engine.url, exc, action="cannot reach database") from exc
        return None


def _is_missing_table(exc: SQLAlchemyError) -> bool:
    # SQLite reports a missing table as an OperationalError ("no such table"), like a lock.
    return "no such table" in str(exc).lower()


def migrations_dir() -> Path:
    """The folder of the `migrations` package (Alembic's script location), wherever it is installed."""
    # Located through env.py rather than `migrations.__file__`: that is None when an editable
    # install maps `migrations` as a namespace package, while the module's origin is always a file.
    spec = importlib.util.find_spec("migrations.env")
    if spec is None or spec.origin is None:
        raise DatabaseError("cannot find the migrations package (is the project installed?)")
    return Path(spec.origin).resolve().parent


def is_transient_error(exc: BaseException) -> bool:
    """True for failures that may pass on retry: lost or refused connections, locks, pool timeouts."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.TimeoutError)


def database_error(url: URL, exc: BaseException, *, action: str) -> DatabaseError:
    """Build the one-line `DatabaseError` "<action> <masked url>: <reason>" for `exc`.

    The caller raises it `from exc`. The reason is the driver's first line, shortened, with
    libpq's boilerplate and any occurrence of the password removed.
    """
    return DatabaseError(f"{action} {mask_url(url)}: {_reason(exc, url.password)}")


def _reason(exc: BaseException, password: str | None) -> str:
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    reason = lines[0] if lines else type(orig).__name__
    # libpq: 'connection to server at "h", port 1 failed: Connection refused' -> 'Connection refused'
    if " failed: " in reason:
        reason = reason.rsplit(" failed: ", 1)[1]
    reason = reason.removeprefix("FATAL:").strip()
    if password:
        reason = reason.replace(password, MASK)
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1] + "…"
    return reason
