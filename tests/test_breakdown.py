"""Pure tests of the salary breakdowns (`charts.breakdown`): bands, levels and skills of a hand-made
set of jobs, with every expected figure worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest
from chart_helpers import glyph_warnings
from helpers import job_record

from charts.bands import OTHER
from charts.breakdown import SkillFigure, breakdown_dict, breakdown_of, breakdowns_by
from charts.breakdown_plots import plot_skills
from charts.breakdown_table import format_breakdown_table
from charts.fonts import find_cjk_font
from charts.plots import chart_style
from charts.summary import CityStats, stats_dict, summarize, write_summary_json
from db.reads import JobRecord

SEEN = dt.datetime(2024, 5, 1, 10, 0, 0)


def job(
    job_id: int,
    low: int | None,
    high: int | None,
    *,
    work_year: str | None = "3-5年",
    education: str | None = "本科",
    skills: tuple[str, ...] = (),
    site: str = "lagou",
) -> JobRecord:
    return job_record(
        job_id, seen_at=SEEN, site=site, salary_min=low, salary_max=high, work_year=work_year,
        education=education, skills=skills,
    )  # fmt: skip


# Midpoints: 1 → 10000, 2 → 20000, 3 → 30000, 4 → unparsed (面议), 5 → 40000, 6 → 12000 (floor of 12k以上).
JOBS = [
    job(1, 8000, 12000, work_year="应届毕业生", education="大专", skills=("Python", "Django")),
    job(2, 15000, 25000, work_year="3-5年", education="本科", skills=("Python", "Python", "Go")),
    job(3, 25000, 35000, work_year="3-5年", education="硕士", skills=("Go", " Python ")),
    job(4, None, None, work_year="3-5年", education="本科", skills=("Python", "Go")),
    job(5, 30000, 50000, work_year="3年及以上", education="学历不限", skills=("Python", "Go")),
    job(6, 12000, None, work_year="在校/应届", education=None, skills=("Django",)),
]


def test_bands_in_order_with_other_last_and_every_job_counted() -> None:
    result = breakdown_of(JOBS, min_skill_jobs=1)

    assert list(result.by_experience) == ["应届", "3-5年", OTHER]
    # 应届: 10000 and 12000 → mean 11000, median 11000, p25 10500, p75 11500.
    assert result.by_experience["应届"] == CityStats(2, 0, 11000.0, 11000.0, 10500.0, 11500.0, 10000.0, 12000.0)
    # 3-5年: 20000 and 30000 parsed, job 4 unparsed.
    assert result.by_experience["3-5年"] == CityStats(2, 1, 25000.0, 25000.0, 22500.0, 27500.0, 20000.0, 30000.0)
    assert result.by_experience[OTHER] == CityStats(1, 0, 40000.0, 40000.0, 40000.0, 40000.0, 40000.0, 40000.0)
    assert sum(s.count + s.unparsed for s in result.by_experience.values()) == len(JOBS)

    assert list(result.by_education) == ["不限", "大专", "本科", "硕士", OTHER]
    assert result.by_education["本科"] == CityStats(1, 1, 20000.0, 20000.0, 20000.0, 20000.0, 20000.0, 20000.0)
    assert result.by_education[OTHER].count == 1  # job 6 names no education: counted, not dropped
    assert result.unknown == frozenset({("experience", "3年及以上"), ("education", "")})


def test_skills_count_each_job_once_over_parsed_salaries_ordered_by_median() -> None:
    result = breakdown_of(JOBS, min_skill_jobs=2)

    # Python: jobs 1, 2, 3, 5 (job 2 lists it twice, job 3 with spaces; job 4 has no salary)
    #   → 10000, 20000, 30000, 40000: median 25000.
    # Go: jobs 2, 3, 5 → median 30000. Django: jobs 1, 6 → 10000, 12000: median 11000.
    assert result.skills == [
        SkillFigure("Go", 3, 30000.0),
        SkillFigure("Python", 4, 25000.0),
        SkillFigure("Django", 2, 11000.0),
    ]
    assert [f.skill for f in breakdown_of(JOBS, min_skill_jobs=3).skills] == ["Go", "Python"]
    assert breakdown_of(JOBS, min_skill_jobs=5).skills == []


def test_equal_medians_order_by_more_jobs_then_name() -> None:
    jobs = [job(i, 10000, 10000, skills=("b", "a", "c") if i < 3 else ("c",)) for i in range(5)]

    assert [(f.skill, f.count) for f in breakdown_of(jobs, min_skill_jobs=1).skills] == [("c", 5), ("a", 3), ("b", 3)]


def test_breakdown_dict_has_the_issues_shapes_and_the_citys_rounding() -> None:
    jobs = [job(1, 10001, 10002, skills=("Go",)), job(2, 10000, 10000, skills=("Go",))]

    document = breakdown_dict(breakdown_of(jobs, min_skill_jobs=2))

    assert document == {
        "by_experience": {"3-5年": stats_dict(summarize(jobs)["北京"])},
        "by_education": {"本科": stats_dict(summarize(jobs)["北京"])},
        "skills": [{"skill": "Go", "count": 2, "median": 10000.75}],
    }
    assert document["by_experience"]["3-5年"]["mean"] == 10000.75  # type: ignore[index]


def test_an_empty_set_of_jobs_has_empty_breakdowns() -> None:
    assert breakdown_dict(breakdown_of([])) == {"by_experience": {}, "by_education": {}, "skills": []}


def test_breakdowns_by_site_apply_the_same_function_to_each_sites_rows() -> None:
    jobs = [*JOBS, job(7, 6000, 8000, work_year="无需经验", site="51job")]

    per_site = breakdowns_by(jobs, lambda j: j.site, min_skill_jobs=1)

    assert list(per_site) == ["lagou", "51job"]
    assert per_site["lagou"] == breakdown_of(JOBS, min_skill_jobs=1)
    assert per_site["51job"].by_experience == {"不限": CityStats(1, 0, 7000.0, 7000.0, 7000.0, 7000.0, 7000.0, 7000.0)}


def test_summary_json_carries_the_breakdowns_beside_the_figures(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    breakdown = breakdown_of(JOBS)

    write_summary_json(path, summarize(JOBS), extras={"北京": breakdown_dict(breakdown)})

    city = json.loads(path.read_text(encoding="utf-8"))["北京"]
    assert list(city) == [
        "count", "unparsed", "mean", "median", "p25", "p75", "min", "max", "by_experience", "by_education", "skills",
    ]  # fmt: skip
    assert city["skills"] == []  # no skill has 5 jobs here (the default minimum)
    assert city["by_experience"]["应届"]["p25"] == 10500.0


def test_by_experience_table_has_a_row_per_city_and_band_like_the_end_table() -> None:
    table = format_breakdown_table("experience", summarize(JOBS), {"北京": breakdown_of(JOBS)})

    lines = table.splitlines()
    assert lines[0].startswith("Monthly salary in CNY by experience band")
    assert lines[1].split() == ["city", "experience", "count", "unparsed", "mean", "median", "p25", "p75", "min", "max"]
    assert [line.split() for line in lines[2:]] == [
        ["北京", "应届", "2", "0", "11,000", "11,000", "10,500", "11,500", "10,000", "12,000"],
        ["北京", "3-5年", "2", "1", "25,000", "25,000", "22,500", "27,500", "20,000", "30,000"],
        ["北京", "other", "1", "0", "40,000", "40,000", "40,000", "40,000", "40,000", "40,000"],
    ]


def test_by_skill_table_shows_each_skills_median_against_the_citys() -> None:
    # The city's median over 10000, 20000, 30000, 40000, 12000 is 20000.
    table = format_breakdown_table("skill", summarize(JOBS), {"北京": breakdown_of(JOBS, min_skill_jobs=2)})

    assert [line.split() for line in table.splitlines()[1:]] == [
        ["city", "skill", "count", "median", "vs", "city"],
        ["北京", "Go", "3", "30,000", "+10,000"],
        ["北京", "Python", "4", "25,000", "+5,000"],
        ["北京", "Django", "2", "11,000", "\u22129,000"],
    ]


def test_an_english_skill_chart_keeps_chinese_skill_names_readable() -> None:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed")
    jobs = [job(i, 10000, 20000, skills=("数据分析", "Go")) for i in range(2)]
    with warnings.catch_warnings(record=True) as caught, chart_style(None):
        warnings.simplefilter("always")
        fig = plot_skills(summarize(jobs), {"北京": breakdown_of(jobs, min_skill_jobs=2)}, None, label_font=font)
        fig.canvas.draw()
    (panel,) = [ax for ax in fig.axes if ax.get_title()]
    assert panel.get_title() == "Beijing"  # the chart's own words stay English
    assert sorted(t.get_text() for t in panel.get_yticklabels()) == ["Go", "数据分析"]
    assert glyph_warnings([str(w.message) for w in caught]) == []
