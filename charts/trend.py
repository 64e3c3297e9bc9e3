"""The trend chart `salary_trend.png`: each city's median monthly salary per run, with its p25–p75 band.

One panel per city (shared axes, so levels compare across panels), each in the city's own colour,
marker and line style, so cities stay apart in grey print too and four overlapping bands never
turn to mud. Each point is labelled with the number of jobs behind it (`n=`; past
`MAX_LABELLED_POINTS` runs only the newest); dates run along
the x axis: with a few runs, one tick per run, as short as still tells them apart (`12-05`, or
`12-05` over `22:19` for runs on one day, or with seconds); with many, matplotlib's own date ticks.
Runs too close to tell apart at the chart's scale (two runs 45 s apart in a history of hours) share
one labelled tick, each keeping a minor tick; within a panel their n= labels go above the higher
point and below the lower (one label for three or more), so no label covers another or a marker. One legend
for the figure, in grey: the colours belong to the cities, the legend explains line and band.
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
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from charts.fonts import CJKFont, chart_text, label_for
from charts.history import HistoryPoint
from charts.plots import CNY_PER_K, FIGURE_DPI, FIGURE_SIZE_IN, GRID_ALPHA

TREND_PNG = "salary_trend.png"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINE_STYLES = ("-", "--", "-.", ":")
BAND_ALPHA = 0.2
COUNT_OFFSET_PT = (0, 9)  # the n= label sits just above its point
BELOW_OFFSET_PT = (0, -9)  # …or just below it, when a close neighbour above takes that space
CLOSE_RUNS = 0.12  # runs nearer than this share of the time span share a tick (a label is ~40 px of ~550)
LEGEND_GREY = "0.35"
MAX_RUN_TICKS = 8  # up to this many runs, a tick for each; past it, matplotlib's date ticks
# Past this many points in a panel only the newest is labelled, with smaller markers: a year of
# daily runs labelled point by point is a smear of text (and most of the report's drawing time).
MAX_LABELLED_POINTS = MAX_RUN_TICKS
SMALL_MARKER = 3
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


def close_groups(times: Sequence[dt.datetime], span: dt.timedelta) -> list[list[int]]:
    """Indexes of `times` (sorted) grouped so that each group starts at a time at least
    more than `CLOSE_RUNS` × `span` after the previous group's start (equal times always together)."""
    groups: list[list[int]] = []
    for index, when in enumerate(times):
        if groups and when - times[groups[-1][0]] <= span * CLOSE_RUNS:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


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
    span = run_times[-1] - run_times[0] if run_times else dt.timedelta(0)
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
        )
        ax.plot(
            when,
            median,
            color=colour,
            marker=MARKERS[index % len(MARKERS)],
            linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            linewidth=2,
            markersize=8 if len(city_points) <= MAX_LABELLED_POINTS else SMALL_MARKER,
        )
        if len(city_points) <= MAX_LABELLED_POINTS:
            _count_labels(ax, city_points, median, span, colour)
        else:
            _count_labels(ax, city_points[-1:], median[-1:], span, colour)
        ax.set_title(label_for(city, font), color=colour)
        ax.grid(alpha=GRID_ALPHA)
        ax.margins(x=0.1, y=0.15)
        _date_ticks(ax, run_times, span)
    for index in range(len(drawn), len(axes)):
        axes[index].set_visible(False)  # an odd number of cities leaves one panel empty
        axes[index - columns].xaxis.set_tick_params(labelbottom=True)  # the panel above keeps its dates
    handles = [
        Line2D([], [], color=LEGEND_GREY, marker="o", linewidth=2, markersize=8, label=text.median),
        Patch(facecolor=LEGEND_GREY, alpha=BAND_ALPHA * 2, label=text.band),
    ]
    fig.legend(handles=handles, loc="outside upper right", ncols=2, fontsize="small", frameon=False)
    fig.suptitle(text.trend_title)
    fig.supxlabel(text.date_axis)
    fig.supylabel(text.salary_axis)
    return fig


def _count_labels(
    ax: Axes, points: Sequence[HistoryPoint], median: Sequence[float], span: dt.timedelta, colour: object
) -> None:
    """n= above each point; for two close runs, above the higher and below the lower; for three
    or more close runs, one label (n=a/b/c) above the highest."""
    for group in close_groups([p.finished_at for p in points], span):
        spots: list[tuple[int, str, tuple[int, int], str, str]]  # point, text, offset, ha, va
        if len(group) == 1:
            spots = [(group[0], f"n={points[group[0]].stats.count}", COUNT_OFFSET_PT, "center", "baseline")]
        elif len(group) == 2:
            low, high = sorted(group, key=lambda i: (median[i], -i))  # equal medians: the first goes on top
            spots = [
                (high, f"n={points[high].stats.count}", COUNT_OFFSET_PT, "center", "baseline"),
                (low, f"n={points[low].stats.count}", BELOW_OFFSET_PT, "center", "top"),
            ]
        else:
            top = max(group, key=lambda i: median[i])
            joined = "/".join(str(points[i].stats.count) for i in group)
            spots = [(top, f"n={joined}", COUNT_OFFSET_PT, "center", "baseline")]
        for index, label, offset, ha, va in spots:
            ax.annotate(
                label,
                (np.datetime64(points[index].finished_at, "s"), median[index]),
                textcoords="offset points",
                xytext=offset,
                ha=ha,
                va=va,
                fontsize="small",
                color=colour,
            )


def _date_ticks(ax: Axes, run_times: Sequence[dt.datetime], span: dt.timedelta) -> None:
    """A labelled tick per group of close runs while there are few (see `run_tick_labels`), a minor
    tick per run; else matplotlib's concise dates."""
    starts = [run_times[group[0]] for group in close_groups(run_times, span)]
    if len(starts) <= MAX_RUN_TICKS:
        ax.set_xticks(np.array(starts, dtype="datetime64[s]"), run_tick_labels(starts))
        if len(starts) < len(run_times):
            ax.set_xticks(np.array(run_times, dtype="datetime64[s]"), minor=True)
        if len(starts) > UPRIGHT_TICKS:
            ax.tick_params(axis="x", labelrotation=30)
        return
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
