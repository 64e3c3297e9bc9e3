"""The salary history: per city, one point per complete crawl with the same figures as summary.json.

A point's figures (`count`, `unparsed`, `mean`, `median`, `p25`, `p75`, `min`, `max`) are over
the jobs that crawl observed, with the definitions of `charts.summary` (one monthly midpoint per
job); `new` and `gone` come from `db.observations`. `median_change` compares a city's newest
point with the one before it, for the end-of-run table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from charts.summary import CityStats, monthly_midpoint, stats_dict, stats_of
from db.observations import History

MIN_TREND_POINTS = 2  # a trend needs two runs
_id = attrgetter("id")


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One complete crawl of a city: who finished it and when (naive UTC), its figures, new and gone."""

    run_id: int | None
    crawl_id: int
    finished_at: dt.datetime
    stats: CityStats
    new: int
    gone: int | None


def history_points(history: History) -> dict[str, list[HistoryPoint]]:
    """Each city's points, oldest first (cities in the order `history` holds them)."""
    # A posting is seen by many crawls (daily runs over months): its midpoint is worked out once,
    # and the per-observation steps are C-level maps (hundreds of thousands of them over a year).
    every = [job for crawls in history.cities.values() for crawl in crawls for job in crawl.jobs]
    jobs = dict(zip(map(_id, every), every, strict=True))
    midpoints = {job_id: monthly_midpoint(job) for job_id, job in jobs.items()}
    points: dict[str, list[HistoryPoint]] = {}
    for city, crawls in history.cities.items():
        points[city] = []
        for crawl in crawls:
            values = list(map(midpoints.__getitem__, map(_id, crawl.jobs)))
            parsed = [value for value in values if value is not None]
            points[city].append(
                HistoryPoint(
                    run_id=crawl.run_id,
                    crawl_id=crawl.crawl_id,
                    finished_at=crawl.finished_at,
                    stats=stats_of(parsed, len(values) - len(parsed)),
                    new=crawl.new,
                    gone=crawl.gone,
                )
            )
    return points


def point_dict(point: HistoryPoint) -> dict[str, object]:
    """A point as summary.json holds it: run id, finish time (ISO 8601, UTC), figures, new, gone."""
    finished = point.finished_at.replace(tzinfo=dt.UTC).isoformat(timespec="seconds")
    return {
        "run_id": point.run_id,
        "crawl_id": point.crawl_id,
        "finished_at": finished,
        **stats_dict(point.stats),
        "new": point.new,
        "gone": point.gone,
    }


def has_trend(points: Mapping[str, Sequence[HistoryPoint]]) -> bool:
    """Whether any city has enough points with figures to draw a trend line."""
    return any(
        sum(p.stats.median is not None for p in city_points) >= MIN_TREND_POINTS for city_points in points.values()
    )


def median_change(points: Sequence[HistoryPoint]) -> float | None:
    """The newest point's median minus the one before's; None without two points with medians."""
    if len(points) < MIN_TREND_POINTS:
        return None
    before, last = points[-2].stats.median, points[-1].stats.median
    return None if before is None or last is None else last - before
