"""Salary statistics per city: the numbers behind the charts, `summary.json` and the terminal table.

Every figure is over one value per job, its monthly midpoint salary in CNY (`monthly_midpoint`).
A job with neither bound (面议, or text the parser could not read) counts as `unparsed` and is
left out of the figures. Percentiles use linear interpolation (numpy's default).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Protocol

import numpy as np

from charts.terminal import render_plain_table
from db.reads import JobRecord

# Figures in summary.json are rounded to the fen: more digits are float noise, not information.
JSON_DECIMALS = 2
PERCENTILES = (25, 50, 75)
TABLE_COLUMNS = ("city", "count", "unparsed", "mean", "median", "p25", "p75", "min", "max")
TABLE_CAPTION = "Monthly salary in CNY (midpoint per job; jobs without a parsed salary are only counted)"
NO_FIGURE = "-"


@dataclass(frozen=True, slots=True)
class CityStats:
    """Statistics of one city's monthly midpoint salaries in CNY.

    `count` is the number of jobs with a parsed salary, `unparsed` the number without one.
    The figures are None when `count` is 0.
    """

    count: int
    unparsed: int
    mean: float | None = None
    median: float | None = None
    p25: float | None = None
    p75: float | None = None
    min: float | None = None
    max: float | None = None


STATS_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CityStats))


class SalaryBounds(Protocol):
    """What `monthly_midpoint` reads: a stored job's monthly bounds (`JobRecord`, the history's `SeenJob`)."""

    @property
    def salary_min(self) -> int | None: ...

    @property
    def salary_max(self) -> int | None: ...


def monthly_midpoint(job: SalaryBounds) -> float | None:
    """The one monthly CNY figure a job contributes: the midpoint of min and max when both are
    known; the lower bound alone for open-ended text (`20k以上`), since the stated floor is the
    only figure the posting commits to; the upper bound alone for `2k以下`; None when neither is
    known (面议 or unparsed text)."""
    low, high = job.salary_min, job.salary_max
    if low is not None and high is not None:
        return (low + high) / 2
    if low is not None:
        return float(low)
    if high is not None:
        return float(high)
    return None


def salaries_by_city(
    jobs: Iterable[JobRecord], *, cities: Sequence[str] | None = None
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """The midpoints of each city's parsed jobs and each city's count of unparsed jobs.

    Cities come in the order of `cities` when given (a listed city without jobs is present with
    no salaries), followed by any other city in order of first appearance in `jobs`.
    """
    salaries: dict[str, list[float]] = {city: [] for city in cities or ()}
    unparsed: dict[str, int] = dict.fromkeys(cities or (), 0)
    for job in jobs:
        salaries.setdefault(job.city, [])
        unparsed.setdefault(job.city, 0)
        midpoint = monthly_midpoint(job)
        if midpoint is None:
            unparsed[job.city] += 1
        else:
            salaries[job.city].append(midpoint)
    return salaries, unparsed


def stats_of(values: Sequence[float], unparsed: int) -> CityStats:
    """Statistics of one city's midpoints; the figures are None when `values` is empty."""
    if not values:
        return CityStats(count=0, unparsed=unparsed)
    array = np.asarray(values, dtype=float)
    p25, median, p75 = (float(q) for q in np.percentile(array, PERCENTILES))
    return CityStats(
        count=len(values),
        unparsed=unparsed,
        mean=float(array.mean()),
        median=median,
        p25=p25,
        p75=p75,
        min=float(array.min()),
        max=float(array.max()),
    )


def stats_by_city(salaries: dict[str, list[float]], unparsed: dict[str, int]) -> dict[str, CityStats]:
    """`stats_of` for every city of a `salaries_by_city` result, in the same order."""
    return {city: stats_of(values, unparsed[city]) for city, values in salaries.items()}


def summarize(jobs: Iterable[JobRecord], *, cities: Sequence[str] | None = None) -> dict[str, CityStats]:
    """Per-city statistics of the monthly midpoint salary, in the city order of
    `salaries_by_city` (a city listed in `cities` but without jobs gets count 0)."""
    return stats_by_city(*salaries_by_city(jobs, cities=cities))


