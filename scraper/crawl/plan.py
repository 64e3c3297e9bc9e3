"""Crawl set-up for a run: open or resume each city's checkpoint and pick its page source.

A single process keeps its page queue in memory and checkpoints finished pages (`LocalPages`,
`db.checkpoints`). With `--shared` the queue lives in PostgreSQL and several processes claim
its pages (`SharedPages`, `db.shared_queue`); the outcome of a city is then read back from the
crawl, since other processes contributed to it: `settle_crawls` returns the reports to record,
and never changes the workers' own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine

from db.checkpoints import CrawlState, close_crawl, open_crawl
from db.shared_queue import Claim, crawl_summary, open_shared_crawl
from scraper.crawl.city_report import CityReport
from scraper.crawl.page_sources import LocalPages, PageSource, SharedPages
from scraper.model.statuses import CityStatus
from scraper.settings import Settings
from scraper.sites import get_site

log = logging.getLogger(__name__)

REPLICA_HOST = "127.0.0.1"  # where the sandbox replica listens


def site_hosts(settings: Settings, site: str | None = None) -> tuple[str, ...]:
    """The hosts the browsers may reach: the sandbox replica's; else the configured root's host of
    `site` (default: the first site), plus the site's `asset_hosts` when that root is the site's own."""
    if settings.sandbox:
        return (REPLICA_HOST,)
    root = settings.root_for(site) if site else settings.base_url
    host = urlsplit(root).hostname or ""
    adapter = get_site(site or settings.sites[0])
    if host != urlsplit(adapter.default_base_url).hostname:
        return (host,)  # a mirror or a replica of the user's: its pages name no real host we vouch for
    return (host, *adapter.asset_hosts)


def open_crawls(
    conn: Connection, settings: Settings, *, site: str, max_pages: int, now: dt.datetime
) -> dict[str, CrawlState]:
    """The crawl of every configured city: resumed when one is open (unless `--fresh`), else new."""
    crawls: dict[str, CrawlState] = {}
    for city in settings.cities:
        if settings.is_shared:
            crawls[city] = open_shared_crawl(
                conn,
                site=site,
                keyword=settings.keyword,
                city=city,
                max_pages=max_pages,
                is_fresh=settings.is_fresh,
                now=now,
            )
        else:
            crawls[city] = open_crawl(
                conn, site=site, keyword=settings.keyword, city=city, is_fresh=settings.is_fresh, now=now
            )
        crawl = crawls[city]
        if crawl.is_resumed and not settings.is_shared:
            log.info(
                "%s: resuming after page %d (%d postings stored)",
                city,
                max(crawl.done_pages, default=0),
                len(crawl.accepted_keys),
            )
        elif crawl.is_resumed:
            log.info("%s: joining shared crawl %d", city, crawl.crawl_id)
    return crawls


def page_source(
    settings: Settings,
    crawl: CrawlState,
    *,
    max_pages: int,
    call: Callable[[Callable[[Connection], Claim]], Claim],
) -> PageSource:
    """Where the city's worker takes its pages from (see the module docstring)."""
    if settings.is_shared:
        owner = f"{socket.gethostname()}:{os.getpid()}"
        return SharedPages(crawl_id=crawl.crawl_id, owner=owner, ttl=settings.claim_ttl, call=call)
    return LocalPages([page for page in range(1, max_pages + 1) if page not in crawl.done_pages])


def settle_crawls(
    engine: Engine,
    settings: Settings,
    crawls: dict[str, CrawlState],
    reports: tuple[CityReport, ...],
    *,
    run_id: int | None = None,
) -> tuple[CityReport, ...]:
    """After the writer has stored everything: close each finished local crawl, and return the
    reports the run records. A local city's report is its worker's; a shared city's takes its
    status and postings from the crawl that all processes worked on. The given reports are
    left as the workers wrote them."""
    now = dt.datetime.now(dt.UTC)
    settled: list[CityReport] = []
    with engine.begin() as conn:
        for report in reports:
            crawl_id = crawls[report.city].crawl_id
            if settings.is_shared:
                settled.append(_shared_report(conn, report, crawl_id, limit=settings.limit))
                continue
            if report.status.is_finished:
                close_crawl(conn, crawl_id, now=now, run_id=run_id)
            settled.append(report)
    return tuple(settled)


def _shared_report(conn: Connection, report: CityReport, crawl_id: int, *, limit: int) -> CityReport:
    """`report` with the shared crawl's postings, and its status once the crawl is complete
    (done when it holds `limit` postings, else exhausted); until then the worker's status stands."""
    crawl_status, taken = crawl_summary(conn, crawl_id)
    if crawl_status != "complete":
        return dataclasses.replace(report, postings=taken)
    status = CityStatus.DONE if taken >= limit else CityStatus.EXHAUSTED
    return dataclasses.replace(report, postings=taken, status=status)
