"""Glue between the CLI and the read side: report (charts + summary), export and renormalize.

Each function opens the database named by the settings, migrates it (so a report on a new
database explains itself instead of failing), does its one job and prints a short result.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TextIO

from charts.report import build_report
from charts.summary import format_summary_table
from db.engine import make_engine, upgrade_schema
from db.reads import renormalize_salaries
from scraper.export import export_jobs


def print_report(database_url: str, out_dir: Path, cities: Sequence[str] | None, *, out: TextIO) -> None:
    """Write the charts and summary.json into `out_dir` and print the per-city salary table."""
    engine = make_engine(database_url)
    try:
        upgrade_schema(engine)
        result = build_report(engine, out_dir, cities)
    finally:
        engine.dispose()
    out.write(format_summary_table(result.stats) + "\n")
    if result.notice:
        out.write(f"report: {result.notice}\n")
    out.write("report: " + ", ".join(str(path) for path in result.paths) + "\n")


def export(
    database_url: str,
    fmt: Literal["csv", "jsonl"],
    target: Path | None,
    cities: Sequence[str] | None,
    *,
    bom: bool,
    out: TextIO,
) -> None:
    """Export stored jobs to `target` (None: `out`); the row count goes to stderr when writing to `out`."""
    engine = make_engine(database_url)
    try:
        upgrade_schema(engine)
        count = export_jobs(engine, fmt, target if target is not None else out, cities, bom=bom)
    finally:
        engine.dispose()
    message = f"exported {count} jobs" + (f" to {target}" if target is not None else "")
    (out if target is not None else sys.stderr).write(message + "\n")


def renormalize(database_url: str, *, out: TextIO) -> None:
    """Re-parse the salaries of rows written by an older salary parser."""
    engine = make_engine(database_url)
    try:
        upgrade_schema(engine)
        changed = renormalize_salaries(engine)
    finally:
        engine.dispose()
    out.write(f"renormalized {changed} jobs\n")
