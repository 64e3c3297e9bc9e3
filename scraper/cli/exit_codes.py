"""The process exit codes, in one place: what `main()` returns and the README's table documents."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of `python -m scraper`. Scripts and cron wrappers may rely on them."""

    OK = 0  # every city done or exhausted; other commands succeeded
    PARTIAL = 1  # a city parked or failed, interrupted, timed out, or unwritten data
    USAGE = 2  # bad arguments or settings; nothing started
    NO_BROWSER = 3  # no usable chromedriver, browser binary or WebDriver endpoint; nothing scraped
    NO_DATABASE = 4  # the database cannot be reached, created or migrated; nothing scraped
    SOFTWARE = 70  # an unexpected error: a bug (EX_SOFTWARE); one line, --traceback for the details
    LOCKED = 75  # another run holds the lock (EX_TEMPFAIL); this run did nothing
    INTERRUPTED = 130  # stopped by SIGINT (Ctrl-C): 128 + 2; what was scraped is stored, the next run resumes
    TERMINATED = 143  # stopped by SIGTERM: 128 + 15; as INTERRUPTED
