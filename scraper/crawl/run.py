"""The scrape run: wire settings, database, writer, sandbox and workers together, then report.

This is the one place where components are built and connected (dependencies are passed in,
nothing is a module-level singleton). A run: migrate the schema, record the run, start the
single writer thread, start one worker thread (one browser) per city, wait, flush the writer,
record per-city outcomes and print one line per city. Ctrl-C / SIGTERM set the stop event:
workers finish or abandon their page, the writer writes everything it was given, browsers quit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import SQLAlchemyError

from db.engine import make_engine, mask_url, upgrade_schema
from db.queries import RUNS, finish_run, start_run
from db.shared_queue import posting_to_json
from scraper.browser.local import BrowserConfig, ManagedDriver, choose_browser, find_chromedriver
from scraper.crawl.lock import RunLock
from scraper.crawl.plan import FINISHED_STATUSES, open_crawls, page_source, settle_crawls
from scraper.crawl.snapshots import SnapshotStore
from scraper.crawl.worker import CityReport, CityWorker, DriverHandle, ProgressCallback, WorkerPolicy
from scraper.crawl.writer import JobWriter, RetryPolicy
from scraper.model.errors import UnwrittenDataError
from scraper.model.postings import Posting
from scraper.settings import Settings
from scraper.sites import get_site

log = logging.getLogger(__name__)

JOIN_POLL_SECONDS = 0.2
ENDPOINT_CHECK_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """The result of a scrape: per-city reports, writer counts and the run's outcome."""

    reports: tuple[CityReport, ...]
    written: dict[str, tuple[int, int]]
    outcome: str

    @property
    def is_complete(self) -> bool:
        """True when every city reached its limit or the end of the site's pages."""
        return self.outcome == "ok"


@contextlib.contextmanager
def _site_root(settings: Settings) -> Iterator[str]:
    """The base URL to scrape: the configured one, or a replica started for this run."""
    if not settings.sandbox:
        yield settings.base_url
        return
    from scraper.sandbox.server import ReplicaServer  # only the sandbox run needs the replica

    with ReplicaServer() as server:
        log.info("sandbox replica serving at %s", server.base_url)
        yield server.base_url


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event, *, on_repeat: Callable[[], None]) -> Iterator[list[str]]:
    """Turn SIGTERM/SIGINT into the stop event while the run is in progress (main thread only).

    A second signal also calls `on_repeat` (stop waiting for the database), so a run stuck in
    an outage still ends promptly; what could not be written is saved to a file.
    """
    received: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()
        if len(received) > 1:
            on_repeat()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_scrape(settings: Settings, *, out: TextIO, on_progress: ProgressCallback | None = None) -> RunOutcome:
    """Scrape every configured city into the database and print one line per city to `out`.

    Raises LockedError at once when another run holds the lock; ConfigError, DriverError or
    DatabaseError before any browser starts when the configuration, the chromedriver or the
    database is unusable.
    """
    if settings.lock_file:
        lock = RunLock(settings.lock_file)
    else:
        lock = RunLock.for_run(settings.database_url, settings.keyword)
    if settings.is_shared:
        # Shared runs coordinate through row locks in PostgreSQL, so they may overlap on purpose.
        return _run_locked(settings, out=out, on_progress=on_progress)
    with lock:
        return _run_locked(settings, out=out, on_progress=on_progress)


def _driver_factory(settings: Settings, stop: threading.Event) -> Callable[[], DriverHandle]:
    """How workers start browsers: remote endpoints when configured, else local Chromium.

    Checks the chromedriver or the endpoints now, so a missing driver fails before the run starts.
    """
    if settings.webdriver_endpoints:
        from scraper.browser.remote import RemoteConfig, check_endpoints, remote_driver_factory

        check_endpoints(settings.webdriver_endpoints, timeout=ENDPOINT_CHECK_TIMEOUT)
        config = RemoteConfig(page_load_timeout=settings.page_load_timeout,
                              session_attempts=settings.max_retries + 1, backoff=settings.backoff)
        return remote_driver_factory(settings.webdriver_endpoints, config, stop=stop)
    binary, is_shell = choose_browser(settings.browser, settings.chrome_binary)
    browser = BrowserConfig(
        chromedriver=find_chromedriver(settings.chromedriver),
        chrome_binary=binary,
        page_load_timeout=settings.page_load_timeout,
        is_headless_shell=is_shell,
    )
    log.info("browser: %s (%s)", binary or "found by chromedriver",
             "headless shell" if is_shell else "Chromium, --headless=new")
    # Browsers start one at a time: on 2 cores four Chromium start-ups at once take 3-7 s before
    # any page loads, one after another they take about 0.8 s each and the first city starts at once.
    start_gate = threading.Lock()

    def start_local() -> ManagedDriver:
        with start_gate:
            return ManagedDriver(browser)

    return start_local


