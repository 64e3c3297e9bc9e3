"""The report step: read the stored jobs and the history, compute per-city salary statistics,
write `summary.json`, the three salary charts, the trend chart and `index.html` into one folder.

It is the only entry point the CLI needs (`build_report`). The font lookup is passed in, so a
caller (or a test) can ask for the pinyin/English fallback without touching matplotlib.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from charts.bands import OTHER
from charts.breakdown import DEFAULT_MIN_SKILL_JOBS, Breakdown, breakdown_dict, breakdown_of, breakdowns_by
from charts.breakdown_plots import EXPERIENCE_PNG, MAX_SKILLS, SKILLS_PNG
from charts.drawing import start_drawing
from charts.fonts import CJKFont, find_cjk_font
from charts.history import MIN_TREND_POINTS, HistoryPoint, has_trend, history_points, median_change, point_dict
from charts.page import Collection, PageData, city_name, find_downloads, write_index
from charts.page_breakdowns import EXTRA_KEY as BREAKDOWNS_KEY
from charts.page_breakdowns import BreakdownPage
from charts.page_sites import EXTRA_KEY as SITES_KEY
from charts.page_sites import SitesPage
from charts.page_text import DEFAULT_LANG, EN, PAGE_TEXT, Lang, PageText
from charts.plots import ChartData
from charts.report_charts import AFTER_HISTORY, BREAKDOWN_PNGS, CHART_ORDER, chart_builders, draw_charts
from charts.sites import SITES_PNG, site_stats, sites_extras, sites_in
from charts.summary import CityChange, CityStats, salaries_by_city, stats_by_city, write_summary_json
from charts.trend import TREND_PNG, plot_trend
from db.latest import load_latest_jobs
from db.observations import History, load_history
from db.reads import JobRecord, load_jobs
from db.runs import load_runs

logger = logging.getLogger(__name__)

SUMMARY_JSON = "summary.json"
UNKNOWN_LABEL_WARNING = "%s label %r fits no band; its jobs are counted under %r"
# The terminal's notices are the English page's (`charts.page_text`); the page words them in its language.
NO_JOBS_NOTICE = EN.no_jobs
NO_SALARY_NOTICE = EN.no_salary
NO_TREND_NOTICE = EN.no_trend
POOLED_NOTICE = EN.pooled
UNOBSERVED_NOTICE = EN.unobserved


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """Which history the report shows: the query (site, keyword), its bounds, and the run whose
    changes the table shows (None: each city's newest complete run). The keyword also picks the
    runs whose postings the headline describes, unless `all_time` pools every stored job."""

    keyword: str
    site: str = "lagou"
    since: dt.datetime | None = None
    last: int | None = None
    run_id: int | None = None
    all_time: bool = False  # headline over every stored job instead of each city's latest complete run
    is_site_only: bool = False  # everything restricted to `site` (report --site); else every site, pooled


@dataclass(frozen=True, slots=True)
class ReportResult:
    """What the report wrote. `paths` lists every file written, charts first and `summary.json`
    last; `stats` is keyed by city in chart order; `notice` is a one-line explanation when no
    charts were drawn (empty database, or no parsed salary), else None."""

    paths: list[Path]
    stats: dict[str, CityStats]
    notice: str | None = None
    history: dict[str, list[HistoryPoint]] = field(default_factory=dict)
    changes: dict[str, CityChange] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # about the trend and the history
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)  # per city, as in summary.json


def build_report(
    engine: Engine,
    out_dir: Path,
    cities: Sequence[str] | None,
    *,
    query: HistoryQuery | None = None,
    find_font: Callable[[], CJKFont | None] = find_cjk_font,
    min_skill_jobs: int = DEFAULT_MIN_SKILL_JOBS,
    lang: Lang = DEFAULT_LANG,
    parallel: bool = False,
) -> ReportResult:
    """Chart the stored jobs of `cities` (None: every stored city) into `out_dir`, created if
    missing. `summary.json` and `index.html` are always written; the charts only when at least
    one job has a parsed salary, else `notice` says why; the trend when `query` is given and
    some city has two runs with figures, else `notices` says why. Cities appear in the order of
    `cities`, listed cities without jobs included, otherwise in `load_jobs`'s order (北京, 上海, 广州, 深圳 first).
    The headline figures, breakdowns and charts describe each city's latest complete run of the
    query's keyword (`db.latest`); every stored job without a query or with `query.all_time`.
    `find_font` returns the CJK font to use, or None for pinyin and English labels. Each city's
    object in summary.json carries its breakdowns (`charts.breakdown`); a skill is listed when at
    least `min_skill_jobs` of the city's jobs with a parsed salary carry it. `lang` is the language
    of `index.html` and of the charts (English charts need no CJK font; Chinese ones fall back to
    English without one). `parallel` draws the charts that need no history in a second process
    while the history is read, when that is safe (`charts.drawing`), all but those this process
    draws after it (`charts.report_charts`); the files are the same."""
    jobs, pooled = _headline_jobs(engine, cities, query)
    if query is not None and query.is_site_only:
        jobs = [job for job in jobs if job.site == query.site]
    salaries, unparsed = salaries_by_city(jobs, cities=cities)
    stats = stats_by_city(salaries, unparsed)
    by_city = breakdowns_by(jobs, lambda job: job.city, min_skill_jobs=min_skill_jobs)
    breakdowns = {city: by_city.get(city) or breakdown_of(()) for city in stats}  # every city has the three keys
    _log_unknown_labels(breakdowns.values())
    # Two or more sites in the data: each city's figures per site too (summary.json, the page, a chart).
    per_site = site_stats(jobs, list(stats)) if len(sites_in(jobs)) > 1 else None
    site_extras = sites_extras(jobs, per_site, min_skill_jobs=min_skill_jobs) if per_site else {}
    has_salary = any(salaries.values())
    notice = _chart_notice(EN, cities, has_jobs=bool(jobs), has_salary=has_salary)
    out_dir.mkdir(parents=True, exist_ok=True)
    font = find_font() if lang == "zh" and notice is None else None
    # The charts that need no history, drawn while it is read (charts.report_charts).
    builders = (
        chart_builders(ChartData(salaries, stats, font), breakdowns, per_site, find_font) if notice is None else {}
    )
    beside = [name for name in builders if name not in AFTER_HISTORY]
    drawing = start_drawing(lambda: draw_charts(builders, beside, font, out_dir), parallel=parallel)
    history = (
        load_history(
            engine, site=query.site, keyword=query.keyword, cities=list(stats), since=query.since, last=query.last
        )
        if query is not None
        else History({}, 0)
    )
    points = history_points(history)
    changes = _changes(points, run_id=query.run_id if query is not None else None)
    summary_path = out_dir / SUMMARY_JSON
    write_summary_json(
        summary_path,
        stats,
        {city: [point_dict(p) for p in ps] for city, ps in points.items()} if query is not None else None,
        extras={city: {**breakdown_dict(b), **site_extras.get(city, {})} for city, b in breakdowns.items()},
    )
    notices = _notices(EN, pooled, points, history if query is not None else None)
    if has_trend(points):
        trend_font = font if font is not None or lang != "zh" else find_font()
        draw_charts({TREND_PNG: lambda: plot_trend(points, trend_font)}, [TREND_PNG], trend_font, out_dir)
    draw_charts(builders, [name for name in builders if name in AFTER_HISTORY], font, out_dir)
    drawing.finish()
    names = {*builders, *([TREND_PNG] if has_trend(points) else [])}
    chart_paths = [out_dir / name for name in CHART_ORDER if name in names]
    drawn = {path.name for path in chart_paths}
    breakdown_page = BreakdownPage(
        breakdowns=breakdowns,
        experience_chart=EXPERIENCE_PNG if EXPERIENCE_PNG in drawn else None,
        skills_chart=SKILLS_PNG if SKILLS_PNG in drawn else None,
        min_skill_jobs=min_skill_jobs,
        shown_skills=MAX_SKILLS,
    )
    text = PAGE_TEXT[lang]
    page_notice = _chart_notice(text, cities, has_jobs=bool(jobs), has_salary=has_salary, lang=lang)
    page_notices = [n for n in (page_notice, *_notices(text, pooled, points, history if query else None, lang)) if n]
    history_runs = {p.run_id for city_points in points.values() for p in city_points if p.run_id is not None}
    runs = load_runs(engine)
    index = write_index(
        out_dir,
        PageData(
            stats=stats,
            changes=changes if query is not None else None,
            charts=[path.name for path in chart_paths if path.name not in (*BREAKDOWN_PNGS, SITES_PNG)],
            notices=page_notices,
            collection=_collection(stats, points, query, jobs),
            generated=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            runs=[run for run in runs if run.id in history_runs],
            sandbox_runs=sum(run.is_sandbox for run in runs),
            all_runs=len(runs),
            downloads=find_downloads(out_dir),
            folder=str(out_dir),
            lang=lang,
            is_all_time=query is None or query.all_time,
            extra={
                BREAKDOWNS_KEY: breakdown_page,
                **({SITES_KEY: SitesPage(per_site, SITES_PNG if SITES_PNG in drawn else None)} if per_site else {}),
            },
        ),
    )
    return ReportResult(
        [*chart_paths, summary_path, index],
        stats,
        notice,
        history=points,
        changes=changes,
        notices=notices,
        breakdowns=breakdowns,
    )


def _headline_jobs(
    engine: Engine, cities: Sequence[str] | None, query: HistoryQuery | None
) -> tuple[list[JobRecord], list[str]]:
    """The jobs the headline describes, and the cities that pool every stored job instead."""
    if query is None or query.all_time:
        return load_jobs(engine, cities), []
    latest = load_latest_jobs(engine, keyword=query.keyword, cities=cities)
    return latest.jobs, list(latest.pooled_cities)


def _log_unknown_labels(breakdowns: Iterable[Breakdown]) -> None:
    """One warning per label that fits no band, however many cities and jobs carry it."""
    for dimension, label in sorted(set().union(*(b.unknown for b in breakdowns))):
        logger.warning(UNKNOWN_LABEL_WARNING, dimension, label or "(none)", OTHER)


def _changes(points: dict[str, list[HistoryPoint]], *, run_id: int | None) -> dict[str, CityChange]:
    """Each city's newest point as a table change (only the run `run_id`'s points, when given)."""
    changes = {}
    for city, city_points in points.items():
        if city_points and (run_id is None or city_points[-1].run_id == run_id):
            last = city_points[-1]
            changes[city] = CityChange(new=last.new, gone=last.gone, median_change=median_change(city_points))
    return changes


def _chart_notice(
    text: PageText, cities: Sequence[str] | None, *, has_jobs: bool, has_salary: bool, lang: Lang | None = None
) -> str | None:
    """Why no charts were drawn, in `text`'s language, cities named for page `lang` (None: as stored);
    None when they were drawn."""
    names = text.city_separator.join(city_name(c, lang) if lang else c for c in cities or ())
    scope = (f" for {names}" if names else "") if text.html_lang == "en" else names
    if not has_jobs:
        return text.no_jobs.format(scope=scope)
    return None if has_salary else text.no_salary.format(scope=scope)


def _notices(
    text: PageText,
    pooled: Sequence[str],
    points: dict[str, list[HistoryPoint]],
    history: History | None,
    lang: Lang | None = None,
) -> list[str]:
    """The lines about pooled cities, the trend and the history (None: no history query), in
    `text`'s language, cities named for page `lang` (None: as stored)."""
    names = text.city_separator.join(city_name(c, lang) if lang else c for c in pooled)
    notices = [text.pooled.format(cities=names)] if pooled else []
    if history is None:
        return notices
    if not has_trend(points):
        have = max((len(city_points) for city_points in points.values()), default=0)
        notices.append(text.no_trend.format(need=MIN_TREND_POINTS, have=have))
    if history.unobserved:
        notices.append(text.unobserved.format(count=history.unobserved))
    return notices


def _collection(
    stats: dict[str, CityStats],
    points: dict[str, list[HistoryPoint]],
    query: HistoryQuery | None,
    jobs: Sequence[JobRecord],
) -> Collection:
    finished = [point.finished_at for city_points in points.values() for point in city_points]
    runs = {
        point.run_id if point.run_id is not None else -point.crawl_id
        for city_points in points.values()
        for point in city_points
    }
    return Collection(
        # Every site the figures pool, not only the history's (the last one scraped, or --site).
        sites=sites_in(jobs) or ([query.site] if query else []),
        keyword=query.keyword if query else "-",
        cities=list(stats),
        runs=len(runs),
        first=min(finished, default=None),
        last=max(finished, default=None),
        jobs=len(jobs),
    )
