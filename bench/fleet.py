"""Our scraper's own components wired for any set of (city, keyword) pairs, with timings.

`run_fleet` does what `scraper.crawl.run.run_scrape` does (one `CityWorker` and one `LocalBrowser`
per pair, one `JobWriter`), minus the run record and the report, plus what the benchmark needs:
each browser's start-up time, each worker's kept keys, an optional deadline, and a replaceable
site adapter and worker class (the rate-limit experiment). Pairs rather than cities because the
replica has only four cities with 100+ jobs for a keyword; eight workers are four cities × two
keywords. As a subprocess, `python -m bench.fleet --base-url URL --pairs 北京:Python,上海:Java
--limit 100 --delay 0 --db URL` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from db.engine import make_engine, upgrade_schema
from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import BrowserConfig, LocalBrowser, choose_browser, find_chromedriver
from scraper.crawl.city_report import CityReport
from scraper.crawl.worker import CityWorker, WorkerPolicy
from scraper.crawl.writer import JobWriter
from scraper.model.postings import PageResult
from scraper.sites import SiteAdapter, get_site

PAGE_LOAD_TIMEOUT_S = 30.0
JOIN_POLL_S = 0.2
# The scraper's defaults for everything but the delay (scraper/settings/spec.py SETTINGS).
DEFAULT_MAX_BLOCKS, DEFAULT_MAX_RETRIES, DEFAULT_BACKOFF_S = 5, 3, 10.0


class PageList:
    """One worker's page numbers 1..count. Speaks `scraper.crawl.page_sources.PageSource` (`next_page`) and the
    plain-queue interface (`get_nowait`) that workers used before it, so the bench runs on both."""

    is_shared = False

    def __init__(self, count: int) -> None:
        self._queue: queue.Queue[int] = queue.Queue()
        for number in range(1, count + 1):
            self._queue.put(number)

    def next_page(self, stop: threading.Event) -> int | None:
        """The next page, or None when none is left."""
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def get_nowait(self) -> int:
        """The next page; raises queue.Empty when none is left."""
        return self._queue.get_nowait()


@dataclass
class FleetResult:
    """What a fleet run did: per-worker reports, browser start-ups, kept keys and writer counts."""

    wall_s: float
    reports: list[CityReport]
    startup_s: list[float]
    keys: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    written: dict[str, tuple[int, int]] = field(default_factory=dict)
    writer_error: str | None = None


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """`北京:Python,上海:Java` → [(北京, Python), (上海, Java)]; a bare city means Python."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        city, _, keyword = item.partition(":")
        pairs.append((city.strip(), keyword.strip() or "Python"))
    return pairs


def run_fleet(
    pairs: Sequence[tuple[str, str]],
    *,
    base_url: str,
    database_url: str,
    limit: int,
    delay: float,
    site: SiteAdapter | None = None,
    worker_class: type[CityWorker] = CityWorker,
    deadline_s: float | None = None,
    backoff: float = DEFAULT_BACKOFF_S,
) -> FleetResult:
    """Scrape every pair with its own worker and browser; stop them at `deadline_s` if given.

    Raises what `make_engine`/`upgrade_schema`/`find_chromedriver` raise before any browser starts.
    """
    site = site or get_site("lagou")
    binary, is_shell = choose_browser(BrowserChoice.AUTO, None)  # the CLI's default: the shell when installed
    config = BrowserConfig(
        chromedriver=find_chromedriver(None),
        chrome_binary=binary,
        page_load_timeout=PAGE_LOAD_TIMEOUT_S,
        is_headless_shell=is_shell,
    )
    engine = make_engine(database_url)
    upgrade_schema(engine)
    policy = WorkerPolicy(
        limit=limit, delay=delay, max_blocks=DEFAULT_MAX_BLOCKS, max_retries=DEFAULT_MAX_RETRIES, backoff=backoff
    )
    startups: list[float] = []
    keys: dict[str, list[tuple[str, str, str]]] = {}
    stop = threading.Event()
    writer = JobWriter(engine=engine, site=site.name, keyword=pairs[0][1] if pairs else "")

    def start_browser() -> LocalBrowser:
        began = time.monotonic()
        handle = LocalBrowser(config)
        startups.append(round(time.monotonic() - began, 3))
        return handle

    def submitter(label: str) -> Callable[[PageResult], None]:
        def submit(result: PageResult) -> None:
            keys[label].extend(posting.key for posting in result.postings)
            writer.submit(result)

        return submit

    started = time.monotonic()
    writer.start()
    workers = []
    for city, keyword in pairs:
        label = f"{city}:{keyword}"
        keys[label] = []
        workers.append(
            worker_class(
                city=city,
                keyword=keyword,
                base_url=base_url,
                site=site,
                pages=PageList(site.max_pages),
                policy=policy,
                start_browser=start_browser,
                submit=submitter(label),
                stop=stop,
            )
        )
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            while worker.is_alive():
                if deadline_s is not None and time.monotonic() - started >= deadline_s:
                    stop.set()
                worker.join(JOIN_POLL_S)
    finally:
        stop.set()
        writer.close()
        writer.join()
        engine.dispose()
    return FleetResult(
        wall_s=round(time.monotonic() - started, 3),
        reports=[worker.report for worker in workers],
        startup_s=startups,
        keys=keys,
        written={city: (counts[0], counts[1]) for city, counts in writer.counts.items()},
        writer_error=str(writer.error) if writer.error else None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run a fleet and print a JSON summary (per worker: pages, postings, start-up, keys)."""
    parser = argparse.ArgumentParser(prog="python -m bench.fleet")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--pairs", required=True, help="city:keyword,… (keyword defaults to Python)")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--db", required=True, help="database URL")
    args = parser.parse_args(argv)
    result = run_fleet(
        parse_pairs(args.pairs), base_url=args.base_url, database_url=args.db, limit=args.limit, delay=args.delay
    )
    summary = {
        "wall_s": result.wall_s,
        "startup_s": result.startup_s,
        "writer_error": result.writer_error,
        "cities": [
            {
                "city": f"{report.city}:{label.split(':', 1)[1]}",
                "status": report.status,
                "pages": report.pages,
                "postings": report.postings,
                "blocks": report.blocks,
                "keys": [list(key) for key in result.keys[label]],
            }
            for report, label in zip(result.reports, result.keys, strict=True)
        ],
    }
    json.dump(summary, sys.stdout, ensure_ascii=False)
    return 0 if result.writer_error is None else 1


if __name__ == "__main__":
    raise SystemExit(main())
