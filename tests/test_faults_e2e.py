"""Fault matrix: a full scrape of the replica with each block kind and fault switched on.

Real headless Chromium, the real CLI in-process, the replica injecting a fault on every k-th
listing request of a city. Each run must end with exactly the expected unique rows and the
documented exit code. Backoff is shortened through the environment so the matrix stays quick.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import helpers
import pytest
from helpers import run_outcomes, stored_rows

from scraper.cli.main import main
from scraper.sandbox.faults import FaultPlan
from scraper.sandbox.server import ReplicaServer

pytestmark = pytest.mark.browser
CITIES = ("北京", "上海")
LIMIT = 40  # three pages a city: enough for every-second-request faults to fire several times


def expected_rows(city: str, limit: int = LIMIT) -> list[tuple[str, str, str]]:
    return helpers.expected_rows(city, limit)


@pytest.fixture(autouse=True)
def _quick_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPER_BACKOFF", "0.05")
    # A short rate window keeps the pacer's "wait until the window has room" to about a second.
    monkeypatch.setenv("SCRAPER_RATE_WINDOW", "1")
    monkeypatch.setenv("SCRAPER_PAGE_LOAD_TIMEOUT", "3")
    monkeypatch.setenv("SCRAPER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))


def scrape(base_url: str, db: str, *extra: str, cities: tuple[str, ...] = CITIES) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "--base-url",
            base_url,
            "--cities",
            ",".join(cities),
            "--limit",
            str(LIMIT),
            "--delay",
            "0",
            "--db",
            db,
            "--no-report",
            *extra,
        ],
        out=out,
        err=err,
    )
    return code, out.getvalue(), err.getvalue()


def by_city(rows: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str, str]]]:
    return {city: [r for r in rows if r[0] == city] for city in CITIES}


BLOCK_KINDS = [
    "rate_limit_json",
    "rate_limit_2408",
    "redirect_trackmid",
    "redirect_verify",
    "redirect_security_check",
    "redirect_login",
    "redirect_forbidden",
    "login_wall",
    "interstitial",
    # HTTP rate limits and Lagou's newer answers (issue 20; reference §14).
    "http_429",
    "http_503",
    "next_network_error",
    "next_unexpected_error",
    "redirect_login_any",
    "title_security_verify",
    "title_human_verify",
    "title_verify_center",
    "html_for_json",
    "offsite_redirect",  # to 127.0.0.2, where the browser's off-site guard stops it
]
FAULT_KINDS = ["http_500", "truncated", "slow:seconds=5"]


@pytest.mark.parametrize("spec", BLOCK_KINDS + FAULT_KINDS)
def test_run_with_fault_ends_with_exact_rows_and_exit_0(spec: str, sqlite_url: str, tmp_path: Path) -> None:
    kind, _, options = spec.partition(":")
    plan = FaultPlan.parse(f"{kind}:every=2" + (f",{options}" if options else ""))
    with ReplicaServer(faults=plan) as server:
        code, out, err = scrape(server.base_url, sqlite_url)
        injected = [r for r in server.requests if r.fault]
    assert code == 0, err
    assert by_city(stored_rows(sqlite_url)) == {city: expected_rows(city) for city in CITIES}
    assert len(injected) >= 2 * len(CITIES)
    for city in CITIES:
        assert f"{city}: done, {LIMIT} postings ({LIMIT} new, 0 seen before)" in out
    blocks_reported = sum(int(n) for n in re.findall(r"(\d+) blocks", out))
    if kind in BLOCK_KINDS:
        # Every injected block was seen as one, and each left an HTML snapshot behind.
        assert blocks_reported == len(injected)
        assert len(list((tmp_path / "snapshots").glob("*.html"))) == len(injected)
    else:
        assert blocks_reported == 0


def test_an_unreadable_page_is_snapshotted_and_loaded_once_more_without_backoff_or_cookie_clearing(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long backoff: if an unreadable page were still treated as a block, this run would take minutes.
    monkeypatch.setenv("SCRAPER_BACKOFF", "60")
    with ReplicaServer(faults=FaultPlan.parse("no_job_data:every=2")) as server:
        code, out, err = scrape(server.base_url, sqlite_url)
        listing = server.listing_requests()
    assert code == 0, err
    assert by_city(stored_rows(sqlite_url)) == {city: expected_rows(city) for city in CITIES}
    injected = [r for r in listing if r.fault]
    assert len(injected) >= 2 * len(CITIES)
    assert len(list((tmp_path / "snapshots").glob("*_no-job-data.html"))) == len(injected)
    for city in CITIES:
        assert re.search(
            rf"^{city}: done, {LIMIT} postings \({LIMIT} new, 0 seen before\), \d pages, 0 blocks$",
            out,
            flags=re.MULTILINE,
        )
        tokens = {r.client_token for r in listing if r.city == city}
        assert len(tokens) == 1  # cookies were never cleared


def test_a_site_whose_layout_changed_everywhere_fails_the_city_fast(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRAPER_BACKOFF", "60")
    with ReplicaServer(faults=FaultPlan.parse("no_job_data:every=1,cities=北京")) as server:
        code, out, err = scrape(server.base_url, sqlite_url)
        beijing = [(r.page, bool(r.fault)) for r in server.listing_requests() if r.city == "北京"]
    assert code == 1, err
    # Page 1 loaded twice, then the city stops (no page is skipped): no back-off, no parking.
    assert beijing == [(1, True), (1, True)]
    assert (
        "北京: failed, 0 postings (0 new, 0 seen before), 0 pages, 0 blocks — LayoutChangedError: page 1 "
        "unreadable after 2 loads (no job data and no empty-result marker on "
    ) in out
    assert "not skipped: the crawl stays open and the next run resumes at page 1 (see the snapshots)\n" in out
    assert by_city(stored_rows(sqlite_url)) == {"北京": [], "上海": expected_rows("上海")}


def test_sticky_block_is_survived_only_by_clearing_cookies(sqlite_url: str) -> None:
    with ReplicaServer(faults=FaultPlan.parse("sticky_block:every=2,times=2")) as server:
        code, _out, err = scrape(server.base_url, sqlite_url)
        listing = server.listing_requests()
    assert code == 0, err
    assert by_city(stored_rows(sqlite_url)) == {city: expected_rows(city) for city in CITIES}
    blocked = [r for r in listing if r.fault]
    assert blocked
    for record in blocked:
        later = [
            r for r in listing if r.city == record.city and r.time > record.time and r.status == 200 and not r.fault
        ]
        # The next good page came from a new client token: the browser's cookies were cleared.
        assert later
        assert later[0].client_token != record.client_token


def test_city_blocked_every_time_is_parked_others_finish_and_a_rerun_resumes(sqlite_url: str) -> None:
    with ReplicaServer(faults=FaultPlan.parse("rate_limit_json:every=1,cities=北京")) as server:
        code, out, err = scrape(server.base_url, sqlite_url)
    assert code == 1, err
    assert "北京: parked, 0 postings" in out
    assert "blocked 5 times in a row (last: rate_limit)" in out
    assert by_city(stored_rows(sqlite_url)) == {"北京": [], "上海": expected_rows("上海")}
    assert run_outcomes(sqlite_url) == ["partial"]

    with ReplicaServer() as server:
        code, out, err = scrape(server.base_url, sqlite_url)
        loaded = {(r.city, r.page) for r in server.listing_requests()}
    assert code == 0, err
    assert by_city(stored_rows(sqlite_url)) == {city: expected_rows(city) for city in CITIES}
    assert run_outcomes(sqlite_url) == ["partial", "ok"]
    # 上海 had finished, so its crawl starts over; 北京 resumes its open crawl from page 1.
    assert ("北京", 1) in loaded
    assert ("上海", 1) in loaded
