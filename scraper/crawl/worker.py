"""City workers: one thread and one browser per city, pulling that city's page numbers from a queue.

A worker loads a listing page, asks the site adapter whether it is a block page, parses it,
keeps the first `limit` unique postings in listing order and hands each page's postings to the
writer. It owns its WebDriver from start to `quit()` and never shares it. Failures stop at the
worker boundary. Blocks (the site's, HTTP 429/503 and off-site redirects: `crawl.http_signals`)
clear cookies, back off (at least the Retry-After asked for, capped), slow the worker down
(`scraper.crawl.pacing`) and retry the same page, then park the city. A page without readable
job data (a changed layout, or a wrong answer: another city's jobs) is snapshotted and loaded
once more; if it is still unreadable the city stops there, unfinished: a page is never skipped,
because the postings after it are not "the first N in listing order"; its crawl stays open and
the next run resumes at that page. Transient faults retry with backoff (a dead browser is
replaced); anything else fails only this city. The outcome is a `CityReport`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scraper.browser.handle import Browser, open_page
from scraper.common.backoff import backoff_delay
from scraper.common.errors import (
    BlockedError,
    BrowserCrashedError,
    CityParkedError,
    LayoutChangedError,
    StopRequestedError,
    TransientError,
)
from scraper.common.masking import mask_secrets, without_credentials
from scraper.crawl.city_report import CityReport
from scraper.crawl.http_signals import OFFSITE_REDIRECT, block_wait, http_block
from scraper.crawl.pacing import RATE_WINDOW_S, Pacer
from scraper.crawl.page_sources import PageSource
from scraper.crawl.snapshots import SnapshotStore
from scraper.model.postings import Block, ListingPage, PageResult, Posting, take_new
from scraper.model.statuses import CityStatus
from scraper.sites import SiteAdapter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerPolicy:
    """Limits and pacing of a worker, from the settings."""

    limit: int
    delay: float
    max_blocks: int
    max_retries: int
    backoff: float
    rate_window: float = RATE_WINDOW_S


ProgressCallback = Callable[[CityReport, float], None]
"""Told a city's report and its worker's current delay (seconds) after every change."""


UNREADABLE_LOADS = 2  # a page without job data is loaded once more at the normal pace, then the city stops


class CityWorker(threading.Thread):
    """Scrape one city: pull page numbers, load, parse, submit. See the module docstring."""

    def __init__(
        self,
        *,
        city: str,
        keyword: str,
        base_url: str,
        site: SiteAdapter,
        pages: PageSource,
        policy: WorkerPolicy,
        start_browser: Callable[[], Browser],
        submit: Callable[[PageResult], None],
        stop: threading.Event,
        crawl_id: int | None = None,
        snapshots: SnapshotStore | None = None,
        on_progress: ProgressCallback | None = None,
        resumed_keys: Sequence[tuple[str, str]] = (),
        is_site_exhausted: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(name=f"worker-{city}", daemon=True)
        self.city, self.keyword, self.base_url = city, keyword, base_url
        self.site, self.pages, self.policy = site, pages, policy
        self._start_browser, self._submit, self._stop_event = start_browser, submit, stop
        self._browser: Browser | None = None
        self._rng = rng or random.Random()
        self._pacer = Pacer(policy.delay, window=policy.rate_window, rng=self._rng)
        self._crawl_id = crawl_id
        self._snapshots = snapshots
        self._on_progress = on_progress
        # A resumed crawl continues with the postings its stored pages already took.
        self._seen: set[tuple[str, str, str]] = {(city, title, salary) for title, salary in resumed_keys}
        self._is_site_exhausted = is_site_exhausted
        self._showing: int | None = None  # the page the tab shows (None: unknown); the site's steps depend on it
        self.report = CityReport(city=city, postings=len(self._seen))

    def run(self) -> None:
        """Thread body: never raises; the outcome lands in `self.report`."""
        try:
            self._browser = self._start_browser()
            self.report.status = self._scrape()
        except StopRequestedError:
            self.report.status = CityStatus.INTERRUPTED
        except CityParkedError as exc:
            self.report.status, self.report.reason = CityStatus.PARKED, str(exc)
        except Exception as exc:  # the worker boundary: one city's failure never sinks the run
            # The reason is stored (runs.city_counts): a URL in it keeps no password.
            self.report.status, self.report.reason = CityStatus.FAILED, mask_secrets(f"{type(exc).__name__}: {exc}")
            self.report.errors[type(exc).__name__] += 1
            log.error("%s: %s", self.city, self.report.reason)
        finally:
            if self._browser is not None:
                self._browser.quit()
            self._tell_progress()

    def _scrape(self) -> CityStatus:
        if len(self._seen) >= self.policy.limit:
            return CityStatus.DONE
        if self._is_site_exhausted:
            return CityStatus.EXHAUSTED
        while True:
            page = self.pages.next_page(self._stop_event)
            if self._stop_event.is_set():
                raise StopRequestedError
            if page is None:
                return CityStatus.EXHAUSTED
            listing = self._load(page)
            is_last = listing.is_empty or listing.has_next is False
            if self.pages.is_shared:
                # The shared frontier decides which postings count, in page order across processes.
                self._hand_over(page, listing.postings, is_last=is_last, is_shared=True)
            else:
                taken = take_new(listing.postings, self._seen, limit=self.policy.limit)
                self._hand_over(page, taken, is_last=is_last, is_shared=False)
                if len(self._seen) >= self.policy.limit:
                    return CityStatus.DONE
            if is_last:
                return CityStatus.EXHAUSTED

    def _hand_over(self, page: int, postings: Sequence[Posting], *, is_last: bool, is_shared: bool) -> None:
        self._submit(
            PageResult(
                city=self.city,
                page=page,
                postings=tuple(postings),
                crawl_id=self._crawl_id,
                is_last=is_last,
                is_shared=is_shared,
            )
        )
        self.report.pages += 1
        if not is_shared:
            self.report.postings = len(self._seen)
        self._tell_progress()
        log.info(
            "%s page %d: %d postings handed to the writer, %d/%d taken",
            self.city,
            page,
            len(postings),
            len(self._seen),
            self.policy.limit,
        )

    def _load(self, page: int) -> ListingPage:
        """Load and parse one page, retrying blocks and transient faults as the policy allows.

        Raises LayoutChangedError (which stops the city, its crawl left open) when the page had
        no readable job data on each of `UNREADABLE_LOADS` loads: snapshotted and counted, never
        backed off for (a changed layout is no block), and never skipped.
        """
        url = self.site.listing_url(self.base_url, self.city, self.keyword, page)
        blocks = faults = unreadable = 0
        while True:
            self._pause()
            try:
                return self._load_once(url, page)
            except LayoutChangedError as exc:
                unreadable += 1
                self.report.errors["layout_changed"] += 1
                log.warning(
                    "%s page %d: no readable job data (%s)%s",
                    self.city,
                    page,
                    exc,
                    "; the city stops here" if unreadable >= UNREADABLE_LOADS else "; loading it once more",
                )
                if unreadable >= UNREADABLE_LOADS:
                    raise type(exc)(
                        f"page {page} unreadable after {unreadable} loads ({exc}); not skipped: the crawl stays "
                        f"open and the next run resumes at page {page} (see the snapshots)"
                    ) from exc
            except BlockedError as exc:
                blocks += 1
                self._on_block(exc.block, blocks)
            except BrowserCrashedError as exc:
                faults += 1
                self._on_fault(exc, faults)
                self._restart_browser()
            except TransientError as exc:
                faults += 1
                self._on_fault(exc, faults)

    def _load_once(self, url: str, page: int) -> ListingPage:
        assert self._browser is not None
        steps = self.site.steps_to(self.base_url, self.city, self.keyword, page, showing=self._showing)
        self._showing = None
        try:
            fetched = open_page(self._browser, url, steps, self.site.ready)
        finally:
            # The load's end: the site has surely counted the request by then (see scraper.crawl.pacing).
            self._pacer.on_load(time.monotonic())
        try:
            listing = http_block(fetched, site=self.site, base_url=self.base_url) or self.site.read_page(
                fetched.url, fetched.title, fetched.html, listing_url=without_credentials(url)
            )
        except LayoutChangedError as exc:
            self._snapshot(page, exc.snapshot_reason, fetched.html)
            raise
        if isinstance(listing, Block):
            self._snapshot(page, listing.kind, fetched.html)
            raise BlockedError(listing, without_credentials(url))
        self._pacer.on_success()
        self._showing = page
        return listing

    def _on_block(self, block: Block, blocks_in_a_row: int) -> None:
        self.report.blocks += 1
        self.report.errors[f"block:{block.kind}"] += 1
        if blocks_in_a_row >= self.policy.max_blocks:
            where = f"; redirected off the site to {block.detail}" if block.kind == OFFSITE_REDIRECT else ""
            raise CityParkedError(f"blocked {blocks_in_a_row} times in a row (last: {block.kind}){where}")
        assert self._browser is not None
        self._browser.clear_cookies()
        self._pacer.on_block()
        wait = block_wait(block, backoff_delay(self.policy.backoff, blocks_in_a_row, self._rng))
        log.warning(
            "%s: blocked (%s%s); cookies cleared, retrying in %.1fs, delay now %.1fs",
            self.city,
            block.kind,
            f": {block.detail}" if block.detail else "",
            wait,
            self._pacer.delay,
        )
        self._tell_progress()
        self._sleep(wait)

    def _on_fault(self, exc: TransientError, faults: int) -> None:
        self.report.retries += 1
        self.report.errors[type(exc).__name__] += 1
        if faults > self.policy.max_retries:
            raise exc
        wait = backoff_delay(self.policy.backoff, faults, self._rng)
        log.warning("%s: %s; retry %d/%d in %.1fs", self.city, exc, faults, self.policy.max_retries, wait)
        self._tell_progress()
        self._sleep(wait)

    def _tell_progress(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.report, self._pacer.delay)

    def _snapshot(self, page: int, reason: str, html: str) -> None:
        """Keep the HTML and a screenshot of a page that blocked or could not be parsed."""
        if self._snapshots is None or self._browser is None:
            return
        try:
            path = self._snapshots.save(self.city, page, reason, html, self._browser.screenshot())
        except OSError as exc:
            log.warning("%s: snapshot not saved: %s", self.city, exc)
            return
        log.info("%s: snapshot of page %d saved to %s", self.city, page, path)

    def _restart_browser(self) -> None:
        if self._browser is not None:
            self._browser.quit()
            self._browser = None
        self._browser = self._start_browser()

    def _pause(self) -> None:
        """Keep the pacer's delay (with jitter) between two page loads of this worker."""
        wait = self._pacer.wait_before_next(time.monotonic())
        if wait > 0:
            self._sleep(wait)

    def _sleep(self, seconds: float) -> None:
        if self._stop_event.wait(seconds):
            raise StopRequestedError
