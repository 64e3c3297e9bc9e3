"""Hostile pages end to end (issue 20): real headless Chromium, the replica, the CLI in-process.

No run may exit 0 unless it stored exactly the first N unique postings of every city it names.
A NUL character costs nothing; a page that stays unreadable stops its city (exit 1, crawl left
open) instead of being skipped, and the next run fills the gap; a wrong answer (another city's
jobs, a GBK page read as UTF-8) is never stored as data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_helpers import expected, query, quick_policy, rows_by_city, scrape

from scraper.sandbox.faults import FaultPlan
from scraper.sandbox.server import ReplicaServer

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick_policy(tmp_path, monkeypatch)


def test_a_nul_title_on_page_2_costs_nothing_on_either_database(db_url: str) -> None:
    cities, limit = ("北京", "上海", "广州"), 30
    with ReplicaServer(faults=FaultPlan.parse("nul_title:every=2,times=1,cities=北京")) as server:
        code, out, err = scrape(server.base_url, db_url, cities, limit)
        injected = [(r.city, r.page) for r in server.listing_requests() if r.fault]
    assert injected == [("北京", 2)]
    assert code == 0, err + out
    assert rows_by_city(db_url, cities) == expected(cities, limit)
    assert query(db_url, "SELECT outcome FROM runs") == [("ok",)]


@pytest.mark.parametrize("fault", ["http_404", "maintenance"])
def test_a_page_unreadable_twice_is_never_skipped_and_the_next_run_fills_the_gap(db_url: str, fault: str) -> None:
    cities, limit = ("北京",), 30
    with ReplicaServer(faults=FaultPlan.parse(f"{fault}:every=1,times=2")) as server:
        code, out, err = scrape(server.base_url, db_url, cities, limit)
        loaded = [(r.page, bool(r.fault)) for r in server.listing_requests()]
    assert code == 1, err + out
    assert loaded == [(1, True), (1, True)]  # the page is not skipped: nothing after it is loaded
    assert "北京: failed, 0 postings" in out
    assert "page 1 unreadable after 2 loads" in out
    assert rows_by_city(db_url, cities) == {"北京": []}
    assert query(db_url, "SELECT status FROM crawls") == [("open",)]

    with ReplicaServer() as server:
        code, out, err = scrape(server.base_url, db_url, cities, limit)
    assert code == 0, err + out
    assert rows_by_city(db_url, cities) == expected(cities, limit)
    # A third run starts a new crawl and stores nothing past the limit.
    with ReplicaServer() as server:
        code, out, err = scrape(server.base_url, db_url, cities, limit)
    assert code == 0, err + out
    assert rows_by_city(db_url, cities) == expected(cities, limit)


@pytest.mark.parametrize("fault", ["wrong_city", "gbk_as_utf8"])
def test_a_wrong_answer_is_snapshotted_and_fails_the_city_loudly_storing_nothing(
    sqlite_url: str, tmp_path: Path, fault: str
) -> None:
    cities, limit = ("北京", "广州"), 20
    with ReplicaServer(faults=FaultPlan.parse(f"{fault}:every=1,times=2,cities=北京")) as server:
        code, out, err = scrape(server.base_url, sqlite_url, cities, limit)
    assert code == 1, err + out
    assert "北京: failed, 0 postings" in out
    assert "every job on the page names another city" in out
    # Nothing under 北京, nothing under 上海 or a garbled name: only 广州's own rows.
    assert rows_by_city(sqlite_url, cities) == {"北京": [], "广州": expected(("广州",), limit)["广州"]}
    assert len(list((tmp_path / "snapshots").glob("*_wrong-answer.html"))) == 2

    with ReplicaServer() as server:
        code, out, err = scrape(server.base_url, sqlite_url, cities, limit)
    assert code == 0, err + out
    assert rows_by_city(sqlite_url, cities) == expected(cities, limit)
