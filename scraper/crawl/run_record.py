"""The record of a scrape run: its status, its row in the `runs` table, its printed city lines.

`crawl.run` calls in here at the run's two ends. At the start `start_run_record` marks this
host's dead runs `crashed` and records the new one as `running`; at the end `decide_status`
turns the city reports and how the run stopped into one `RunStatus`, `finish_run_record` stores
it with per-city counts, `format_city_line` is what the user reads, and `save_unwritten` keeps
the postings a lost database did not take. Nothing here starts a thread or a browser.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import SQLAlchemyError

from db.engine import mask_url
from db.writes import RUNS, finish_run, start_run
from scraper.common.masking import without_credentials
from scraper.crawl.city_report import CityReport
from scraper.crawl.site_runs import FIRST_SITE
from scraper.model.postings import Posting, posting_to_json
from scraper.model.statuses import RunStatus
from scraper.settings import Settings

log = logging.getLogger(__name__)


def start_run_record(conn: Connection, settings: Settings, *, started_at: dt.datetime, site: str | None = None) -> int:
    """Record a new run of `site` (default: the first of `settings.sites`) as `running` and return its
    id; first mark this host's dead runs of the site `crashed` (not for `--shared` runs, which
    overlap on purpose and hold no run lock)."""
    site = site or settings.sites[0]
    if not settings.is_shared:
        mark_crashed_runs(conn, host=socket.gethostname(), keyword=settings.keyword, site=site)
    return start_run(conn, arguments=_run_arguments(settings, site), started_at=started_at)


def mark_crashed_runs(conn: Connection, *, host: str, keyword: str, site: str = FIRST_SITE) -> None:
    """Mark this host's runs of `site` and `keyword` still recorded as running as `crashed`.

    We hold the run lock of this database, keyword and site on this host, so such a run was killed
    (kill -9, power loss); runs of other hosts, keywords or sites may be alive and are left alone.
    A run recorded before sites existed names none: it was Lagou's.
    """
    running = conn.execute(select(RUNS.c.id, RUNS.c.arguments).where(RUNS.c.outcome == RunStatus.RUNNING.value)).all()
    dead = [
        row.id
        for row in running
        if (args := row.arguments or {}).get("host") == host
        and args.get("keyword") == keyword
        and (args.get("site") or FIRST_SITE) == site
    ]
    if dead:
        conn.execute(update(RUNS).where(RUNS.c.id.in_(dead)).values(outcome=RunStatus.CRASHED.value))


def decide_status(
    reports: Sequence[CityReport],
    *,
    is_interrupted: bool,
    is_timed_out: bool,
    writer_error: BaseException | None,
    has_set_aside: bool = False,
) -> RunStatus:
    """How the run ended; a stop by signal or timeout says more than the cities it cut short.
    Postings the database refused (`has_set_aside`) make it partial: a city lacks them."""
    if is_interrupted:
        return RunStatus.INTERRUPTED
    if is_timed_out:
        return RunStatus.TIMEOUT
    if writer_error is not None:
        return RunStatus.FAILED
    is_ok = all(r.status.is_finished for r in reports) and not has_set_aside
    return RunStatus.OK if is_ok else RunStatus.PARTIAL


def finish_run_record(
    engine: Engine,
    run_id: int,
    *,
    reports: Sequence[CityReport],
    written: Mapping[str, tuple[int, int]],
    status: RunStatus,
    ended_at: dt.datetime,
) -> None:
    """Store the run's end, status and per-city counts. A database that is down by now is logged,
    not raised: the city lines and the unwritten-postings file still tell the user what happened."""
    try:
        with engine.begin() as conn:
            finish_run(
                conn, run_id, ended_at=ended_at, city_counts=_city_counts(reports, written), outcome=status.value
            )
    except SQLAlchemyError as exc:
        log.error("could not record the end of run %d: %s", run_id, type(exc).__name__)


def format_city_line(report: CityReport, written: tuple[int, int]) -> str:
    """One result line for a city, e.g. `北京: done, 100 postings (100 new), 7 pages, 0 blocks`."""
    new, repeated = written
    line = (
        f"{report.city}: {report.status}, {report.postings} postings ({new} new, {repeated} seen before), "
        f"{report.pages} pages, {report.blocks} blocks"
    )
    return f"{line} — {report.reason}" if report.reason else line


def save_unwritten(postings: Sequence[Posting], folder: Path) -> Path:
    """Write postings the database did not take to `folder/unwritten-<UTC time>.jsonl`, one per line."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"unwritten-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for posting in postings:
            file.write(json.dumps(posting_to_json(posting), ensure_ascii=False) + "\n")
    return path


def _run_arguments(settings: Settings, site: str) -> dict[str, object]:
    return {
        "site": site,
        "cities": list(settings.cities),
        "limit": settings.limit,
        "keyword": settings.keyword,
        "base_url": without_credentials(settings.root_for(site)),
        "delay": settings.delay,
        "sandbox": settings.sandbox,
        "sandbox_day": settings.sandbox_day,
        "database_url": mask_url(settings.database_url),
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }


def _city_counts(reports: Sequence[CityReport], written: Mapping[str, tuple[int, int]]) -> dict[str, object]:
    return {
        r.city: {
            "status": str(r.status),
            "reason": r.reason,
            "postings": r.postings,
            "pages": r.pages,
            "blocks": r.blocks,
            "retries": r.retries,
            "new": written.get(r.city, (0, 0))[0],
            "repeated": written.get(r.city, (0, 0))[1],
            "errors": dict(r.errors),
        }
        for r in reports
    }
