"""`index.html` in a real headless browser: it renders from the files beside it, with no network.

The page of a report over two sandbox days is opened from disk; every image must have loaded,
the salary table must hold a row per city with the change columns, the console must stay free of
errors, and a screenshot is saved (kept under the test's folder for a person to look at). The page
is in one language: Chinese by default, English with `report --lang en`; it says the data is
sandbox data, explains new, gone and Δ median, lists the runs behind the history and links an
export found beside it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from sqlalchemy import create_engine, text

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


def table_of(browser: webdriver.Chrome, table_id: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and body rows of the page's table `table_id`, as the browser shows them."""
    header, rows = browser.execute_script(
        "const t = document.getElementById(arguments[0]);"
        "return [Array.from(t.tHead.rows[0].cells, c => c.textContent),"
        "        Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent))];",
        table_id,
    )
    return header, rows


def headings_of(browser: webdriver.Chrome) -> list[str]:
    return list(browser.execute_script("return Array.from(document.querySelectorAll('h1, h2'), h => h.textContent);"))


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
        "salary_by_experience.png",
        "salary_by_skill.png",
    ]
    assert all(complete and width == 1200 for _src, complete, width in images), images
    header, rows = table_of(page_browser, "salary-table")
    assert header[-3:] == ["新增", "下架", "Δ 中位数"]
    assert [row[0] for row in rows] == list(CITIES)
    assert all(row[1].isdigit() and int(row[1]) > 0 for row in rows)
    assert page_browser.find_element("tag name", "html").get_attribute("lang") == "zh-CN"
    assert headings_of(page_browser) == [
        "Python 职位各城市月薪",
        "数据如何采集",
        "月薪表",
        "怎样读这些数字",
        "月薪分布",
        "各城市平均值与中位数",
        "月薪区间",
        "月薪中位数走势",
        "按工作经验的月薪",
        "技能溢价",
        "按学历的月薪",
        "下载",
        "历史中的运行",
    ]
    note = page_browser.find_element("id", "sandbox-note").text
    assert note.startswith("注意：本页全部数据来自内置的离线仿真站点（--sandbox）")
    guide = page_browser.find_element("id", "guide").text
    assert all(term in guide for term in ("统计范围", "新增", "下架", "Δ 中位数", "完整采集"))
    run_header, runs = table_of(page_browser, "runs")
    assert run_header[0] == "运行"
    assert [(run[0], run[3], run[5]) for run in runs] == [
        ("#1", "完成", "离线仿真站点（第 0 天）"),
        ("#2", "完成", "离线仿真站点（第 1 天）"),
    ]
    # The breakdown sections: each chart in its own section, and the education table.
    sections = page_browser.execute_script(
        "return Array.from(document.querySelectorAll('section'), s => [s.id,"
        "  Array.from(s.querySelectorAll('img'), i => i.getAttribute('src'))]);"
    )
    assert sections == [
        ["by-experience", ["salary_by_experience.png"]],
        ["skill-premium", ["salary_by_skill.png"]],
        ["by-education", []],
    ]
    _header, education = table_of(page_browser, "education-table")
    assert [row[0] for row in education] == sorted((row[0] for row in education), key=CITIES.index)
    assert {row[1] for row in education} == {"不限", "大专", "本科", "硕士", "博士"}
    for city in CITIES:  # a city's levels hold every job of its latest run
        assert sum(int(row[2]) + int(row[3]) for row in education if row[0] == city) == 30
    log = page_browser.get_log("browser")  # type: ignore[no-untyped-call]
    errors = [entry for entry in log if entry["level"] == "SEVERE"]
    assert errors == []
    shot = tmp_path / "index.png"
    assert page_browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 50_000  # charts, not a blank page


