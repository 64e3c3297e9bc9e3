"""Rate-limited mode: how close the adaptive delay gets to a site's per-minute limit without blocks.

The replica runs with `rate_limit:per_minute=R` (a 60 s sliding window per city, refused
requests counted too) and one worker per city starts with a delay below 60/R at the scraper's
default politeness (max blocks, retries, backoff). A city's 30 pages last under a minute at
that pace, so `LongRunSite` chains the listings of several keywords into one long page
sequence: the worker, its delay state and the replica's window carry on for the whole run.
Per city the replica's request log gives pages a minute and the share of requests refused.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench.fleet import run_fleet
from scraper.crawl.worker import CityWorker
from scraper.model.navigation import Navigate, Step
from scraper.model.postings import Block, ListingPage
from scraper.sandbox.faults import FaultKind, FaultPlan
from scraper.sandbox.server import ReplicaServer
from scraper.sites import SiteAdapter, get_site

CHAIN_KEYWORDS = ("Python", "Java", "Golang", "PHP", "Rust", "Scala", "Kotlin", "Ruby", "Perl", "Swift")
PAGES_PER_KEYWORD = 30  # the replica's (and Lagou's) page cap per search
UNLIMITED_POSTINGS = 10**9
RATE_CITIES = ("北京", "上海", "广州", "深圳")
SECONDS_PER_MINUTE = 60.0
RATE_WINDOW_S = 60.0  # the replica's sliding window
MIN_STEADY_S = 30.0
HTTP_OK = 200
PAGES_TARGET_SHARE = 0.9  # ≥ 90 % of R pages a minute
BLOCKED_TARGET_SHARE = 0.02  # < 2 % of requests refused


class LongRunSite:
    """Lagou with the listings of `keywords` chained: page 31 is the first page of the 2nd keyword."""

    def __init__(self, inner: SiteAdapter, keywords: Sequence[str] = CHAIN_KEYWORDS) -> None:
        self._inner, self._keywords = inner, tuple(keywords)
        self.name, self.default_base_url, self.page_size = inner.name, inner.default_base_url, inner.page_size
        self.display_name = inner.display_name
        self.max_pages = PAGES_PER_KEYWORD * len(self._keywords)
        self.ready, self.asset_hosts = inner.ready, inner.asset_hosts

    def supports_city(self, city: str) -> bool:
        """The real site's answer."""
        return self._inner.supports_city(city)

    def steps_to(self, base_url: str, city: str, keyword: str, page: int, *, showing: int | None) -> tuple[Step, ...]:
        """One navigation to the chained page's URL."""
        return (Navigate(self.listing_url(base_url, city, keyword, page)),)

    def listing_url(self, base_url: str, city: str, keyword: str, page: int) -> str:
        """The URL of chained page `page`; the worker's own keyword is ignored."""
        index, offset = divmod(page - 1, PAGES_PER_KEYWORD)
        return self._inner.listing_url(base_url, city, self._keywords[index], offset + 1)

    def read_page(self, url: str, title: str, html: str, *, listing_url: str) -> Block | ListingPage:
        """The real reader, with the listing chained as in `parse_listing`."""
        page = self._inner.read_page(url, title, html, listing_url=listing_url)
        return page if isinstance(page, Block) else self._chain(page, url=listing_url)

    def parse_listing(self, html: str, *, url: str) -> ListingPage:
        """The real parser; only the last page of the last keyword ends the chain."""
        return self._chain(self._inner.parse_listing(html, url=url), url=url)

    def _chain(self, listing: ListingPage, *, url: str) -> ListingPage:
        query = parse_qs(urlsplit(url).query)
        is_last = query.get("kd", [""])[0] == self._keywords[-1] and query.get("pn", ["0"])[0] == str(PAGES_PER_KEYWORD)
        return listing if is_last or listing.is_empty else dataclasses.replace(listing, has_next=True)

    def detect_block(self, url: str, title: str, html: str) -> Block | None:
        """The real block detector."""
        return self._inner.detect_block(url, title, html)


def analyse(records: Sequence[Any], *, city: str, end: float, skip_s: float = 0.0) -> dict[str, Any]:
    """Pages a minute and refused share for one city, from `skip_s` after its first request until `end`.

    Skipping the first window (60 s) measures the sustained rate: at the start the window is
    empty, so any scraper gets R pages in free whatever its delay.
    """
    mine = [r for r in records if r.city == city and r.time <= end]
    start = mine[0].time + skip_s if mine else end
    mine = [r for r in mine if r.time >= start]
    minutes = (end - start) / SECONDS_PER_MINUTE
    blocked = sum(1 for r in mine if r.fault == FaultKind.RATE_LIMIT.value)
    pages = sum(1 for r in mine if r.fault is None and r.status == HTTP_OK)
    return {
        "requests": len(mine),
        "pages": pages,
        "blocked": blocked,
        "minutes": round(minutes, 3),
        "pages_per_min": round(pages / minutes, 2) if minutes else 0.0,
        "blocked_share": round(blocked / len(mine), 4) if mine else 0.0,
    }


def run_rate_limited(
    *,
    per_minute: int,
    delay: float,
    duration_s: float,
    cities: Sequence[str] = RATE_CITIES,
    worker_class: type[CityWorker] = CityWorker,
) -> dict[str, Any]:
    """Scrape `cities` for `duration_s` against a replica limiting each to `per_minute` pages.

    Returns per-city figures, their medians and whether the targets (≥ 90 % of R pages a
    minute, < 2 % refused) are met.
    """
    plan = FaultPlan.parse(f"rate_limit:per_minute={per_minute}")
    with tempfile.TemporaryDirectory(prefix="bench-rate-") as folder, ReplicaServer(faults=plan) as server:
        started = time.monotonic()
        fleet = run_fleet(
            [(city, CHAIN_KEYWORDS[0]) for city in cities],
            base_url=server.base_url,
            database_url=f"sqlite:///{Path(folder) / 'rate.sqlite3'}",
            limit=UNLIMITED_POSTINGS,
            delay=delay,
            site=LongRunSite(get_site("lagou")),
            worker_class=worker_class,
            deadline_s=duration_s,
        )
        records = server.listing_requests()
    end = started + duration_s
    # Sustained figures need at least half a minute after the first (free) window.
    skip = RATE_WINDOW_S if duration_s >= RATE_WINDOW_S + MIN_STEADY_S else 0.0
    per_city: list[dict[str, Any]] = []
    for city, report in zip(cities, fleet.reports, strict=True):
        overall, steady = analyse(records, city=city, end=end), analyse(records, city=city, end=end, skip_s=skip)
        per_city.append(
            {
                "city": city,
                "status": report.status,
                "reason": report.reason,
                "blocks": report.blocks,
                "overall": overall,
                "steady": steady,
            }
        )
    pages_per_min = statistics.median(float(row["steady"]["pages_per_min"]) for row in per_city)
    blocked_share = statistics.median(float(row["overall"]["blocked_share"]) for row in per_city)
    return {
        "per_minute": per_minute,
        "start_delay_s": delay,
        "duration_s": duration_s,
        "worker": f"{worker_class.__module__}.{worker_class.__qualname__}",
        "steady_after_s": skip,
        "cities": per_city,
        "pages_per_min": pages_per_min,
        "share_of_limit": round(pages_per_min / per_minute, 3),
        "blocked_share": blocked_share,
        "meets_pages_target": pages_per_min >= PAGES_TARGET_SHARE * per_minute,
        "meets_blocked_target": blocked_share < BLOCKED_TARGET_SHARE,
    }
