"""Helpers of the hostile-page tests: one scrape of the replica through `main()`, and what it stored.

The policy is shortened through the environment (backoff, rate window, page-load timeout) so a
run with faults takes seconds; snapshots and the lock file go to the test's temp folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import query, run_cli, stored_rows

from scraper.sandbox import data

__all__ = ["expected", "query", "quick_policy", "rows_by_city", "scrape"]  # query: helpers' own, re-exported


def quick_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.05")
    monkeypatch.setenv("SCRAPER_RATE_WINDOW", "1")
    monkeypatch.setenv("SCRAPER_PAGE_LOAD_TIMEOUT", "3")
    monkeypatch.setenv("SCRAPER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))


def scrape(base_url: str, db: str, cities: tuple[str, ...], limit: int, *extra: str) -> tuple[int, str, str]:
    argv = ["--base-url", base_url, "--cities", ",".join(cities), "--limit", str(limit), "--delay", "0"]
    return run_cli(*argv, "--db", db, "--no-report", *extra)


def rows_by_city(url: str, cities: tuple[str, ...]) -> dict[str, list[tuple[str, str, str]]]:
    """Stored (city, title, salary) keys per city, in insertion order; unknown cities under their own name."""
    rows = stored_rows(url)
    found: dict[str, list[tuple[str, str, str]]] = {city: [] for city in cities}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return found


def expected(cities: tuple[str, ...], limit: int) -> dict[str, list[tuple[str, str, str]]]:
    return {city: data.first_unique(city, "Python", limit) for city in cities}
