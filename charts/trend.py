"""The trend chart `salary_trend.png`: each city's median monthly salary per run, with its p25–p75 band.

One panel per city (shared axes, so levels compare across panels), each in the city's own colour,
marker and line style, so cities stay apart in grey print too and four overlapping bands never
turn to mud. Each point is labelled with the number of jobs behind it (`n=`); dates run along
the x axis: with a few runs, one tick per run, as short as still tells them apart (`12-05`, or
`12-05` over `22:19` for runs on one day, or with seconds); with many, matplotlib's own date ticks.
Built like the other charts (a bare `Figure`, inside `chart_style`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from charts.fonts import CJKFont, chart_text, label_for
from charts.history import HistoryPoint
from charts.plots import CNY_PER_K, FIGURE_DPI, FIGURE_SIZE_IN, GRID_ALPHA

TREND_PNG = "salary_trend.png"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINE_STYLES = ("-", "--", "-.", ":")
BAND_ALPHA = 0.2
COUNT_OFFSET_PT = (0, 9)  # the n= label sits just above its point
MAX_RUN_TICKS = 8  # up to this many runs, a tick for each; past it, matplotlib's date ticks
UPRIGHT_TICKS = 4  # more run ticks than this are slanted so they don't overlap
RUN_TICK_FORMATS = ("%m-%d", "%m-%d\n%H:%M", "%m-%d\n%H:%M:%S")  # the time under the date


def run_tick_labels(times: Sequence[dt.datetime]) -> list[str]:
    """A label per run time: the shortest of RUN_TICK_FORMATS that gives distinct times distinct labels.

    The year is added in front when the runs span more than one.
    """
    distinct = len(set(times))
    year = "%Y-" if len({t.year for t in times}) > 1 else ""
    for fmt in RUN_TICK_FORMATS:
        labels = [t.strftime(year + fmt) for t in times]
        if len(set(labels)) == distinct:
            return labels
    return labels  # runs within one second of each other share a label


def plot_trend(points: Mapping[str, Sequence[HistoryPoint]], font: CJKFont | None) -> Figure:
    """The trend figure over every city's points that have figures. Call inside `chart_style(font)`."""
    text = chart_text(font)
    colours = colormaps["tab10"]
    drawn = {city: [p for p in city_points if p.stats.median is not None] for city, city_points in points.items()}
    drawn = {city: city_points for city, city_points in drawn.items() if city_points}
    columns = 1 if len(drawn) == 1 else 2
    fig = Figure(figsize=FIGURE_SIZE_IN, dpi=FIGURE_DPI, layout="constrained")
    axes = list(fig.subplots(math.ceil(len(drawn) / columns), columns, sharex=True, sharey=True, squeeze=False).flat)
    run_times = sorted({p.finished_at for city_points in drawn.values() for p in city_points})
    for index, (ax, (city, city_points)) in enumerate(zip(axes, drawn.items(), strict=False)):
        colour = colours(index % colours.N)
        when = np.array([p.finished_at for p in city_points], dtype="datetime64[s]")
        median = [(p.stats.median or 0.0) / CNY_PER_K for p in city_points]
        ax.fill_between(
            when,
            [(p.stats.p25 or 0.0) / CNY_PER_K for p in city_points],
            [(p.stats.p75 or 0.0) / CNY_PER_K for p in city_points],
            color=colour,
            alpha=BAND_ALPHA,
            linewidth=0,
            label=text.band,
        )
        ax.plot(
            when,
            median,
            color=colour,
            marker=MARKERS[index % len(MARKERS)],
            linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            linewidth=2,
            markersize=8,
            label=text.median,
        )
        for x, y, point in zip(when, median, city_points, strict=True):
            ax.annotate(
                f"n={point.stats.count}",
                (x, y),
                textcoords="offset points",
                xytext=COUNT_OFFSET_PT,
                ha="center",
                fontsize="small",
                color=colour,
            )
        ax.set_title(label_for(city, font), color=colour)
        ax.grid(alpha=GRID_ALPHA)
        ax.margins(x=0.1, y=0.15)
        ax.legend(loc="lower left", fontsize="small")
        _date_ticks(ax, run_times)
    for index in range(len(drawn), len(axes)):
        axes[index].set_visible(False)  # an odd number of cities leaves one panel empty
        axes[index - columns].xaxis.set_tick_params(labelbottom=True)  # the panel above keeps its dates
    fig.suptitle(text.trend_title)
    fig.supxlabel(text.date_axis)
    fig.supylabel(text.salary_axis)
    return fig


def _date_ticks(ax: Axes, run_times: Sequence[dt.datetime]) -> None:
    """A tick per run while there are few (see `run_tick_labels`), else matplotlib's concise dates."""
    if len(run_times) <= MAX_RUN_TICKS:
        ax.set_xticks(np.array(run_times, dtype="datetime64[s]"), run_tick_labels(run_times))
        if len(run_times) > UPRIGHT_TICKS:
            ax.tick_params(axis="x", labelrotation=30)
        return
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
