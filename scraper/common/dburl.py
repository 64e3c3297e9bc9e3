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
    if backend == "sqlite" and _rest and not _rest.startswith("/"):
        raise ConfigError(
            f"invalid database URL {masked!r}: a SQLite path needs three slashes after 'sqlite:' "
            f"(sqlite:///{_rest.partition('?')[0]} for a relative path, four for an absolute one)"
        )
    if backend == "postgresql":
        authority = _rest.partition("/")[0]
        if authority.count("@") > 1:
            # Drivers split "user:pa@ss@host" at the first "@" and would look up "ss@host" as a host.
            raise ConfigError(
                f"invalid database URL {masked!r}: the user name or password holds an '@'; "
                "percent-encode it (%40), e.g. postgresql://user:p%40ss@host/dbname"
            )
        try:
            urlsplit(url).port  # noqa: B018 - reading it validates it
        except ValueError as exc:
            raise ConfigError(f"invalid database URL {masked!r}: expected e.g. {URL_EXAMPLES}") from exc
    return backend, wanted
