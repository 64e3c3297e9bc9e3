"""How a run stops: `--timeout` as a hard end, SIGINT/SIGTERM, and the second signal's fast exit.

`RunStop` holds the stop event every worker watches, the run's deadline and the signals received.
`wait_for_workers` joins the workers until they finish, the deadline passes or a signal comes;
then it gives them `STOP_GRACE_S` to end their page, kills the run's own browsers (which ends any
WebDriver call that still waits, even on a frozen chromedriver), waits `ABANDON_S` more and leaves
behind a worker that still does not end (its city counts as interrupted). So a stopped run is
over within a few seconds whatever the pages or the browsers do, and the writer then stores
everything it was given. A second signal skips the grace: browsers are killed at once and the
writer stops waiting for the database (what it cannot write is saved to a file).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from types import FrameType

from scraper.crawl.worker import CityWorker
from scraper.model.statuses import CityStatus

log = logging.getLogger(__name__)

JOIN_POLL_SECONDS = 0.2
STOP_GRACE_S = 3.0  # a page being read when the run stops may finish within this, then browsers die
ABANDON_S = 3.0  # after the kill, a worker still running is left behind (it is a daemon thread)
SIGNAL_EXIT_BASE = 128  # the shell's convention: killed by signal N exits 128 + N


class RunStop:
    """The stop event, the deadline (`timeout` seconds from now, 0 = none; or the `deadline` of a
    command that runs several sites) and the signals received.

    `kill_browsers` ends the run's own browser processes now; `on_repeat` runs on a second signal
    (the writer stops waiting for the database). Both may be set after construction.
    """

    def __init__(self, *, timeout: float, deadline: float | None = None) -> None:
        self.event = threading.Event()
        self.fast = threading.Event()  # a second signal: no more grace anywhere
        self.deadline = deadline if deadline is not None else self.deadline_after(timeout)
        self.timeout = timeout
        self.is_timed_out = False
        self.signals: list[signal.Signals] = []
        self.kill_browsers: Callable[[], int] = lambda: 0
        self.on_repeat: Callable[[], None] = lambda: None

    @staticmethod
    def deadline_after(timeout: float) -> float | None:
        """The monotonic time `timeout` seconds from now (None for 0: no limit)."""
        return time.monotonic() + timeout if timeout > 0 else None

    @property
    def exit_code(self) -> int | None:
        """128 + the first signal's number when a signal stopped the run, else None."""
        return SIGNAL_EXIT_BASE + int(self.signals[0]) if self.signals else None

    def check_deadline(self) -> None:
        """Set the stop event (once) when the deadline has passed."""
        if self.deadline is not None and not self.is_timed_out and time.monotonic() >= self.deadline:
            log.warning("--timeout of %.0f s reached; stopping the run", self.timeout)
            self.is_timed_out = True
            self.event.set()

    def on_signal(self, signum: int, _frame: FrameType | None = None) -> None:
        """The SIGINT/SIGTERM handler: stop; a second signal stops at once (see the module docstring)."""
        self.signals.append(signal.Signals(signum))
        self.event.set()
        if len(self.signals) > 1 and not self.fast.is_set():
            log.warning("second %s: killing the browsers and stopping now", self.signals[-1].name)
            self.fast.set()
            self.kill_browsers()
            self.on_repeat()


@contextlib.contextmanager
def signals_stop(stop: RunStop) -> Iterator[None]:
    """Route SIGTERM/SIGINT to `stop.on_signal` inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, stop.on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def wait_for_workers(workers: Sequence[CityWorker], stop: RunStop) -> None:
    """Join `workers` until they end or the run stops, then end them within seconds (see above)."""
    while _join_some(workers, None):
        stop.check_deadline()
        if stop.event.is_set():
            break
    if not _alive(workers):
        return
    if not stop.fast.is_set():
        _join_some(workers, time.monotonic() + STOP_GRACE_S, stop=stop)
    if _alive(workers):
        killed = stop.kill_browsers()
        log.warning("%d worker(s) still busy after the stop; killed %d browser(s)", len(_alive(workers)), killed)
        _join_some(workers, time.monotonic() + ABANDON_S)
    for worker in _alive(workers):
        log.error("%s: the worker did not end; leaving it behind", worker.city)
        worker.report.status = CityStatus.INTERRUPTED


def _alive(workers: Sequence[CityWorker]) -> list[CityWorker]:
    return [worker for worker in workers if worker.is_alive()]


def _join_some(workers: Sequence[CityWorker], until: float | None, *, stop: RunStop | None = None) -> bool:
    """Join live workers for one poll (`until` None) or until `until`; True while any is alive."""
    while True:
        alive = _alive(workers)
        if not alive:
            return False
        alive[0].join(JOIN_POLL_SECONDS / len(alive))
        if until is None:
            return True
        if time.monotonic() >= until or (stop is not None and stop.fast.is_set()):
            return bool(_alive(workers))
