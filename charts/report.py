"""The report step: read the stored jobs, compute per-city salary statistics, write
`summary.json` and the three salary charts into one output directory.

It is the only entry point the CLI needs (`build_report`). The font lookup is passed in, so a
caller (or a test) can ask for the pinyin/English fallback without touching matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from charts.fonts import CJKFont, find_cjk_font
from charts.plots import ChartData, build_figures, chart_style, save_figures
from charts.summary import CityStats, salaries_by_city, stats_by_city, write_summary_json
from db.reads import load_jobs

SUMMARY_JSON = "summary.json"
NO_JOBS_NOTICE = "no jobs stored{scope}; no charts drawn"
NO_SALARY_NOTICE = "no stored job{scope} has a parsed salary; no charts drawn"


@dataclass(frozen=True, slots=True)
class ReportResult:
    """What the report wrote. `paths` lists every file written, charts first and `summary.json`
    last; `stats` is keyed by city in chart order; `notice` is a one-line explanation when no
    charts were drawn (empty database, or no parsed salary), else None."""

    paths: list[Path]
    stats: dict[str, CityStats]
    notice: str | None = None


def build_report(
    engine: Engine,
    out_dir: Path,
    cities: Sequence[str] | None,
    *,
    find_font: Callable[[], CJKFont | None] = find_cjk_font,
) -> ReportResult:
    """Chart the stored jobs of `cities` (None: every stored city) into `out_dir`, created if
    missing. `summary.json` is always written; the charts only when at least one job has a
    parsed salary, else `notice` says why. Cities appear in the order of `cities`, listed
    cities without jobs included, otherwise in the stored order (by city name). `find_font`
    returns the CJK font to use, or None for pinyin and English labels."""
    jobs = load_jobs(engine, cities)
    salaries, unparsed = salaries_by_city(jobs, cities=cities)
    stats = stats_by_city(salaries, unparsed)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary_path = out_dir / SUMMARY_JSON
    write_summary_json(summary_path, stats)

    scope = f" for {', '.join(cities)}" if cities else ""
    if not jobs:
        return ReportResult([summary_path], stats, NO_JOBS_NOTICE.format(scope=scope))
    if not any(salaries.values()):
        return ReportResult([summary_path], stats, NO_SALARY_NOTICE.format(scope=scope))

    font = find_font()
    data = ChartData(salaries=salaries, stats=stats, font=font)
    with chart_style(font):
        chart_paths = save_figures(build_figures(data), out_dir)
    return ReportResult([*chart_paths, summary_path], stats)
