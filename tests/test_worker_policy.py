"""The worker's block, retry and park policy, without a browser: a scripted fake browser
(tests/fake_browser.py) answers with the replica's real pages, block redirects and raised faults,
and the real Lagou adapter reads them. Backoffs are recorded by the stop event, never slept, so
each test takes milliseconds. The same policy through real Chromium: test_faults_e2e.py."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from fake_browser import (
    BASE_URL,
    REPLICA,
    RecordingStop,
    ScriptedBrowsers,
    page_without_data,
    verify_redirect,
)

from scraper.common.backoff import JITTER
from scraper.common.errors import BrowserCrashedError, TransientError
from scraper.crawl.city_report import CityReport
from scraper.crawl.pacing import MIN_DELAY_AFTER_BLOCK
from scraper.crawl.page_sources import LocalPages
from scraper.crawl.snapshots import SnapshotStore
from scraper.crawl.worker import UNREADABLE_LOADS, CityWorker, WorkerPolicy
from scraper.model.postings import PageResult
from scraper.model.statuses import CityStatus
from scraper.sandbox import data
from scraper.sites.lagou.adapter import LagouSite

SITE = LagouSite()
CITY, KEYWORD = "北京", "Python"
BACKOFF = 10.0  # recorded, not slept: a realistic figure costs nothing
POLICY = WorkerPolicy(limit=30, delay=0, max_blocks=3, max_retries=2, backoff=BACKOFF)


class Run:
    """One worker run on scripted answers, and what it left behind."""

    def __init__(
        self,
        browsers: ScriptedBrowsers,
        *,
        policy: WorkerPolicy = POLICY,
        stop: RecordingStop | None = None,
        snapshots: SnapshotStore | None = None,
        city: str = CITY,
    ) -> None:
        self.browsers, self.stop = browsers, stop or RecordingStop()
        self.submitted: list[PageResult] = []
        self.delays: list[float] = []
        self.worker = CityWorker(
            city=city,
            keyword=KEYWORD,
            base_url=BASE_URL,
            site=SITE,
            pages=LocalPages(list(range(1, SITE.max_pages + 1))),
            policy=policy,
            start_browser=browsers,
            submit=self.submitted.append,
            stop=self.stop,
            snapshots=snapshots,
            on_progress=self._progress,
            rng=random.Random(7),
        )
        started = time.monotonic()
        self.worker.run()  # the thread body, in this thread
        self.seconds = time.monotonic() - started

    def _progress(self, _report: CityReport, delay: float) -> None:
        self.delays.append(delay)

    @property
    def report(self) -> CityReport:
        return self.worker.report

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        return [posting.key for result in self.submitted for posting in result.postings]

    def backoffs(self) -> list[float]:
        """The waits of at least a second: backoffs (a delay of 0 keeps the pacing waits near 0)."""
        return [wait for wait in self.stop.waits if wait >= 1]


def url_of(page: int, city: str = CITY) -> str:
    return SITE.listing_url(BASE_URL, city, KEYWORD, page)


def clean_loads(limit: int = 30) -> list[str]:
    """The URLs a worker loads when nothing goes wrong: pages until `limit` unique postings (the
    replica, like Lagou, repeats some postings across pages)."""
    return [url_of(page) for page in pages_until(limit)]


def pages_until(limit: int) -> dict[int, list[tuple[str, str, str]]]:
    """Page -> the postings a worker takes from it, until `limit` unique postings."""
    taken: list[tuple[str, str, str]] = []
    pages: dict[int, list[tuple[str, str, str]]] = {}
    for page in range(1, SITE.max_pages + 1):
        pages[page] = []
        for job in data.jobs_on_page(CITY, KEYWORD, page):
            key = (CITY, job["positionName"].strip(), job["salary"])
            if key not in taken and len(taken) < limit:
                taken.append(key)
                pages[page].append(key)
        if len(taken) >= limit:
            break
    return pages


def within_jitter(wait: float, step: float) -> bool:
    return step * (1 - JITTER) <= wait <= step * (1 + JITTER)


def test_clean_pages_take_the_limit_in_listing_order_and_the_browser_is_quit() -> None:
    run = Run(ScriptedBrowsers())
    assert run.report.status is CityStatus.DONE
    assert run.rows == data.first_unique(CITY, KEYWORD, 30)
    assert run.browsers.loads == clean_loads()
    assert [b.quits for b in run.browsers.started] == [1]
    assert (run.report.blocks, run.report.retries, run.report.pages) == (0, 0, len(clean_loads()))
    assert run.seconds < 2  # no Chromium, no sleeping (generous: the machine is shared)


def test_a_city_whose_listing_ends_before_the_limit_is_exhausted() -> None:
    run = Run(ScriptedBrowsers(), policy=WorkerPolicy(limit=450, delay=0, max_blocks=3, max_retries=2, backoff=1))
    total = data.total_count(CITY, KEYWORD)
    assert run.report.status is CityStatus.EXHAUSTED
    assert run.rows == data.first_unique(CITY, KEYWORD, total)
    assert run.submitted[-1].is_last


def test_a_block_clears_cookies_backs_off_slows_down_and_retries_the_same_page(tmp_path: Path) -> None:
    run = Run(ScriptedBrowsers([verify_redirect()]), snapshots=SnapshotStore(tmp_path / "snapshots"))
    assert run.report.status is CityStatus.DONE
    assert run.rows == data.first_unique(CITY, KEYWORD, 30)
    assert run.browsers.loads == [url_of(1), *clean_loads()]
    assert run.browsers.cookie_clears == 1
    assert (run.report.blocks, run.report.errors["block:verify_redirect"]) == (1, 1)
    [backoff] = [wait for wait in run.backoffs() if wait >= BACKOFF * (1 - JITTER)]
    assert within_jitter(backoff, BACKOFF)
    assert max(run.delays) >= MIN_DELAY_AFTER_BLOCK  # the pacer slowed the worker down after the block
    # The block page was kept as evidence, with the browser's screenshot.
    names = sorted(path.suffix for path in (tmp_path / "snapshots").iterdir())
    assert names == [".html", ".png"]


def test_blocks_in_a_row_up_to_max_blocks_park_the_city_with_doubling_backoffs() -> None:
    run = Run(ScriptedBrowsers([verify_redirect()] * 5))
    assert run.report.status is CityStatus.PARKED
    assert run.report.reason == "blocked 3 times in a row (last: verify_redirect)"
    assert run.browsers.loads == [url_of(1)] * 3
    assert run.browsers.cookie_clears == 2  # not after the block that parks the city
    assert run.submitted == []
    first, second = [wait for wait in run.backoffs() if wait >= BACKOFF * (1 - JITTER)]
    assert within_jitter(first, BACKOFF)
    assert within_jitter(second, 2 * BACKOFF)
    assert [b.quits for b in run.browsers.started] == [1]


def test_a_clean_page_between_blocks_starts_the_count_again() -> None:
    blocked = verify_redirect()
    run = Run(ScriptedBrowsers([blocked, blocked, REPLICA, blocked, blocked]))
    assert run.report.status is CityStatus.DONE
    assert run.report.blocks == 4
    assert run.rows == data.first_unique(CITY, KEYWORD, 30)


def test_transient_faults_retry_with_backoff_then_fail_only_this_city() -> None:
    run = Run(ScriptedBrowsers([TransientError("HTTP 503")] * 3))
    assert run.report.status is CityStatus.FAILED
    assert run.report.reason == "TransientError: HTTP 503"
    assert run.report.retries == 3
    assert run.browsers.loads == [url_of(1)] * 3  # the first load and max_retries retries
    first, second = run.backoffs()
    assert within_jitter(first, BACKOFF)
    assert within_jitter(second, 2 * BACKOFF)
    assert [b.quits for b in run.browsers.started] == [1]


def test_a_fault_that_passes_loses_nothing() -> None:
    run = Run(ScriptedBrowsers([TransientError("page load timed out"), REPLICA, TransientError("HTTP 500")]))
    assert run.report.status is CityStatus.DONE
    assert run.rows == data.first_unique(CITY, KEYWORD, 30)
    assert (run.report.retries, run.report.errors["TransientError"]) == (2, 2)


def test_a_crashed_browser_is_quit_replaced_and_the_page_retried() -> None:
    run = Run(ScriptedBrowsers([BrowserCrashedError("chrome not reachable")]))
    assert run.report.status is CityStatus.DONE
    assert run.rows == data.first_unique(CITY, KEYWORD, 30)
    first, second = run.browsers.started
    assert (first.loads, second.loads) == ([url_of(1)], clean_loads())
    assert (first.quits, second.quits) == (1, 1)
    assert run.report.errors["BrowserCrashedError"] == 1


def test_a_page_without_job_data_once_is_loaded_again_without_backoff() -> None:
    run = Run(ScriptedBrowsers([page_without_data()]))
    assert run.report.status is CityStatus.DONE
    assert run.browsers.loads == [url_of(1), *clean_loads()]
    assert run.rows == data.first_unique(CITY, KEYWORD, 30)
    assert (run.report.blocks, run.browsers.cookie_clears, run.backoffs()) == (0, 0, [])


def test_a_page_unreadable_on_every_load_stops_the_city_there_and_is_never_skipped() -> None:
    run = Run(ScriptedBrowsers([REPLICA, page_without_data(), page_without_data()]))
    assert run.report.status is CityStatus.FAILED
    assert run.report.reason.startswith(f"LayoutChangedError: page 2 unreadable after {UNREADABLE_LOADS} loads")
    assert run.browsers.loads == [url_of(1), url_of(2), url_of(2)]  # page 3 is never asked for
    assert [result.page for result in run.submitted] == [1]
    assert (run.report.blocks, run.backoffs()) == (0, [])


def test_a_stop_during_a_backoff_interrupts_the_city_and_quits_the_browser() -> None:
    stop = RecordingStop(stop_after=1)
    run = Run(ScriptedBrowsers([verify_redirect()]), stop=stop)
    assert run.report.status is CityStatus.INTERRUPTED
    assert run.submitted == []
    assert [b.quits for b in run.browsers.started] == [1]


@pytest.mark.parametrize("city", ["上海", "成都"])
def test_other_cities_read_their_own_pages(city: str) -> None:
    run = Run(ScriptedBrowsers(), city=city)
    assert run.rows == data.first_unique(city, KEYWORD, min(30, data.total_count(city, KEYWORD)))
