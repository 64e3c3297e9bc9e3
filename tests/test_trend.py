"""The trend figure on its own: a panel per city, a point and an n= label per run, run ticks on the x axis."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.transforms import Bbox

from charts.history import HistoryPoint
from charts.plots import CNY_PER_K, chart_style
from charts.summary import CityStats
from charts.trend import MAX_RUN_TICKS, close_groups, plot_trend, run_tick_labels

T0 = dt.datetime(2026, 12, 5, 22, 19, 0)


def _point(when: dt.datetime, median: float, count: int = 100) -> HistoryPoint:
    stats = CityStats(
        count=count,
        unparsed=0,
        mean=median,
        median=median,
        p25=median - 5000,
        p75=median + 5000,
        min=median - 9000,
        max=median + 9000,
    )
    return HistoryPoint(run_id=1, crawl_id=1, finished_at=when, stats=stats, new=0, gone=0)


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([T0, T0 + dt.timedelta(days=1), T0 + dt.timedelta(days=2)], ["12-05", "12-06", "12-07"]),
        ([T0, T0 + dt.timedelta(hours=1), T0 + dt.timedelta(days=1)], ["12-05\n22:19", "12-05\n23:19", "12-06\n22:19"]),
        ([T0, T0 + dt.timedelta(seconds=5)], ["12-05\n22:19:00", "12-05\n22:19:05"]),
        ([T0, T0 + dt.timedelta(days=40)], ["2026-12-05", "2027-01-14"]),
        ([T0], ["12-05"]),
    ],
)
def test_run_ticks_are_the_shortest_labels_that_tell_the_runs_apart(
    times: list[dt.datetime],
    expected: list[str],
) -> None:
    assert run_tick_labels(times) == expected


def test_trend_has_a_panel_per_city_with_a_point_label_and_tick_per_run() -> None:
    runs = [T0 + dt.timedelta(seconds=5 * i) for i in range(3)]
    points = {
        "北京": [_point(when, 20000 + 1000 * i, count=90 + i) for i, when in enumerate(runs)],
        "上海": [_point(when, 25000) for when in runs],
        # A city whose only run parsed no salary has nothing to draw and gets no panel.
        "广州": [
            HistoryPoint(run_id=1, crawl_id=1, finished_at=runs[0], stats=CityStats(count=0, unparsed=2), new=0, gone=0)
        ],
    }
    with chart_style(None):
        fig = plot_trend(points, None)
        fig.canvas.draw()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["Beijing", "Shanghai"]
    beijing = visible[0]
    (median_line,) = beijing.get_lines()
    assert list(np.asarray(median_line.get_ydata())) == [20000 / CNY_PER_K, 21000 / CNY_PER_K, 22000 / CNY_PER_K]
    assert [t.get_text() for t in beijing.texts] == ["n=90", "n=91", "n=92"]
    ticks = [num2date(x).replace(tzinfo=None) for x in beijing.get_xticks()]  # type: ignore[no-untyped-call]
    assert ticks == runs
    assert [t.get_text() for t in beijing.get_xticklabels()] == run_tick_labels(runs)


def test_trend_with_many_runs_falls_back_to_matplotlib_date_ticks() -> None:
    runs = [T0 + dt.timedelta(days=i) for i in range(MAX_RUN_TICKS + 1)]
    with chart_style(None):
        fig = plot_trend({"深圳": [_point(when, 24000) for when in runs]}, None)
        fig.canvas.draw()
    (ax,) = fig.axes
    assert isinstance(ax.xaxis.get_major_locator(), AutoDateLocator)
    assert len(np.asarray(ax.get_lines()[0].get_xdata())) == len(runs)


def test_a_long_history_labels_only_its_newest_point() -> None:
    # A year of daily runs labelled point by point was a smear of text across the panel.
    runs = [T0 + dt.timedelta(days=i) for i in range(365)]
    with chart_style(None):
        fig = plot_trend({"深圳": [_point(when, 24000, count=400 + i % 7) for i, when in enumerate(runs)]}, None)
        fig.canvas.draw()
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.texts] == [f"n={400 + 364 % 7}"]
    assert ax.get_lines()[0].get_markersize() < 8  # markers small enough to show the line


def test_with_three_cities_the_panel_above_the_empty_one_keeps_its_dates() -> None:
    runs = [T0, T0 + dt.timedelta(days=1)]
    points = {city: [_point(when, 20000) for when in runs] for city in ("北京", "上海", "广州")}
    with chart_style(None):
        fig = plot_trend(points, None)
        fig.canvas.draw()
    top_left, top_right, bottom_left, bottom_right = fig.axes
    assert not bottom_right.get_visible()

    def dates_shown(ax: Axes) -> bool:
        return all(tick.label1.get_visible() for tick in ax.xaxis.get_major_ticks())

    assert (dates_shown(top_left), dates_shown(top_right), dates_shown(bottom_left)) == (False, True, True)


PAIRS = [T0, T0 + dt.timedelta(seconds=45), T0 + dt.timedelta(hours=3), T0 + dt.timedelta(hours=3, seconds=45)]


def test_close_runs_are_grouped_by_their_share_of_the_time_span() -> None:
    span = PAIRS[-1] - PAIRS[0]
    assert close_groups(PAIRS, span) == [[0, 1], [2, 3]]
    evenly = [T0 + dt.timedelta(seconds=5 * i) for i in range(3)]
    assert close_groups(evenly, evenly[-1] - evenly[0]) == [[0], [1], [2]]
    assert close_groups([T0, T0], dt.timedelta(0)) == [[0, 1]]


def _overlaps(boxes: list[Bbox]) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]


def test_two_pairs_of_runs_45_s_apart_get_apart_labels_and_one_legend() -> None:
    # The case: four runs, two pairs 45 s apart. Medians close enough for the labels to meet.
    medians = [22500, 20500, 21500, 29000]
    points = {city: [_point(when, m + 500 * k) for when, m in zip(PAIRS, medians, strict=True)] for k, city in
              enumerate(("北京", "上海", "广州", "深圳"))}  # fmt: skip
    with chart_style(None):
        fig = plot_trend(points, None)
        canvas = FigureCanvasAgg(fig)  # the PNG's renderer, so extents are those of the saved chart
        canvas.draw()  # type: ignore[no-untyped-call]
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    assert len(fig.legends) == 1
    assert all(ax.get_legend() is None for ax in fig.axes)
    for ax in fig.axes:
        labels = ax.get_xticklabels()  # the bottom row's; the top row shares them
        assert [t.get_text() for t in labels] == ([] if ax in fig.axes[:2] else ["12-05", "12-06"])
        assert _overlaps([t.get_window_extent(renderer) for t in labels]) == []
        # Every run keeps a tick: a labelled one per pair, a minor one for its second run.
        ticks = [*ax.get_xticks(), *ax.get_xticks(minor=True)]
        assert sorted(num2date(x).replace(tzinfo=None) for x in ticks) == PAIRS  # type: ignore[no-untyped-call]
        counts = [t.get_window_extent(renderer) for t in ax.texts]
        assert len(counts) == len(PAIRS)
        assert _overlaps(counts) == []
        (line,) = ax.get_lines()
        size = line.get_markersize() * fig.dpi / 72  # points to pixels
        markers = [
            Bbox.from_bounds(x - size / 2, y - size / 2, size, size)
            for x, y in ax.transData.transform(line.get_xydata())
        ]
        assert [(i, j) for i, c in enumerate(counts) for j, m in enumerate(markers) if c.overlaps(m)] == []
