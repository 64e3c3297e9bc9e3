"""The scrape run: wire settings, database, writer, sandbox and workers together, then report.

This is the one place where components are built and connected (dependencies are passed in,
nothing is a module-level singleton). A run: migrate the schema, record the run, build the
single writer thread and one worker thread (one browser) per city, run them to the end, settle
each city's crawl, record the outcome (`crawl.run_record`) and print one line per city. Ctrl-C /
SIGTERM set the stop event: workers finish or abandon their page, the writer writes everything
it was given, browsers quit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import FrameType
from typing import TextIO

from sqlalchemy import Engine

from db.checkpoints import CrawlState
from db.engine import make_engine, upgrade_schema
from scraper.browser.handle import Browser
from scraper.browser.local import BrowserConfig, LocalBrowser, choose_browser, find_chromedriver
from scraper.common.backoff import RetryPolicy
from scraper.common.errors import UnwrittenDataError
from scraper.crawl.city_report import CityReport
from scraper.crawl.lock import RunLock
from scraper.crawl.plan import open_crawls, page_source, settle_crawls, site_host
from scraper.crawl.run_record import (
    decide_status,
    finish_run_record,
    format_city_line,
    save_unwritten,
    start_run_record,
)
from scraper.crawl.site_runs import RunOutcome, combine_outcomes, lock_keyword, schema_lock
from scraper.crawl.snapshots import SnapshotStore
from scraper.crawl.worker import CityWorker, ProgressCallback, WorkerPolicy
from scraper.crawl.writer import JobWriter
from scraper.settings import Settings
from scraper.sites import SiteAdapter, get_site

log = logging.getLogger(__name__)

JOIN_POLL_SECONDS = 0.2
ENDPOINT_CHECK_TIMEOUT = 10.0


@contextlib.contextmanager
def _site_root(settings: Settings, site: str) -> Iterator[str]:
    """The base URL to scrape `site` at: the configured one, or its replica started for this run."""
    if not settings.sandbox:
        yield settings.root_for(site)
        return
    from scraper.sandbox.replicas import serve_replica  # only the sandbox run needs a replica

    with serve_replica(site, day=settings.sandbox_day, render_delay=settings.sandbox_render_delay) as root:
        log.info("sandbox replica of %s (day %d) serving at %s", site, settings.sandbox_day, root)
        yield root


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
    """Scrape every configured city of every configured site (one site after another, each a run of
    its own) into the database and print one line per city to `out` (under a site line for several).

    Raises LockedError at once when another run holds the lock; ConfigError, DriverError or
    DatabaseError before any browser starts when the configuration, the chromedriver or the
    database is unusable.
    """
    outcomes = []
    for name in settings.sites:
        if len(settings.sites) > 1:
            out.write(f"{name}:\n")
        site = get_site(name)
        if settings.is_shared:
            # Shared runs coordinate through row locks in PostgreSQL, so they may overlap on purpose.
            outcomes.append(_run_locked(settings, site, out=out, on_progress=on_progress))
            continue
        keyword = lock_keyword(name, settings.keyword)
        lock = RunLock(settings.lock_file) if settings.lock_file else RunLock.for_run(settings.database_url, keyword)
        with lock:
            outcomes.append(_run_locked(settings, site, out=out, on_progress=on_progress))
    return combine_outcomes(outcomes)


def _browser_factory(settings: Settings, stop: threading.Event, site: str) -> Callable[[], Browser]:
    """How workers start browsers: remote endpoints when configured, else local Chromium.

    Checks the chromedriver or the endpoints now, so a missing driver fails before the run starts.
    """
    if settings.webdriver_endpoints:
        from scraper.browser.remote import RemoteConfig, check_endpoints, remote_browser_factory

        check_endpoints(settings.webdriver_endpoints, timeout=ENDPOINT_CHECK_TIMEOUT)
        config = RemoteConfig(
            page_load_timeout=settings.page_load_timeout,
            session_attempts=settings.max_retries + 1,
            backoff=settings.backoff,
            browser=settings.browser,
            site_host=site_host(settings, site),
        )
        return remote_browser_factory(settings.webdriver_endpoints, config, stop=stop)
    binary, is_shell = choose_browser(settings.browser, settings.chrome_binary)
    browser = BrowserConfig(
        chromedriver=find_chromedriver(settings.chromedriver),
        chrome_binary=binary,
        page_load_timeout=settings.page_load_timeout,
        is_headless_shell=is_shell,
        site_host=site_host(settings, site),
    )
    log.info(
        "browser: %s (%s)",
        binary or "found by chromedriver",
        "headless shell" if is_shell else "Chromium, --headless=new",
    )
    # Browsers start one at a time: on 2 cores four Chromium start-ups at once take 3-7 s before
    # any page loads, one after another they take about 0.8 s each and the first city starts at once.
    start_gate = threading.Lock()

    def start_local() -> LocalBrowser:
        with start_gate:
            return LocalBrowser(browser)

    return start_local


def _run_locked(
    settings: Settings, site: SiteAdapter, *, out: TextIO, on_progress: ProgressCallback | None
) -> RunOutcome:
    """The run of one site, once its lock is held (see `run_scrape`): the steps in the module docstring."""
    stop = threading.Event()
    start_browser = _browser_factory(settings, stop, site.name)
    engine = make_engine(settings.database_url)
    try:
        with schema_lock(settings.database_url, beside=settings.lock_file):  # another site's run may be migrating
            upgrade_schema(engine)
        run_id, crawls = _open_run(engine, settings, site=site)
        writer = JobWriter(
            engine=engine,
            site=site.name,
            keyword=settings.keyword,
            limit=settings.limit,
            retry=RetryPolicy(give_up_after=settings.db_retry_seconds),
            run_id=run_id,
        )
        with _site_root(settings, site.name) as base_url, _stop_on_signals(stop, on_repeat=writer.abort) as signals:
            workers = _build_workers(
                settings,
                crawls,
                site=site,
                base_url=base_url,
                writer=writer,
                start_browser=start_browser,
                stop=stop,
                on_progress=on_progress,
            )
            is_timed_out = _run_threads(workers, writer, stop, timeout=settings.timeout)
        reports = tuple(worker.report for worker in workers)
        if writer.error is None:
            reports = settle_crawls(engine, settings, crawls, reports, run_id=run_id)
        stops = {"is_interrupted": bool(signals), "is_timed_out": is_timed_out}
        status = decide_status(reports, **stops, writer_error=writer.error, has_set_aside=bool(writer.set_aside))
        finish_run_record(engine, run_id, reports=reports, written=writer.counts, status=status, ended_at=_now())
    finally:
        engine.dispose()
    _print_city_lines(out, reports, writer.counts)
    if writer.error is not None or writer.set_aside:
        dump = save_unwritten(writer.unwritten + writer.set_aside, settings.snapshot_dir)
        if writer.error is not None:
            raise UnwrittenDataError(f"{writer.error}; {len(writer.unwritten)} postings were saved to {dump} instead")
        log.error("%d postings the database refused were saved to %s instead", len(writer.set_aside), dump)
    return RunOutcome(reports=reports, written=dict(writer.counts), outcome=status, run_id=run_id)


def _open_run(engine: Engine, settings: Settings, *, site: SiteAdapter) -> tuple[int, dict[str, CrawlState]]:
    """Record the run's start and open (or resume) every city's crawl, in one transaction."""
    started = _now()
    with engine.begin() as conn:
        run_id = start_run_record(conn, settings, started_at=started, site=site.name)
        crawls = open_crawls(conn, settings, site=site.name, max_pages=site.max_pages, now=started)
    return run_id, crawls


def _build_workers(
    settings: Settings,
    crawls: Mapping[str, CrawlState],
    *,
    site: SiteAdapter,
    base_url: str,
    writer: JobWriter,
    start_browser: Callable[[], Browser],
    stop: threading.Event,
    on_progress: ProgressCallback | None,
) -> list[CityWorker]:
    """One worker per city, sharing the policy, the snapshot store and the writer (not yet started)."""
    keep = settings.snapshot_keep
    snapshots = SnapshotStore(settings.snapshot_dir, keep=keep, site=site.name) if keep else None
    policy = WorkerPolicy(
        limit=settings.limit,
        delay=settings.delay,
        max_blocks=settings.max_blocks,
        max_retries=settings.max_retries,
        backoff=settings.backoff,
        rate_window=settings.rate_window,
    )
    return [
        CityWorker(
            city=city,
            keyword=settings.keyword,
            base_url=base_url,
            site=site,
            pages=page_source(settings, crawl, max_pages=site.max_pages, call=writer.call),
            policy=policy,
            start_browser=start_browser,
            submit=writer.submit,
            stop=stop,
            snapshots=snapshots,
            on_progress=on_progress,
            crawl_id=crawl.crawl_id,
            resumed_keys=crawl.accepted_keys,
            is_site_exhausted=crawl.last_page_seen,
        )
        for city, crawl in crawls.items()
    ]


def _run_threads(workers: list[CityWorker], writer: JobWriter, stop: threading.Event, *, timeout: float) -> bool:
    """Start the writer and the workers and wait for the workers; then stop everything and let the
    writer store what it was given. True when `timeout` (seconds, 0 = none) ended the run."""
    writer.start()
    try:
        for worker in workers:
            worker.start()
        return _wait_for(workers, stop, timeout=timeout)
    finally:
        stop.set()
        writer.close()
        writer.join()


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


def _print_city_lines(out: TextIO, reports: tuple[CityReport, ...], written: Mapping[str, tuple[int, int]]) -> None:
    for report in reports:
        out.write(format_city_line(report, written.get(report.city, (0, 0))) + "\n")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
