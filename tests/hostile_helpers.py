"""Helpers of the hostile-page tests: a quick policy, one scrape of the replica, and every stored city.

The policy is shortened through the environment (backoff, rate window, page-load timeout) so a
run with faults takes seconds; snapshots and the lock file go to the test's temp folder.
This `rows_by_city` differs from `helpers.rows_by_city` on purpose: it keeps rows filed under a
city that was not asked for (the bug that wrong answers caused), so a test sees them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Row, expected_rows, run_cli, stored_rows


def quick_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.05")
    monkeypatch.setenv("SCRAPER_RATE_WINDOW", "1")
    monkeypatch.setenv("SCRAPER_PAGE_LOAD_TIMEOUT", "3")
    monkeypatch.setenv("SCRAPER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))


def scrape(base_url: str, db: str, cities: tuple[str, ...], limit: int, *extra: str) -> tuple[int, str, str]:
    """One scrape through `main()`: (exit code, stdout, stderr)."""
    argv = ["--base-url", base_url, "--cities", ",".join(cities), "--limit", str(limit), "--delay", "0"]
    return run_cli(*argv, "--db", db, "--no-report", *extra)


def rows_by_city(url: str, cities: tuple[str, ...]) -> dict[str, list[Row]]:
    """Stored rows per city in id order: the `cities` (empty when none) and any other city found."""
    found: dict[str, list[Row]] = {city: [] for city in cities}
    for row in stored_rows(url):
        found.setdefault(row[0], []).append(row)
    return found


def expected(cities: tuple[str, ...], limit: int) -> dict[str, list[Row]]:
    return {city: expected_rows(city, limit) for city in cities}
