"""Scraping through remote browsers: city workers sharing one Grid pool, and the CLI with `--webdriver-url`
on a Grid and on a bare chromedriver. Pages come from the replica on 127.0.0.1."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import expected_rows, stored_rows
from remote_helpers import FAST, image_requests

from scraper.browser.endpoints import parse_endpoints
from scraper.browser.remote import RemoteBrowser, remote_browser_factory
from scraper.cli.main import main
from scraper.crawl.page_sources import LocalPages
from scraper.crawl.worker import CityWorker, WorkerPolicy
from scraper.model.postings import PageResult
from scraper.sandbox import data
from scraper.sandbox.server import ReplicaServer
from scraper.sites.lagou.adapter import LagouSite

pytestmark = pytest.mark.browser  # every test here starts Chromium, on a Grid or a bare chromedriver
SITE = LagouSite()
KEYWORD = "Python"


def test_city_workers_scrape_through_the_grid_sharing_one_pool(grid_url: str, replica: ReplicaServer) -> None:
    results: list[PageResult] = []
    start_browser: Callable[[], RemoteBrowser] = remote_browser_factory(parse_endpoints(f"{grid_url}#2"), FAST)
    policy = WorkerPolicy(limit=20, delay=0, max_blocks=2, max_retries=1, backoff=0.1)
    workers = []
    for city in ("深圳", "杭州"):
        pages = LocalPages(list(range(1, SITE.max_pages + 1)))
        workers.append(
            CityWorker(
                city=city,
                keyword=KEYWORD,
                base_url=replica.base_url,
                site=SITE,
                pages=pages,
                policy=policy,
                start_browser=start_browser,
                submit=results.append,
                stop=threading.Event(),
            )
        )
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    for worker in workers:
        assert (worker.report.status, worker.report.reason, worker.report.postings) == ("done", "", 20)
        got = [p.key for r in results if r.city == worker.city for p in r.postings]
        want: list[tuple[str, str, str]] = []
        for job in data.jobs_for(worker.city, KEYWORD):
            key = (worker.city, job["positionName"].strip(), job["salary"])
            if key not in want and len(want) < 20:
                want.append(key)
        assert got == want
    assert image_requests(replica) == []


@pytest.mark.parametrize("endpoint", ["grid", "chromedriver"])
def test_cli_scrape_through_a_webdriver_url_stores_the_expected_rows(
    endpoint: str,
    request: pytest.FixtureRequest,
    replica: ReplicaServer,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = request.getfixturevalue("grid_url" if endpoint == "grid" else "chromedriver_url")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPER_LOCK_FILE", str(tmp_path / "run.lock"))
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "--webdriver-url",
            f"{url}#2",
            "--base-url",
            replica.base_url,
            "--cities",
            "广州,成都",
            "--limit",
            "30",
            "--delay",
            "0",
            "--db",
            sqlite_url,
            "--no-report",
        ],
        out=out,
        err=err,
    )
    assert code == 0, err.getvalue()
    rows = stored_rows(sqlite_url)
    assert [r for r in rows if r[0] == "广州"] == expected_rows("广州", 30)
    assert [r for r in rows if r[0] == "成都"] == expected_rows("成都", 30)
