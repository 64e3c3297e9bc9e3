"""The report step on a real database (SQLite and PostgreSQL): `build_report` writes valid PNGs of a
readable size, `summary.json` and `index.html`, and says so instead of crashing when there is
nothing to chart."""

from __future__ import annotations

import datetime as dt
import json
import logging
import struct
import warnings
from pathlib import Path

import pytest
from chart_helpers import glyph_warnings
from sqlalchemy import Engine

from charts.bands import OTHER
from charts.breakdown import SkillFigure, breakdown_of
from charts.breakdown_plots import EXPERIENCE_PNG, SKILLS_PNG
from charts.page import INDEX_HTML
from charts.plots import CHART_FILES
from charts.report import SUMMARY_JSON, ReportResult, build_report
from charts.summary import CityStats
from db.reads import JobRecord, load_jobs
from db.writes import upsert_postings
from scraper.model.postings import Posting, Salary, SalaryPeriod

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXPECTED_PNG_SIZE = (1200, 700)
SEEN = dt.datetime(2024, 5, 1, 10, 0, 0)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE
    length, chunk_type, width, height = struct.unpack(">I4sII", head[8:24])
    assert (length, chunk_type) == (13, b"IHDR")
    return width, height


def posting(city: str, title: str, raw: str, low: int | None, high: int | None, work_year: str = "3-5年") -> Posting:
    salary = Salary(
        raw=raw,
        period=SalaryPeriod.MONTH if low or high else None,
        monthly_min=low,
        monthly_max=high,
        is_parsed=low is not None or high is not None,
    )
    return Posting(city=city, title=title, salary=salary, work_year=work_year, education="本科", skills=("Python",))


def store(engine: Engine, postings: list[Posting]) -> None:
    with engine.begin() as conn:
        upsert_postings(conn, postings, seen_at=SEEN, site="lagou", keyword="Python")


def result_jobs(engine: Engine, city: str) -> list[JobRecord]:
    return load_jobs(engine, [city])


REPORT_POSTINGS = [
    posting("北京", "Python开发", "15k-25k", 15000, 25000),
    posting("北京", "数据工程师", "20k-40k", 20000, 40000),
    posting("北京", "后端工程师", "10k以上", 10000, None),
    posting("北京", "爬虫工程师", "面议", None, None, work_year="1-3年"),
    posting("上海", "Python开发", "8k-12k", 8000, 12000),
    posting("深圳", "Python开发", "面议", None, None),
]


def test_report_writes_three_readable_pngs_summary_json_and_index_html(migrated_engine: Engine, tmp_path: Path) -> None:
    store(migrated_engine, REPORT_POSTINGS)
    out_dir = tmp_path / "report"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_report(migrated_engine, out_dir, ["北京", "上海", "深圳", "广州"])

    assert result.paths == [out_dir / name for name in (*CHART_FILES, EXPERIENCE_PNG, SUMMARY_JSON, INDEX_HTML)]
    assert result.notice is None
    page = (out_dir / INDEX_HTML).read_text(encoding="utf-8")
    assert all(f'<img src="{name}"' in page for name in CHART_FILES)
    assert "<td>北京</td><td>3</td><td>1</td><td>20,000</td>" in page
    assert [png_size(png) for png in result.paths[:4]] == [EXPECTED_PNG_SIZE] * 4
    assert glyph_warnings([str(w.message) for w in caught]) == []
    # 北京 midpoints 20000, 30000, 10000: mean 20000, p25 15000, p75 25000.
    nulls = dict.fromkeys(("mean", "median", "p25", "p75", "min", "max"))
    beijing = {
        "count": 3,
        "unparsed": 0,
        "mean": 20000.0,
        "median": 20000.0,
        "p25": 15000.0,
        "p75": 25000.0,
        "min": 10000.0,
        "max": 30000.0,
    }
    shanghai = {
        "count": 1,
        "unparsed": 0,
        "mean": 10000.0,
        "median": 10000.0,
        "p25": 10000.0,
        "p75": 10000.0,
        "min": 10000.0,
        "max": 10000.0,
    }
    assert json.loads((out_dir / SUMMARY_JSON).read_text(encoding="utf-8")) == {
        "北京": {**beijing, "unparsed": 1,
                 "by_experience": {"1-3年": {"count": 0, "unparsed": 1, **nulls}, "3-5年": beijing},
                 "by_education": {"本科": {**beijing, "unparsed": 1}}, "skills": []},
        "上海": {**shanghai, "by_experience": {"3-5年": shanghai}, "by_education": {"本科": shanghai}, "skills": []},
        "深圳": {"count": 0, "unparsed": 1, **nulls, "by_experience": {"3-5年": {"count": 0, "unparsed": 1, **nulls}},
                 "by_education": {"本科": {"count": 0, "unparsed": 1, **nulls}}, "skills": []},
        "广州": {"count": 0, "unparsed": 0, **nulls, "by_experience": {}, "by_education": {}, "skills": []},
    }  # fmt: skip
    assert build_report(migrated_engine, tmp_path / "three", ["北京"], min_skill_jobs=3).breakdowns["北京"].skills == [
        SkillFigure("Python", 3, 20000.0)
    ]
    assert list(result.stats) == ["北京", "上海", "深圳", "广州"]


