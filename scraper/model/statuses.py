"""The words a run and a city end with, as the `runs` table, `status` and the end table show them."""

from __future__ import annotations

from enum import StrEnum


class CityStatus(StrEnum):
    """How one city's worker ended."""

    PENDING = "pending"  # not ended yet
    DONE = "done"  # the limit was reached
    EXHAUSTED = "exhausted"  # the site ran out of pages
    PARKED = "parked"  # blocked too often in a row
    FAILED = "failed"  # an error ended it
    INTERRUPTED = "interrupted"  # a stop was requested

    @property
    def is_finished(self) -> bool:
        """Whether the city's crawl is complete (nothing of it is left for a later run)."""
        return self in (CityStatus.DONE, CityStatus.EXHAUSTED)


class RunStatus(StrEnum):
    """A run's outcome."""

    RUNNING = "running"  # recorded at the start; stays so only if the process died
    OK = "ok"  # every city done or exhausted
    PARTIAL = "partial"  # a city parked or failed
    INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM
    TIMEOUT = "timeout"  # --timeout reached
    FAILED = "failed"  # the writer gave up: postings were saved to a file instead
    CRASHED = "crashed"  # found still `running` by a later run of this host and keyword
