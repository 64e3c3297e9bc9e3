"""The scrape run: wire settings, database, writer, sandbox and workers together, then report.

This is the one place where components are built and connected (dependencies are passed in,
nothing is a module-level singleton). A run: migrate the schema, record the run, build the
single writer thread and one worker thread (one browser) per city, run them to the end, settle
each city's crawl, record the outcome (`crawl.run_record`) and print one line per city. The
database is checked (reachable, migrated, writable, locked) and the leftovers of dead runs are
ended before any browser starts. Ctrl-C / SIGTERM and `--timeout` stop the run within seconds
(`crawl.shutdown`): workers finish or abandon their page, the writer writes everything it was
given, browsers quit or are killed. `--timeout` bounds the whole command, all sites together.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TextIO

from sqlalchemy import Engine

from db.checkpoints import CrawlState
from db.engine import check_writable, make_engine, upgrade_schema
from scraper.browser.handle import Browser
from scraper.browser.processes import Lifeline, end_leftovers
from scraper.common.backoff import RetryPolicy
from scraper.common.errors import UnwrittenDataError
from scraper.crawl.browsers import browser_factory
from scraper.crawl.city_report import CityReport
from scraper.crawl.lock import RunLock, database_lock
from scraper.crawl.plan import open_crawls, page_source, settle_crawls
from scraper.crawl.run_record import (
    decide_status,
    finish_run_record,
    format_city_line,
    save_unwritten,
    start_run_record,
)
from scraper.crawl.shutdown import RunStop, signals_stop, wait_for_workers
from scraper.crawl.site_runs import RunOutcome, combine_outcomes, lock_keyword, schema_lock
from scraper.crawl.snapshots import SnapshotStore
from scraper.crawl.worker import CityWorker, ProgressCallback, WorkerPolicy
from scraper.crawl.writer import JobWriter
from scraper.settings import Settings
from scraper.sites import SiteAdapter, get_site

log = logging.getLogger(__name__)


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


def run_scrape(settings: Settings, *, out: TextIO, on_progress: ProgressCallback | None = None) -> RunOutcome:
    """Scrape every configured city of every configured site (one site after another, each a run of
    its own) into the database and print one line per city to `out` (under a site line for several).

    Raises LockedError at once when another run holds the lock (the lock file, or on PostgreSQL
    the advisory lock of the site and keyword); ConfigError, DriverError or DatabaseError before
    any browser starts when the configuration, the chromedriver or the database is unusable.
    """
    deadline = RunStop.deadline_after(settings.timeout)
    outcomes = []
    with contextlib.ExitStack() as held:
        lifeline = Lifeline()
        held.callback(lifeline.close)
        held.callback(lifeline.kill_all)  # nothing, normally: every worker quit its browser
        engine = make_engine(settings.database_url)
        held.callback(engine.dispose)
        for name in settings.sites:
            if len(settings.sites) > 1:
                out.write(f"{name}:\n")
            stop = RunStop(timeout=settings.timeout, deadline=deadline)
            site = get_site(name)
            outcomes.append(_run_site(settings, site, engine, lifeline, stop=stop, out=out, on_progress=on_progress))
            if stop.signals or stop.is_timed_out:
                break  # the command is over: the other sites wait for the next run
    return combine_outcomes(outcomes)


def _run_site(
    settings: Settings,
    site: SiteAdapter,
    engine: Engine,
    lifeline: Lifeline,
    *,
    stop: RunStop,
    out: TextIO,
    on_progress: ProgressCallback | None,
) -> RunOutcome:
    """One site's run: its locks, the database checks, then the run itself (`_run_locked`)."""
    with contextlib.ExitStack() as held:
        if not settings.is_shared:  # shared runs coordinate through row locks, overlapping on purpose
            keyword = lock_keyword(site.name, settings.keyword)
            held.enter_context(
                RunLock(settings.lock_file) if settings.lock_file else RunLock.for_run(settings.database_url, keyword)
            )
        start_browser, browser_name = browser_factory(settings, stop, lifeline, site.name)
        # The database is checked before the browser is even named: a database that cannot be
        # reached, written or locked fails with one line and no browser ever starts.
        if not settings.is_shared:
            held.enter_context(database_lock(engine, site=site.name, keyword=settings.keyword))
        with schema_lock(settings.database_url, beside=settings.lock_file):  # another site's run may be migrating
            upgrade_schema(engine)
        check_writable(engine)
        if browser_name:
            log.info("browser: %s", browser_name)
        end_leftovers()
        return _run_locked(
            settings, site, engine, stop=stop, start_browser=start_browser, out=out, on_progress=on_progress
        )
    raise AssertionError("unreachable")  # ExitStack does not swallow exceptions here


def _run_locked(
    settings: Settings,
    site: SiteAdapter,
    engine: Engine,
    *,
    stop: RunStop,
    start_browser: Callable[[], Browser],
    out: TextIO,
    on_progress: ProgressCallback | None,
) -> RunOutcome:
    """The run of one site, once its locks are held and the database checked (see `_run_site`)."""
    run_id, crawls = _open_run(engine, settings, site=site)
    writer = JobWriter(
        engine=engine,
        site=site.name,
        keyword=settings.keyword,
        limit=settings.limit,
        retry=RetryPolicy(give_up_after=settings.db_retry_seconds),
        run_id=run_id,
    )
    stop.on_repeat = writer.abort
    with signals_stop(stop):
        with _site_root(settings, site.name) as base_url:
            workers = _build_workers(
                settings,
                crawls,
                site=site,
                base_url=base_url,
                writer=writer,
                start_browser=start_browser,
                stop=stop.event,
                on_progress=on_progress,
            )
            _run_threads(workers, writer, stop)
        reports = tuple(worker.report for worker in workers)
        if writer.error is None:
            reports = settle_crawls(engine, settings, crawls, reports, run_id=run_id)
        stops = {"is_interrupted": bool(stop.signals), "is_timed_out": stop.is_timed_out}
        status = decide_status(reports, **stops, writer_error=writer.error, has_set_aside=bool(writer.set_aside))
        finish_run_record(engine, run_id, reports=reports, written=writer.counts, status=status, ended_at=_now())
    _print_city_lines(out, reports, writer.counts)
    if writer.error is not None or writer.set_aside:
        dump = save_unwritten(writer.unwritten + writer.set_aside, settings.snapshot_dir)
        if writer.error is not None:
            raise UnwrittenDataError(f"{writer.error}; {len(writer.unwritten)} postings were saved to {dump} instead")
        log.error("%d postings the database refused were saved to %s instead", len(writer.set_aside), dump)
    signal_exit = stop.exit_code
    return RunOutcome(
        reports=reports, written=dict(writer.counts), outcome=status, run_id=run_id, signal_exit=signal_exit
    )


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


def _run_threads(workers: list[CityWorker], writer: JobWriter, stop: RunStop) -> None:
    """Start the writer and the workers and wait for the workers (`crawl.shutdown`); then stop
    everything and let the writer store what it was given."""
    writer.start()
    try:
        for worker in workers:
            worker.start()
        wait_for_workers(workers, stop)
    finally:
        stop.event.set()
        writer.close()
        writer.join()


def _print_city_lines(out: TextIO, reports: tuple[CityReport, ...], written: Mapping[str, tuple[int, int]]) -> None:
    for report in reports:
        out.write(format_city_line(report, written.get(report.city, (0, 0))) + "\n")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
