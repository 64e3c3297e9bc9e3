"""Glue between the CLI and the read side: report (charts + summary), export, status, renormalize.

`report`, `export` and `status` open the database for reading only (`db.readonly`: no migration,
no write, so they work on a read-only database or file system); `renormalize`, which writes,
migrates it first. Each does its one job and prints a short result. `status` also lists browsers
left running by a run that died (the next scrape ends them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TextIO

from charts.breakdown import DEFAULT_MIN_SKILL_JOBS
from charts.breakdown_table import format_breakdown_table
from charts.page_text import DEFAULT_LANG, Lang
from charts.report import HistoryQuery, build_report
from charts.summary import format_summary_table
from db.engine import make_engine, upgrade_schema
from db.readonly import check_readable, open_for_reading
from db.reads import renormalize_salaries
from db.status import load_status
from scraper.browser.processes import find_leftovers
from scraper.report.export import export_history, export_jobs


def print_report(
    database_url: str,
    out_dir: Path,
    cities: Sequence[str] | None,
    *,
    out: TextIO,
    query: HistoryQuery,
    by: str | None = None,
    min_skill_jobs: int | None = None,
    lang: Lang = DEFAULT_LANG,
) -> None:
    """Write the charts, summary.json and index.html (in `lang`) into `out_dir` and print the per-city salary
    table with each city's newest change (of run `query.run_id` only, when given), or with `by`
    the breakdown of that name (`charts.breakdown_table`). `min_skill_jobs` None: the default."""
    engine = open_for_reading(database_url)
    try:
        check_readable(engine, database_url)
        result = build_report(
            engine,
            out_dir,
            cities,
            query=query,
            min_skill_jobs=min_skill_jobs or DEFAULT_MIN_SKILL_JOBS,
            lang=lang,
            parallel=True,  # charts beside the history's read when safe (charts.drawing)
        )
    finally:
        engine.dispose()
    if by is None:
        out.write(format_summary_table(result.stats, result.changes) + "\n")
    else:
        out.write(format_breakdown_table(by, result.stats, result.breakdowns, all_time=query.all_time) + "\n")
    for notice in (result.notice, *result.notices):
        if notice:
            out.write(f"report: {notice}\n")
    out.write("report: " + ", ".join(str(path) for path in result.paths) + "\n")


def export(
    database_url: str,
    fmt: Literal["csv", "jsonl"],
    target: Path | None,
    cities: Sequence[str] | None,
    *,
    bom: bool,
    out: TextIO,
    err: TextIO,
    history_keyword: str | None = None,
    site: str | None = None,
) -> None:
    """Export stored jobs (or, given `history_keyword`, that query's per-run statistics) to
    `target` (None: `out`); the row count goes to `err` when writing to `out`."""
    engine = open_for_reading(database_url)
    try:
        check_readable(engine, database_url)
        stream = target if target is not None else out
        if history_keyword is None:
            count, noun = export_jobs(engine, fmt, stream, cities, bom=bom, site=site), "jobs"
        else:
            count = export_history(engine, fmt, stream, cities, keyword=history_keyword, bom=bom, site=site or "lagou")
            noun = "history rows"
    finally:
        engine.dispose()
    message = f"exported {count} {noun}" + (f" to {target}" if target is not None else "")
    (out if target is not None else err).write(message + "\n")


def print_status(database_url: str, *, out: TextIO, runs: int = 5) -> None:
    """Print the last runs and the state of every query's crawl and page queue."""
    engine = open_for_reading(database_url)
    try:
        check_readable(engine, database_url)
        run_rows, crawl_rows = load_status(engine, runs=runs)
    finally:
        engine.dispose()
    out.write("Last runs:\n" if run_rows else "No runs recorded yet.\n")
    for run in run_rows:
        ended = f"{run.ended_at:%Y-%m-%d %H:%M:%S}" if run.ended_at else "-"
        cities = ", ".join(
            f"{city} {info.get('status', '?')} {info.get('postings', 0)}" for city, info in run.cities.items()
        )
        started = f"{run.started_at:%Y-%m-%d %H:%M:%S}"
        out.write(f"  #{run.id} {run.site} {started} → {ended} {run.outcome}: {cities or '-'}\n")
    if crawl_rows:
        out.write("Crawls (newest per query; times in UTC):\n")
    for crawl in crawl_rows:
        pages = ", ".join(f"{count} {state}" for state, count in sorted(crawl.pages.items())) or "no pages"
        mode = "shared" if crawl.is_shared else "local"
        out.write(
            f"  {crawl.site}/{crawl.keyword}/{crawl.city}: {crawl.status} ({mode}), {crawl.postings} postings, "
            f"pages: {pages}; updated {crawl.updated_at:%Y-%m-%d %H:%M:%S}\n"
        )
    for leftover in find_leftovers():
        out.write(
            f"Leftover browser of a run that died (PID {leftover.marker.partition(':')[0]}): "
            f"{len(leftover.pids)} process(es) in group {leftover.group}; the next scrape ends them\n"
        )


def renormalize(database_url: str, *, out: TextIO) -> None:
    """Re-parse the salaries of rows written by an older salary parser."""
    engine = make_engine(database_url)
    try:
        upgrade_schema(engine)
        changed = renormalize_salaries(engine)
    finally:
        engine.dispose()
    out.write(f"renormalized {changed} jobs\n")