def stats_dict(stats: CityStats) -> dict[str, float | int | None]:
    """One `CityStats` JSON-ready: figures rounded to `JSON_DECIMALS`, None (null) when count is 0."""
    # Not `asdict`: it deep-copies, and a year of history asks this for every point (thousands).
    return {key: _rounded(getattr(stats, key)) for key in STATS_FIELDS}


def _rounded(value: float | int | None) -> float | int | None:
    return round(value, JSON_DECIMALS) if isinstance(value, float) else value


def summary_dict(stats: dict[str, CityStats]) -> dict[str, dict[str, float | int | None]]:
    """The JSON-ready form of every city's figures (`stats_dict`)."""
    return {city: stats_dict(city_stats) for city, city_stats in stats.items()}


def write_summary_json(
    path: Path,
    stats: dict[str, CityStats],
    history: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    extras: Mapping[str, Mapping[str, object]] | None = None,
) -> None:
    """Write `{"<city>": {"count", "unparsed", "mean", "median", "p25", "p75", "min", "max"}}`
    as UTF-8 with the Chinese city names unescaped. `extras` adds keys to a city's object (the
    breakdowns of `charts.breakdown`). With `history` every city also gets `"history"`: its
    points (`charts.history.point_dict`), oldest first, an empty list if none."""
    document: dict[str, dict[str, object]] = {
        city: {**figures, **(extras or {}).get(city, {})} for city, figures in summary_dict(stats).items()
    }
    if history is not None:
        for city, figures in document.items():
            figures["history"] = list(history.get(city, ()))
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def format_cny(value: float | None) -> str:
    """A figure in whole CNY with thousands separators, or `NO_FIGURE` when there is none."""
    return NO_FIGURE if value is None else f"{value:,.0f}"


@dataclass(frozen=True, slots=True)
class CityChange:
    """What a city's newest run changed: postings new in it, gone since the run before (None:
    no run before to compare with), and its median minus that run's (None: no median to compare)."""

    new: int
    gone: int | None
    median_change: float | None


CHANGE_COLUMNS = ("new", "gone", "Δ median")
MINUS = "\u2212"  # a real minus sign lines up with the plus of a rise
NO_CHANGE = "\u2014"  # an em dash: nothing to compare with


def format_change(value: float | None) -> str:
    """A median change in whole CNY: `+1,250`, `−500`, `0`, or `—` when there is none."""
    if value is None:
        return NO_CHANGE
    rounded = round(value)
    if rounded == 0:
        return "0"
    return f"+{rounded:,}" if rounded > 0 else f"{MINUS}{-rounded:,}"


def format_summary_table(stats: dict[str, CityStats], changes: Mapping[str, CityChange] | None = None) -> str:
    """A caption line, then a plain-text table (no escape codes), one row per city, figures in whole CNY per
    month with thousands separators ("-" when a city has no parsed salary). rich lays it out, so
    columns line up in a terminal even with Chinese city names (two cells each); the first column
    is left-aligned, the rest right, two spaces apart. With `changes`, three more columns say per
    city what its newest run changed (new, gone, Δ median; `—` for a city without one)."""
    columns = TABLE_COLUMNS + (CHANGE_COLUMNS if changes is not None else ())
    rows = []
    for city, s in stats.items():
        figures = (s.mean, s.median, s.p25, s.p75, s.min, s.max)
        row = [city, str(s.count), str(s.unparsed), *(format_cny(v) for v in figures)]
        if changes is not None:
            change = changes.get(city)
            row += (
                [NO_CHANGE] * 3
                if change is None
                else [
                    str(change.new),
                    NO_CHANGE if change.gone is None else str(change.gone),
                    format_change(change.median_change),
                ]
            )
        rows.append(row)
    return "\n".join([TABLE_CAPTION, render_plain_table(columns, rows)])
