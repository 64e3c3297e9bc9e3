"""`report --by experience|education|skill`: one breakdown as a terminal table, like the end table.

Experience and education: a row per city and band (or level) with the city table's columns. Skills:
a row per city and skill with its jobs, its median and how far that lies above (+) or below (−)
the city's median.
"""

from __future__ import annotations

from collections.abc import Mapping

from charts.breakdown import Breakdown
from charts.summary import TABLE_COLUMNS, CityStats, format_change, format_cny
from charts.terminal import render_plain_table

BY_CHOICES = ("experience", "education", "skill")
BY_CAPTIONS = {
    "experience": "Monthly salary in CNY by experience band (midpoint per job; latest complete run per city)",
    "education": "Monthly salary in CNY by education level (midpoint per job; latest complete run per city)",
    "skill": "Median monthly salary in CNY by skill, against the city's median (jobs with a parsed salary)",
}
ALL_TIME_CAPTION_SCOPE = ("latest complete run per city", "every stored job")
STATS_COLUMNS = TABLE_COLUMNS[1:]  # the city table's figures
SKILL_COLUMNS = ("city", "skill", "count", "median", "vs city")


def format_breakdown_table(
    by: str, stats: Mapping[str, CityStats], breakdowns: Mapping[str, Breakdown], *, all_time: bool = False
) -> str:
    """A caption line, then the table of breakdown `by` (one of `BY_CHOICES`) for every city of `stats`."""
    caption = BY_CAPTIONS[by]
    if all_time:
        caption = caption.replace(*ALL_TIME_CAPTION_SCOPE)
    if by == "skill":
        rows = [
            [city, skill.skill, str(skill.count), format_cny(skill.median), _premium(skill.median, stats[city])]
            for city, breakdown in breakdowns.items()
            for skill in breakdown.skills
        ]
        return "\n".join([caption, render_plain_table(SKILL_COLUMNS, rows, labels=2)])
    groups = {city: b.by_experience if by == "experience" else b.by_education for city, b in breakdowns.items()}
    rows = [
        [city, band, str(s.count), str(s.unparsed), *map(format_cny, (s.mean, s.median, s.p25, s.p75, s.min, s.max))]
        for city, bands in groups.items()
        for band, s in bands.items()
    ]
    return "\n".join([caption, render_plain_table(("city", by, *STATS_COLUMNS), rows, labels=2)])


def _premium(median: float, city: CityStats) -> str:
    return format_change(None if city.median is None else median - city.median)
