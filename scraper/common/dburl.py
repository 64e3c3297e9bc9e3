"""Database URLs checked as text: which backends and drivers the tool supports, without importing them.

Settings use it to reject a bad `DATABASE_URL` with a one-line error before any database code is
imported; `db.engine` uses the same rules when it builds the engine.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scraper.common.errors import ConfigError
from scraper.common.masking import mask_secrets

# The only drivers the project installs; anything else would fail later with an import error.
SUPPORTED_DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg2"}
URL_EXAMPLES = "sqlite:///data/jobs.sqlite3 or postgresql://user:password@host:5432/dbname"


def check_database_url(url: str) -> tuple[str, str]:
    """(backend, driver) of a supported database URL; ConfigError (password masked) otherwise."""
    masked = mask_secrets(url)
    scheme, sep, _rest = url.partition("://")
    if not sep:
        raise ConfigError(f"invalid database URL {masked!r}: expected e.g. {URL_EXAMPLES}")
    backend, _, driver = scheme.partition("+")
    if backend == "postgres":
        raise ConfigError(f"invalid database URL {masked!r}: the scheme is postgresql://, not postgres://")
    if backend not in SUPPORTED_DRIVERS:
        raise ConfigError(f"unsupported database in URL {masked!r}: use {URL_EXAMPLES}")
    wanted = SUPPORTED_DRIVERS[backend]
    if driver and driver != wanted:
        raise ConfigError(f"unsupported driver {driver!r} in URL {masked!r}: use {backend}+{wanted}")
    if backend == "postgresql":
        try:
            urlsplit(url).port  # noqa: B018 - reading it validates it
        except ValueError as exc:
            raise ConfigError(f"invalid database URL {masked!r}: expected e.g. {URL_EXAMPLES}") from exc
    return backend, wanted