def test_report_without_cjk_font_still_draws_every_chart_without_missing_glyphs(
    migrated_engine: Engine, tmp_path: Path
) -> None:
    store(migrated_engine, REPORT_POSTINGS)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build_report(migrated_engine, tmp_path, None, find_font=lambda: None, min_skill_jobs=1)

    assert [p.name for p in result.paths] == [*CHART_FILES, EXPERIENCE_PNG, SKILLS_PNG, SUMMARY_JSON, INDEX_HTML]
    assert glyph_warnings([str(w.message) for w in caught]) == []


def test_report_on_empty_database_writes_no_chart_and_says_why(migrated_engine: Engine, tmp_path: Path) -> None:
    out_dir = tmp_path / "report"

    result = build_report(migrated_engine, out_dir, None)

    assert result == ReportResult(
        paths=[out_dir / SUMMARY_JSON, out_dir / INDEX_HTML], stats={}, notice="no jobs stored; no charts drawn"
    )
    assert json.loads((out_dir / SUMMARY_JSON).read_text(encoding="utf-8")) == {}
    assert sorted(p.name for p in out_dir.iterdir()) == [INDEX_HTML, SUMMARY_JSON]
    assert "数据库中没有职位，未绘制图表" in (out_dir / INDEX_HTML).read_text(encoding="utf-8")
    build_report(migrated_engine, out_dir, None, lang="en")
    assert "no jobs stored; no charts drawn" in (out_dir / INDEX_HTML).read_text(encoding="utf-8")


def test_report_without_any_parsed_salary_writes_no_chart(migrated_engine: Engine, tmp_path: Path) -> None:
    store(migrated_engine, REPORT_POSTINGS)

    result = build_report(migrated_engine, tmp_path, ["深圳"])

    assert result == ReportResult(
        paths=[tmp_path / SUMMARY_JSON, tmp_path / INDEX_HTML],
        stats={"深圳": CityStats(count=0, unparsed=1)},
        notice="no stored job for 深圳 has a parsed salary; no charts drawn",
        breakdowns={"深圳": breakdown_of(result_jobs(migrated_engine, "深圳"))},
    )


def test_a_label_that_fits_no_band_is_counted_under_other_and_logged_once(
    migrated_engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store(
        migrated_engine, [posting(city, "Python开发", "8k-12k", 8000, 12000, "3年及以上") for city in ("北京", "上海")]
    )

    with caplog.at_level(logging.WARNING, logger="charts.report"):
        result = build_report(migrated_engine, tmp_path, None)

    assert [r.getMessage() for r in caplog.records] == [
        "experience label '3年及以上' fits no band; its jobs are counted under 'other'"
    ]
    assert all(
        list(b.by_experience) == [OTHER] and b.by_experience[OTHER].count == 1 for b in result.breakdowns.values()
    )