def test_report_lang_en_writes_an_english_page_that_links_the_csv_export(
    sqlite_url: str, tmp_path: Path, page_browser: webdriver.Chrome
) -> None:
    report_dir = tmp_path / "report"
    base = ["--db", sqlite_url]
    scrape = ["--sandbox", "--cities", "北京,上海", "--limit", "15", "--delay", "0", "--no-report", *base]
    export = ["export", "--format", "csv", "--output", str(report_dir / "jobs.csv"), *base]
    report = ["report", "--lang", "en", "--out", str(report_dir), *base]
    report_dir.mkdir()
    for argv in (scrape, export, report):
        err = io.StringIO()
        assert main(argv, out=io.StringIO(), err=err) == 0, err.getvalue()

    page_browser.get((report_dir / "index.html").as_uri())
    assert page_browser.find_element("tag name", "html").get_attribute("lang") == "en"
    assert headings_of(page_browser)[:4] == [
        "Python salaries by city",
        "How the data was collected",
        "Salary table",
        "How to read the figures",
    ]
    header, rows = table_of(page_browser, "salary-table")
    assert header == [
        "city",
        "count",
        "unparsed",
        "mean",
        "median",
        "p25",
        "p75",
        "min",
        "max",
        "new",
        "gone",
        "Δ median",
    ]
    assert [row[0] for row in rows] == ["Beijing", "Shanghai"]
    assert headings_of(page_browser)[-5:-2] == ["Salary by experience", "Skill premium", "Salary by education"]
    _header, education = table_of(page_browser, "education-table")
    assert {row[1] for row in education} <= {"any", "associate", "bachelor", "master", "PhD"}
    assert page_browser.find_element("id", "sandbox-note").text.startswith("Note: all data on this page comes from")
    links = page_browser.execute_script(
        "return Array.from(document.querySelectorAll('#downloads a'), a => [a.textContent, a.href]);"
    )
    assert links == [["jobs.csv", (report_dir / "jobs.csv").as_uri()]]
    _header, runs = table_of(page_browser, "runs")
    assert [(run[0], run[4], run[5]) for run in runs] == [("#1", "Beijing, Shanghai", "offline replica (day 0)")]
    # English throughout: no Chinese outside the guide's quoted salary forms (20k以上, 面议).
    visible = page_browser.find_element("tag name", "body").text
    assert re.findall(r"[\u4e00-\u9fff]+", visible) == ["以上", "面议"]


def test_four_sandbox_runs_in_two_close_pairs_draw_a_readable_trend(
    sqlite_url: str, tmp_path: Path, page_browser: webdriver.Chrome
) -> None:
    # The case: four runs, two pairs 45 s apart (times moved after the runs, as a nightly pair would be).
    report_dir = tmp_path / "report"
    for day in ("0", "1", "2", "3"):
        argv = ["--sandbox", "--sandbox-day", day, "--cities", "北京,上海", "--limit", "15", "--delay", "0"]
        err = io.StringIO()
        assert main([*argv, "--no-report", "--db", sqlite_url], out=io.StringIO(), err=err) == 0, err.getvalue()
    start = dt.datetime(2026, 12, 5, 22, 0, 0)
    finished = {1: start, 2: start + dt.timedelta(seconds=45), 3: start + dt.timedelta(hours=3)}
    finished[4] = finished[3] + dt.timedelta(seconds=45)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        for run_id, when in finished.items():
            conn.execute(
                text("UPDATE crawls SET completed_at = :at WHERE completed_run_id = :id"), {"at": when, "id": run_id}
            )
            conn.execute(text("UPDATE runs SET ended_at = :at WHERE id = :id"), {"at": when, "id": run_id})
    engine.dispose()
    err = io.StringIO()
    assert main(["report", "--out", str(report_dir), "--db", sqlite_url], out=io.StringIO(), err=err) == 0

    page_browser.get((report_dir / "index.html").as_uri())
    trend = page_browser.execute_script(
        "const i = document.querySelector('img[src=\"salary_trend.png\"]'); return [i.complete, i.naturalWidth];"
    )
    assert trend == [True, 1200]
    _header, runs = table_of(page_browser, "runs")
    assert [(run[0], run[2], run[5]) for run in runs] == [
        ("#1", "2026-12-05 22:00 UTC", "离线仿真站点（第 0 天）"),
        ("#2", "2026-12-05 22:00 UTC", "离线仿真站点（第 1 天）"),
        ("#3", "2026-12-06 01:00 UTC", "离线仿真站点（第 2 天）"),
        ("#4", "2026-12-06 01:00 UTC", "离线仿真站点（第 3 天）"),
    ]
    shot = tmp_path / "trend.png"  # for a person to look at: the trend chart as the page shows it
    assert page_browser.find_element("css selector", 'img[src="salary_trend.png"]').screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
