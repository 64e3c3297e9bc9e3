"""What the runs of one command share when it scrapes several sites one after another.

Each site gets a run of its own (`crawl.run`): its lock, run record, checkpoints and writer. This
module holds the outcome a run returns, how several combine into the command's outcome, and the
keyword a site's run lock is taken on (the first registered site's, Lagou's, is the keyword itself, so
a lock file from before sites existed still excludes it; another site's adds its name, so two cron jobs, one per
site, never lock each other out). Runs of two sites may then start together on a new database:
`schema_lock` makes their schema migrations take turns.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scraper.crawl.city_report import CityReport
from scraper.crawl.lock import LOCK_FILE_MODE, default_lock_path
from scraper.model.statuses import RunStatus
from scraper.sites import SITES

FIRST_SITE = next(iter(SITES))  # the registry's first, the one site there was: its lock keyword stays the bare keyword
# A combined outcome is the most serious of its runs', in this order.
_SERIOUSNESS = (RunStatus.OK, RunStatus.PARTIAL, RunStatus.TIMEOUT, RunStatus.INTERRUPTED, RunStatus.FAILED)


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """The result of a scrape: per-city reports, writer counts, the run's outcome and its id.

    For several sites: every site's reports, the last site's counts and run id, the most serious outcome.
    """

    reports: tuple[CityReport, ...]
    written: dict[str, tuple[int, int]]
    outcome: RunStatus
    run_id: int | None = None
    signal_exit: int | None = None  # 128 + the signal that stopped the run (130 SIGINT, 143 SIGTERM)

    @property
    def is_complete(self) -> bool:
        """True when every city reached its limit or the end of the site's pages."""
        return self.outcome is RunStatus.OK


def combine_outcomes(outcomes: Sequence[RunOutcome]) -> RunOutcome:
    """One outcome for the runs of several sites (the one run's own outcome when there is one)."""
    if len(outcomes) == 1:
        return outcomes[0]
    worst = max((o.outcome for o in outcomes), key=lambda s: _SERIOUSNESS.index(s) if s in _SERIOUSNESS else 0)
    reports = tuple(report for outcome in outcomes for report in outcome.reports)
    signal_exit = next((o.signal_exit for o in outcomes if o.signal_exit is not None), None)
    return RunOutcome(
        reports=reports,
        written=dict(outcomes[-1].written),
        outcome=worst,
        run_id=outcomes[-1].run_id,
        signal_exit=signal_exit,
    )


def lock_keyword(site: str, keyword: str) -> str:
    """The keyword a site's run lock is keyed on (see the module docstring)."""
    return keyword if site == FIRST_SITE else f"{keyword}\n{site}"


SCHEMA_LOCK_KEY = "\n(schema)"  # no keyword is this: a lock file of its own per database


@contextlib.contextmanager
def schema_lock(database_url: str, *, beside: Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the database's schema for the `with` block, waiting for another
    holder (a run of another site migrating the same new database) to finish first. The lock file
    sits beside the configured run lock file `beside` (`<name>.schema`), else where the run lock
    files go by default; like them it is never deleted."""
    if beside is not None:
        path = beside.with_name(beside.name + ".schema")
    else:
        path = default_lock_path(database_url, SCHEMA_LOCK_KEY)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, LOCK_FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # blocks: a migration takes a second at most
        yield
    finally:
        os.close(fd)  # closing drops the flock
