"""The CLI boundary: what becomes of an exception that reaches `main()`.

A known failure (`ScraperError`) gets the exit code its type stands for; an unexpected one (a bug)
one line on stderr, or its traceback with `--traceback`, and 70; a reader of stdout that left
early (`| head -1`) is a normal end, told apart from other broken pipes by polling stdout.
"""

from __future__ import annotations

import os
import select
import traceback
from typing import TextIO

from scraper.cli.exit_codes import ExitCode
from scraper.common.errors import ConfigError, DatabaseError, DriverError, LockedError, ScraperError

# The first matching type decides: a failure's type says what it means for the exit code.
_ERROR_EXIT_CODES: tuple[tuple[type[ScraperError], ExitCode], ...] = (
    (ConfigError, ExitCode.USAGE),
    (DriverError, ExitCode.NO_BROWSER),
    (DatabaseError, ExitCode.NO_DATABASE),
    (LockedError, ExitCode.LOCKED),
)


def exit_code_for(exc: ScraperError) -> ExitCode:
    """The exit code of a known failure: its type's entry above, else PARTIAL."""
    return next((code for kind, code in _ERROR_EXIT_CODES if isinstance(exc, kind)), ExitCode.PARTIAL)


def report_unexpected(exc: BaseException, err: TextIO, *, show_traceback: bool) -> int:
    """One line on `err` naming the error (its traceback with `show_traceback`); returns SOFTWARE (70)."""
    if show_traceback:
        traceback.print_exception(exc, file=err)
    else:
        err.write(f"error: unexpected {type(exc).__name__}: {exc} (run with --traceback for details)\n")
    return int(ExitCode.SOFTWARE)


def is_reader_gone(out: TextIO) -> bool:
    """True when `out` is a pipe whose reading end is closed (poll reports an error on it)."""
    try:
        fd = out.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation is both: a StringIO, a closed file
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _fd, events in poller.poll(0))


def silence(out: TextIO) -> None:
    """Point `out`'s file descriptor at /dev/null, so pending and later writes vanish."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, out.fileno())
    finally:
        os.close(devnull)
