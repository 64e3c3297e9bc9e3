"""The exception hierarchy. The type says what the runner does with the failure.

- `ConfigError`: bad CLI arguments, settings or environment; exit 2 before anything starts.
- `BlockedError`: the site refused the page; cool down, clear cookies, retry, park the city.
- `LayoutChangedError`: the page has no readable job data (or, `WrongAnswerError`, another query's);
  snapshot it, count it, load it once more, then stop the city with its crawl left open.
- `TransientError`: a fault that may pass (timeout, HTTP 5xx, crashed browser); retry with backoff.
- `DatabaseError`: the database cannot be reached or written.
- `DriverError`: no browser or WebDriver could be started.
- `LockedError`: another run holds the lock; exit 75 at once.

Every error type the tool raises on purpose lives here; the CLI maps them to exit codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports this module (ConfigError); a runtime import would be a cycle
    from scraper.model.postings import Block


class ScraperError(Exception):
    """Base of every error this tool raises on purpose; its message is one line for users."""


class ConfigError(ScraperError):
    """Invalid configuration or arguments. Raised before any browser or database starts."""


class BlockedError(ScraperError):
    """The site answered with a block page instead of the listing."""

    def __init__(self, block: Block, url: str = "") -> None:
        super().__init__(f"blocked ({block.kind}){': ' + block.detail if block.detail else ''}")
        self.block = block
        self.url = url


class LayoutChangedError(ScraperError):
    """The page loaded but no job data could be read from it."""

    snapshot_reason = "no_job_data"


class WrongAnswerError(LayoutChangedError):
    """The page holds job data, but not for the query (every job names another city, or a mangled one).

    Treated like a changed layout (snapshot, count, load once more, then fail the city), never as data.
    """

    snapshot_reason = "wrong_answer"


class TransientError(ScraperError):
    """A fault that may pass on retry: timeouts, HTTP 5xx, a crashed browser."""


class IncompletePageError(TransientError):
    """The page arrived cut short (a dropped connection mid-body); loading it again may work."""


class DatabaseError(ScraperError):
    """The database could not be reached, migrated or written."""


class UnwrittenDataError(ScraperError):
    """The database stayed unreachable: some postings were saved to a file instead (exit 1)."""


class UsageError(ConfigError):
    """Bad command-line syntax (argparse's complaint, as one line)."""


class LockedError(ScraperError):
    """Another process holds the run lock; this run must not start (exit code 75)."""


class BrowserCrashedError(TransientError):
    """The browser or chromedriver died; the worker must start a new driver."""


class CityParkedError(ScraperError):
    """The city was blocked `max_blocks` times in a row; it stops while others go on."""


class StopRequestedError(ScraperError):
    """The run is shutting down."""


class DriverError(ScraperError):
    """No usable browser or WebDriver could be started."""
