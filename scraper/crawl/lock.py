"""The run lock: at most one scrape per database and keyword at a time, so cron runs cannot pile up.

`RunLock` holds an exclusive `fcntl.flock` on a lock file for the whole run. The kernel drops a
flock when its file is closed, and so when the process dies in any way (even SIGKILL), which is
why the file is never deleted: deleting and re-creating lock files is what makes them racy. The
holder writes its PID into the file so a second run can say who holds the lock. The default file
name is a hash of the database and keyword (no password reaches the file system), in the system
temp folder. Not in $XDG_RUNTIME_DIR: cron jobs do not get one, so a cron run and a run from a
login shell would lock different files and overlap.

The file lock names the database the way SQLite sees it: by the real path of the file, so a
symlink or a relative path cannot make two runs on one file. A PostgreSQL URL says little about
which database it names (`localhost` and `127.0.0.1`, a port forward, a DNS alias), so a run on
PostgreSQL also holds `database_lock`: an advisory lock inside the database itself, on the run's
(site, keyword), held by one connection for the whole run (the server drops it when the run dies).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from db.engine import database_error
from scraper.common.errors import ConfigError, LockedError

LOCK_PREFIX = "job-salary-scraper"
HASH_CHARS = 16  # 64 bits of the target's hash: collisions between real targets are not a concern
LOCK_FILE_MODE = 0o600
MAX_PID_BYTES = 32
SQLITE_PREFIX = "sqlite:///"
ADVISORY_NAMESPACE = "job-salary-scraper run"
LOCK_APP_NAME = "job-salary-scraper lock pid={pid}"  # who holds it, for the second run's message


def lock_target(database_url: str, keyword: str) -> str:
    """The identity of what a run writes to: database location and keyword, without credentials.

    A SQLite path is resolved to the real file (relative paths and symlinks name the file they
    point to), and the user's password is dropped so that runs with different credentials still
    exclude each other.
    """
    if database_url.startswith(SQLITE_PREFIX):
        path, _sep, _query = database_url.removeprefix(SQLITE_PREFIX).partition("?")
        where = f"sqlite:{Path(path).resolve()}" if path and path != ":memory:" else database_url
    else:
        parts = urlsplit(database_url)
        userinfo, at, hostport = parts.netloc.rpartition("@")
        user = userinfo.partition(":")[0] + at
        where = f"{parts.scheme}://{user}{hostport.lower()}{parts.path}"
    return f"{where}\n{keyword.strip().casefold()}"


def default_lock_folder() -> Path:
    """The system temp folder, the same for cron and for a login shell of the same user."""
    return Path(tempfile.gettempdir())


def default_lock_path(database_url: str, keyword: str, *, folder: Path | None = None) -> Path:
    """The lock file for a run on `database_url` with `keyword`, in `folder` (default: see above).

    The user id is part of the name: in a shared temp folder another user's lock file (mode 600)
    would fail with a permission error instead of excluding us.
    """
    digest = hashlib.sha256(lock_target(database_url, keyword).encode("utf-8")).hexdigest()[:HASH_CHARS]
    return (folder or default_lock_folder()) / f"{LOCK_PREFIX}-{os.getuid()}-{digest}.lock"


class RunLock:
    """An exclusive, non-blocking lock on `path`, held from `acquire()` to `release()`.

    Use as `with RunLock(path): ...` or `with RunLock.for_run(url, keyword): ...`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @classmethod
    def for_run(cls, database_url: str, keyword: str, *, folder: Path | None = None) -> RunLock:
        """A lock on the default lock file of this database and keyword."""
        return cls(default_lock_path(database_url, keyword, folder=folder))

    @property
    def is_held(self) -> bool:
        """True between a successful `acquire()` and `release()`."""
        return self._fd is not None

    def acquire(self) -> RunLock:
        """Take the lock at once or fail; returns self.

        Raises LockedError (naming the lock file and the holder's PID) when another open file of
        the lock, in this or another process, holds it; ConfigError when the file cannot be opened;
        RuntimeError when this object already holds it.
        """
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this RunLock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # No O_TRUNC: the holder's PID must survive our open. O_NOFOLLOW: in a shared temp
            # folder a planted symlink must not make us write elsewhere. Python fds are not
            # inherited by children, so chromedriver cannot keep the lock alive after we die.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, LOCK_FILE_MODE)
        except OSError as exc:
            raise ConfigError(f"cannot open lock file {self.path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"PID {holder}" if holder else "a process that has not written its PID yet"
            raise LockedError(f"another run is in progress ({who}); lock file {self.path}") from None
        except OSError as exc:
            os.close(fd)
            raise ConfigError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the lock up (a no-op when not held). The file stays: see the module docstring."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # a stale PID would only mislead the next reader
        os.close(fd)  # closing drops the flock

    def __enter__(self) -> RunLock:
        return self if self.is_held else self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def advisory_key(site: str, keyword: str) -> int:
    """The signed 64-bit advisory lock key of a run's (site, keyword)."""
    name = f"{ADVISORY_NAMESPACE}\n{site}\n{keyword.strip().casefold()}"
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def database_lock(engine: Engine, *, site: str, keyword: str) -> Iterator[None]:
    """Hold the run's advisory lock inside a PostgreSQL database (a no-op on SQLite, which the
    lock file covers by real path). Raises LockedError when another run holds it, DatabaseError
    when the database cannot be reached."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = advisory_key(site, keyword)
    try:
        connection = engine.connect()
        connection.execute(text("SELECT set_config('application_name', :name, false)"), {"name": _app_name()})
        is_held = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        connection.commit()
    except SQLAlchemyError as exc:
        raise database_error(engine.url, exc, action="cannot reach database") from exc
    if not is_held:
        holder = _advisory_holder(connection, key)
        connection.close()
        raise LockedError(f"another run is in progress on this database ({holder}; {site}/{keyword})")
    try:
        yield
    finally:
        with contextlib.suppress(SQLAlchemyError):  # a lost connection has dropped the lock already
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()
        with contextlib.suppress(SQLAlchemyError):
            connection.close()


def _app_name() -> str:
    return LOCK_APP_NAME.format(pid=os.getpid())


def _advisory_holder(connection: Connection, key: int) -> str:
    """Who holds the advisory lock `key`, as the holder's application name says (else unknown)."""
    query = text(
        "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND "
        "(l.classid::bigint << 32 | l.objid::bigint) = (:key)::bigint"
    )
    try:
        row = connection.execute(query, {"key": key}).first()
    except SQLAlchemyError:
        row = None
    if row is None or not row[0]:
        return "advisory lock held"
    return str(row[0]).removeprefix("job-salary-scraper lock ").replace("pid=", "PID ")


def _read_pid(fd: int) -> int | None:
    """The PID the holder wrote, or None while it has not written one yet."""
    try:
        text = os.pread(fd, MAX_PID_BYTES, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
