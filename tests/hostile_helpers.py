"""Helpers of the hostile-page tests: one scrape of the replica through `main()`, and what it stored.

The policy is shortened through the environment (backoff, rate window, page-load timeout) so a
run with faults takes seconds; snapshots and the lock file go to the test's temp folder.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scraper.cli.main import main
from scraper.sandbox import data


def quick_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.05")
    monkeypatch.setenv("SCRAPER_RATE_WINDOW", "1")
    monkeypatch.setenv("SCRAPER_PAGE_LOAD_TIMEOUT", "3")
    monkeypatch.setenv("SCRAPER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))


def scrape(base_url: str, db: str, cities: tuple[str, ...], limit: int, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = ["--base-url", base_url, "--cities", ",".join(cities), "--limit", str(limit), "--delay", "0"]
    code = main([*argv, "--db", db, "--no-report", *extra], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def rows_by_city(url: str, cities: tuple[str, ...]) -> dict[str, list[tuple[str, str, str]]]:
    """Stored (city, title, salary) keys per city, in insertion order; unknown cities under their own name."""
    rows = [(str(c), str(t), str(s)) for c, t, s in query(url, "SELECT city, title, salary FROM jobs ORDER BY id")]
    found: dict[str, list[tuple[str, str, str]]] = {city: [] for city in cities}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    return found


def expected(cities: tuple[str, ...], limit: int) -> dict[str, list[tuple[str, str, str]]]:
    return {city: data.first_unique(city, "Python", limit) for city in cities}
