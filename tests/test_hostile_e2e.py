"""Hostile pages end to end (issue 20): real headless Chromium, the replica, the CLI in-process.

No run may exit 0 unless it stored exactly the first N unique postings of every city it names.
A NUL character costs nothing; a page that stays unreadable stops its city (exit 1, crawl left
open) instead of being skipped, and the next run fills the gap; a wrong answer (another city's
jobs, a GBK page read as UTF-8) is never stored as data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import query
from hostile_helpers import expected, quick_policy, rows_by_city, scrape

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


def test_http_429_twice_is_a_rate_limit_honouring_retry_after_then_the_run_completes(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    cities, limit = ("北京",), 30
    with ReplicaServer(faults=FaultPlan.parse("http_429:every=1,times=2")) as server:
        code, out, err = scrape(server.base_url, sqlite_url, cities, limit)
        listing = server.listing_requests()
    assert code == 0, err + out
    assert rows_by_city(sqlite_url, cities) == expected(cities, limit)
    assert [(r.page, r.status) for r in listing[:3]] == [(1, 429), (1, 429), (1, 200)]
    # Retry-After: 1 is waited out although the backoff is 0.05 s; the cookies were cleared each time.
    assert listing[1].time - listing[0].time >= 1.0
    assert listing[2].time - listing[1].time >= 1.0
    assert len({r.client_token for r in listing[:3]}) == 3
    assert "北京: done, 30 postings (30 new, 0 seen before), 3 pages, 2 blocks" in out
    assert "blocked (http_429: Retry-After 1 s)" in caplog.text


def test_an_off_site_redirect_is_never_followed_and_is_named_in_the_log_and_run_record(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    cities, limit = ("北京", "上海"), 20
    with ReplicaServer(host="127.0.0.2") as other:
        port = int(other.base_url.rsplit(":", 1)[1])
        plan = FaultPlan.parse("offsite_redirect:every=1,cities=北京")
        with ReplicaServer(faults=plan, offsite_port=port) as server:
            code, out, err = scrape(server.base_url, sqlite_url, cities, limit)
        assert other.requests == []  # the browser never reached the other host
    target = f"http://127.0.0.2:{port}/wn/jobs"
    assert code == 1, err + out
    assert "北京: parked, 0 postings (0 new, 0 seen before), 0 pages, 5 blocks — blocked 5 times in a row " in out
    assert f"(last: offsite_redirect); redirected off the site to {target}" in out
    assert f"blocked (offsite_redirect: {target})" in caplog.text
    assert "crash" not in caplog.text.lower()
    [(counts,)] = query(sqlite_url, "SELECT city_counts FROM runs")
    beijing = json.loads(str(counts))["北京"] if isinstance(counts, str) else counts["北京"]  # type: ignore[index]
    assert beijing["errors"] == {"block:offsite_redirect": 5}
    assert target in beijing["reason"]
    assert rows_by_city(sqlite_url, cities) == {"北京": [], "上海": expected(("上海",), limit)["上海"]}
