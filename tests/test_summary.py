"""Pure tests of the salary statistics (`charts.summary`): midpoints, figures, JSON and table.

Expected figures are worked out by hand in the comments (or with `statistics.quantiles`, whose
"inclusive" method is the same linear interpolation), never by calling the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
from pathlib import Path

import pytest
from helpers import job_record

from charts.summary import (
    TABLE_CAPTION,
    CityStats,
    format_summary_table,
    monthly_midpoint,
    stats_of,
    summarize,
    write_summary_json,
)
from db.reads import JobRecord

SEEN = dt.datetime(2024, 5, 1, 10, 0, 0)


def job(city: str, salary: str, low: int | None, high: int | None, *, job_id: int = 1) -> JobRecord:
    """A stored job with only the fields the statistics read set to something meaningful."""
    return job_record(
        job_id, seen_at=SEEN, city=city, title=f"Python开发{job_id}", salary=salary, salary_min=low, salary_max=high
    )


# 北京 midpoints: 20000, 30000, 10000 (open-ended: its floor), 2000 (以下: its ceiling);
# 面议 and unreadable text are unparsed.
BEIJING = [
    job("北京", "15k-25k", 15000, 25000, job_id=1),
    job("北京", "20k-40k", 20000, 40000, job_id=2),
    job("北京", "10k以上", 10000, None, job_id=3),
    job("北京", "2k以下", None, 2000, job_id=4),
    job("北京", "面议", None, None, job_id=5),
    job("北京", "薪资保密", None, None, job_id=6),
]
# 上海 midpoints: 10000, 11000, 16500.
SHANGHAI = [
    job("上海", "8k-12k", 8000, 12000, job_id=7),
    job("上海", "9k-13k", 9000, 13000, job_id=8),
    job("上海", "13k-20k", 13000, 20000, job_id=9),
]
GUANGZHOU_ONLY_NEGOTIABLE = [job("广州", "面议", None, None, job_id=10)]

# Sorted 北京 midpoints 2000, 10000, 20000, 30000 (n=4). Linear interpolation puts percentile p
# at position (n-1)*p/100: p25 -> 0.75 -> 2000 + 0.75*8000 = 8000; p50 -> 1.5 -> 15000;
# p75 -> 2.25 -> 20000 + 0.25*10000 = 22500. Mean 62000/4 = 15500.
BEIJING_STATS = CityStats(
    count=4, unparsed=2, mean=15500.0, median=15000.0, p25=8000.0, p75=22500.0, min=2000.0, max=30000.0
)
# 上海 sorted 10000, 11000, 16500 (n=3): p25 -> 0.5 -> 10500; p50 -> 11000; p75 -> 1.5 -> 13750.
# Mean 37500/3 = 12500.
SHANGHAI_STATS = CityStats(
    count=3, unparsed=0, mean=12500.0, median=11000.0, p25=10500.0, p75=13750.0, min=10000.0, max=16500.0
)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (15000, 25000, 20000.0),
        (15000, 20001, 17500.5),
        (20000, None, 20000.0),
        (None, 2000, 2000.0),
        (None, None, None),
    ],
)
def test_midpoint_uses_both_bounds_else_the_one_stated(
    low: int | None, high: int | None, expected: float | None
) -> None:
    assert monthly_midpoint(job("北京", "x", low, high)) == expected


def test_summary_figures_match_hand_computed_values_with_open_ended_and_unparsed_rows() -> None:
    stats = summarize([*BEIJING, *SHANGHAI, *GUANGZHOU_ONLY_NEGOTIABLE])

    assert stats == {
        "北京": BEIJING_STATS,
        "上海": SHANGHAI_STATS,
        "广州": CityStats(count=0, unparsed=1),
    }


def test_summary_lists_requested_cities_first_and_empty_ones_with_count_zero() -> None:
    stats = summarize(SHANGHAI, cities=["深圳", "上海"])

    assert list(stats) == ["深圳", "上海"]
    assert stats["深圳"] == CityStats(count=0, unparsed=0)
    assert stats["上海"] == SHANGHAI_STATS


def test_summary_percentiles_match_statistics_inclusive_quantiles_on_a_larger_sample() -> None:
    rng = random.Random(7)
    lows = [rng.randrange(3, 60) * 1000 for _ in range(101)]
    jobs = [job("深圳", "x", low, low + rng.randrange(1, 20) * 500, job_id=i) for i, low in enumerate(lows)]
    midpoints = [(j.salary_min + j.salary_max) / 2 for j in jobs if j.salary_min and j.salary_max]
    q1, q2, q3 = statistics.quantiles(midpoints, n=4, method="inclusive")

    result = summarize(jobs)["深圳"]

    assert result.count == 101
    assert result.unparsed == 0
    assert result.mean == pytest.approx(statistics.fmean(midpoints), abs=1e-9)
    assert (result.p25, result.median, result.p75) == pytest.approx((q1, q2, q3), abs=1e-9)
    assert result.median == statistics.median(midpoints)
    assert (result.min, result.max) == (min(midpoints), max(midpoints))


def test_summary_json_is_utf8_with_chinese_keys_and_null_figures_for_empty_cities(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    stats = {
        "北京": BEIJING_STATS,
        "上海": CityStats(count=3, unparsed=0, mean=12345.678, median=1.0, p25=1.0, p75=1.0, min=1.0, max=1.0),
        "广州": CityStats(count=0, unparsed=1),
    }

    write_summary_json(path, stats)

    text = path.read_bytes().decode("utf-8")
    assert '"北京"' in text
    assert json.loads(text) == {
        "北京": {
            "count": 4,
            "unparsed": 2,
            "mean": 15500.0,
            "median": 15000.0,
            "p25": 8000.0,
            "p75": 22500.0,
            "min": 2000.0,
            "max": 30000.0,
        },
        "上海": {
            "count": 3,
            "unparsed": 0,
            "mean": 12345.68,
            "median": 1.0,
            "p25": 1.0,
            "p75": 1.0,
            "min": 1.0,
            "max": 1.0,
        },
        "广州": {
            "count": 0,
            "unparsed": 1,
            "mean": None,
            "median": None,
            "p25": None,
            "p75": None,
            "min": None,
            "max": None,
        },
    }


def test_summary_table_aligns_columns_by_terminal_width_of_chinese_names() -> None:
    stats = {
        "北京": BEIJING_STATS,
        "乌鲁木齐": CityStats(count=0, unparsed=1),
    }

    table = format_summary_table(stats)

    # 乌鲁木齐 is 8 terminal cells wide, so "city" and 北京 (4 cells) are padded with 4 spaces.
    assert table.split("\n") == [
        TABLE_CAPTION,
        "city      count  unparsed    mean  median    p25     p75    min     max",
        "北京          4         2  15,500  15,000  8,000  22,500  2,000  30,000",
        "乌鲁木齐      0         1       -       -      -       -      -       -",
    ]


def test_summary_table_is_plain_text_even_where_rich_would_colour_and_squeeze(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("FORCE_COLOR", "1"), ("TTY_COMPATIBLE", "1"), ("COLUMNS", "20")):
        monkeypatch.setenv(name, value)
    stats = {"[bold]深圳": stats_of([9_000.0], 0), "北京": CityStats(count=0, unparsed=0)}

    table = format_summary_table(stats)

    # No escape codes, a city name is text (not markup), and the 20-column terminal squeezes nothing.
    assert table.split("\n") == [
        TABLE_CAPTION,
        "city        count  unparsed   mean  median    p25    p75    min    max",
        "[bold]深圳      1         0  9,000   9,000  9,000  9,000  9,000  9,000",
        "北京            0         0      -       -      -      -      -      -",
    ]
