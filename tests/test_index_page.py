"""`index.html` in a real headless browser: it renders from the files beside it, with no network.

The page of a report over two sandbox days is opened from disk; every image must have loaded,
the salary table must hold a row per city with the change columns, the console must stay free of
errors, and a screenshot is saved (kept under the test's folder for a person to look at).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import choose_browser, find_chromedriver, is_running_as_root
from scraper.cli.main import main

pytestmark = pytest.mark.browser
CITIES = ("北京", "上海", "广州", "深圳")


@pytest.fixture
def page_browser() -> Iterator[webdriver.Chrome]:
    """A plain headless browser with images on (the scraper's own browsers block them) and console logging."""
    binary, is_shell = choose_browser(BrowserChoice.AUTO, None)
    options = webdriver.ChromeOptions()
    if not is_shell:
        options.add_argument("--headless=new")
    if is_running_as_root():
        options.add_argument("--no-sandbox")
    options.add_argument("--window-size=1280,2400")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if binary:
        options.binary_location = binary
    driver = webdriver.Chrome(service=Service(find_chromedriver(None)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_index_html_renders_its_charts_table_and_trend_offline(
    sqlite_url: str, tmp_path: Path, page_browser: webdriver.Chrome
) -> None:
    report_dir = tmp_path / "report"
    for day in ("0", "1"):
        out, err = io.StringIO(), io.StringIO()
        code = main(
            [
                "--sandbox",
                "--sandbox-day",
                day,
                "--cities",
                "all",
                "--limit",
                "30",
                "--delay",
                "0",
                "--db",
                sqlite_url,
                "--report-dir",
                str(report_dir),
            ],
            out=out,
            err=err,
        )
        assert code == 0, err.getvalue()
    index = report_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "://" not in page  # nothing to fetch from a network

    page_browser.get(index.as_uri())
    images = page_browser.execute_script(
        "return Array.from(document.images, i => [i.getAttribute('src'), i.complete, i.naturalWidth]);"
    )
    assert [src for src, _complete, _width in images] == [
        "salary_distribution.png",
        "salary_by_city.png",
        "salary_histograms.png",
        "salary_trend.png",
    ]
    assert all(complete and width == 1200 for _src, complete, width in images), images
    header, rows = page_browser.execute_script(
        "const t = document.getElementById('salary-table');"
        "return [Array.from(t.tHead.rows[0].cells, c => c.textContent),"
        "        Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent))];"
    )
    assert header[-3:] == ["new", "gone", "Δ median"]
    assert [row[0] for row in rows] == list(CITIES)
    assert all(row[1].isdigit() and int(row[1]) > 0 for row in rows)
    log = page_browser.get_log("browser")  # type: ignore[no-untyped-call]
    errors = [entry for entry in log if entry["level"] == "SEVERE"]
    assert errors == []
    shot = tmp_path / "index.png"
    assert page_browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 50_000  # charts, not a blank page