def _run_locked(settings: Settings, *, out: TextIO, on_progress: ProgressCallback | None) -> RunOutcome:
    stop = threading.Event()
    start_driver = _driver_factory(settings, stop)
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    site = get_site("lagou")
    started = _now()
    with engine.begin() as conn:
        if not settings.is_shared:
            mark_crashed_runs(conn, host=socket.gethostname(), keyword=settings.keyword)
        run_id = start_run(conn, arguments=_run_arguments(settings), started_at=started)
        crawls = open_crawls(conn, settings, site=site.name, max_pages=site.max_pages, now=started)
    snapshots = SnapshotStore(settings.snapshot_dir, keep=settings.snapshot_keep) if settings.snapshot_keep else None
    writer = JobWriter(engine=engine, site=site.name, keyword=settings.keyword, limit=settings.limit,
                       retry=RetryPolicy(give_up_after=settings.db_retry_seconds))
    policy = WorkerPolicy(limit=settings.limit, delay=settings.delay, max_blocks=settings.max_blocks,
                          max_retries=settings.max_retries, backoff=settings.backoff,
                          rate_window=settings.rate_window)
    with _site_root(settings) as base_url, _stop_on_signals(stop, on_repeat=writer.abort) as signals:
        writer.start()
        workers = [
            CityWorker(
                city=city, keyword=settings.keyword, base_url=base_url, site=site,
                pages=page_source(settings, crawl, max_pages=site.max_pages, call=writer.call), policy=policy,
                start_driver=start_driver, submit=writer.submit, stop=stop,
                snapshots=snapshots, on_progress=on_progress,
                crawl_id=crawl.crawl_id, resumed_keys=crawl.accepted_keys, is_site_exhausted=crawl.last_page_seen,
            )
            for city, crawl in crawls.items()
        ]
        try:
            for worker in workers:
                worker.start()
            timed_out = _wait_for(workers, stop, timeout=settings.timeout)
        finally:
            stop.set()
            writer.close()
            writer.join()
    reports = tuple(worker.report for worker in workers)
    if writer.error is None:
        settle_crawls(engine, settings, crawls, reports)
    outcome = _outcome(reports, interrupted=bool(signals), timed_out=timed_out, writer_error=writer.error)
    try:
        with engine.begin() as conn:
            finish_run(conn, run_id, ended_at=_now(), city_counts=_city_counts(reports, writer.counts),
                       outcome=outcome)
    except SQLAlchemyError as exc:  # the database may still be down; the city lines and the dump remain
        log.error("could not record the end of run %d: %s", run_id, type(exc).__name__)
    engine.dispose()
    for report in reports:
        out.write(format_city_line(report, writer.counts.get(report.city, (0, 0))) + "\n")
    if writer.error is not None:
        dump = save_unwritten(writer.unwritten, settings.snapshot_dir)
        raise UnwrittenDataError(f"{writer.error}; {len(writer.unwritten)} postings were saved to {dump} instead")
    return RunOutcome(reports=reports, written=dict(writer.counts), outcome=outcome)


def save_unwritten(postings: Sequence[Posting], folder: Path) -> Path:
    """Write postings the database did not take to `folder/unwritten-<UTC time>.jsonl`, one per line."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"unwritten-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for posting in postings:
            file.write(json.dumps(posting_to_json(posting), ensure_ascii=False) + "\n")
    return path


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _wait_for(workers: list[CityWorker], stop: threading.Event, *, timeout: float) -> bool:
    """Join the workers; with a timeout (seconds, 0 = none) set `stop` when it passes. True if it did."""
    deadline = time.monotonic() + timeout if timeout > 0 else None
    timed_out = False
    for worker in workers:
        while worker.is_alive():
            worker.join(JOIN_POLL_SECONDS)
            if deadline is not None and not timed_out and time.monotonic() >= deadline:
                log.warning("--timeout of %.0f s reached; stopping the run", timeout)
                timed_out = True
                stop.set()
    return timed_out


def _outcome(
    reports: tuple[CityReport, ...], *, interrupted: bool, timed_out: bool, writer_error: BaseException | None
) -> str:
    if interrupted:
        return "interrupted"
    if timed_out:
        return "timeout"
    if writer_error is not None:
        return "failed"
    return "ok" if all(r.status in FINISHED_STATUSES for r in reports) else "partial"


def _run_arguments(settings: Settings) -> dict[str, object]:
    return {
        "cities": list(settings.cities), "limit": settings.limit, "keyword": settings.keyword,
        "base_url": settings.base_url, "delay": settings.delay, "sandbox": settings.sandbox,
        "database_url": mask_url(settings.database_url), "host": socket.gethostname(), "pid": os.getpid(),
    }


def mark_crashed_runs(conn: Connection, *, host: str, keyword: str) -> None:
    """Mark this host's runs of `keyword` still recorded as running as `crashed`.

    We hold the run lock of this database and keyword on this host, so such a run was killed
    (kill -9, power loss); runs of other hosts or keywords may be alive and are left alone.
    """
    running = conn.execute(select(RUNS.c.id, RUNS.c.arguments).where(RUNS.c.outcome == "running")).all()
    dead = [row.id for row in running
            if (row.arguments or {}).get("host") == host and (row.arguments or {}).get("keyword") == keyword]
    if dead:
        conn.execute(update(RUNS).where(RUNS.c.id.in_(dead)).values(outcome="crashed"))


def _city_counts(reports: tuple[CityReport, ...], written: Mapping[str, tuple[int, int]]) -> dict[str, object]:
    return {
        r.city: {"status": r.status, "reason": r.reason, "postings": r.postings, "pages": r.pages,
                 "blocks": r.blocks, "retries": r.retries, "new": written.get(r.city, (0, 0))[0],
                 "repeated": written.get(r.city, (0, 0))[1], "errors": dict(r.errors)}
        for r in reports
    }


def format_city_line(report: CityReport, written: tuple[int, int]) -> str:
    """One result line for a city, e.g. `北京: done, 100 postings (100 new), 7 pages, 0 blocks`."""
    new, repeated = written
    line = (f"{report.city}: {report.status}, {report.postings} postings ({new} new, {repeated} seen before), "
            f"{report.pages} pages, {report.blocks} blocks")
    return f"{line} — {report.reason}" if report.reason else line
