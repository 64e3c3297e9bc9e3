"""Tests of the charts: the figures `charts.plots` builds from known salaries (titles, axis labels,
n per city, one shared colour scale, colour bars, seeded jitter), rendering without missing-glyph
warnings, and the pinyin/English fallback when the font lookup finds no CJK font. The report step
on a real database is in test_report_db.py.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from chart_helpers import glyph_warnings
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from charts.fonts import CJK_FAMILIES, EN_TEXT, ZH_TEXT, CJKFont, find_cjk_font, label_for
from charts.plots import (
    BY_CITY_PNG,
    DISTRIBUTION_PNG,
    HISTOGRAMS_PNG,
    ChartData,
    build_figures,
    chart_style,
)
from charts.summary import CityStats

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXPECTED_PNG_SIZE = (1200, 700)
SEEN = dt.datetime(2024, 5, 1, 10, 0, 0)
SCALE_TOP_K = 50.0

# Monthly midpoints in CNY, in display order; 广州 has only unparsed jobs.
SALARIES: dict[str, list[float]] = {
    "北京": [20000.0, 30000.0, 10000.0, 2000.0],
    "上海": [10000.0, 11000.0, 16500.0],
    "广州": [],
}
STATS = {
    "北京": CityStats(
        count=4, unparsed=2, mean=15500.0, median=15000.0, p25=8000.0, p75=22500.0, min=2000.0, max=30000.0
    ),
    "上海": CityStats(
        count=3, unparsed=0, mean=12500.0, median=11000.0, p25=10500.0, p75=13750.0, min=10000.0, max=16500.0
    ),
    "广州": CityStats(count=0, unparsed=1),
}


@pytest.fixture(scope="module")
def cjk_font() -> CJKFont:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (install fonts-wqy-microhei)")
    return font


def chart_figures(font: CJKFont | None) -> dict[str, Figure]:
    with chart_style(font):
        return build_figures(ChartData(salaries=SALARIES, stats=STATS, font=font))


def render_png(figures: dict[str, Figure], font: CJKFont | None) -> list[str]:
    """Render every figure to PNG bytes inside the chart style; return the warnings raised."""
    with warnings.catch_warnings(record=True) as caught, chart_style(font):
        warnings.simplefilter("always")
        for fig in figures.values():
            fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught]


def colorbar_labels(fig: Figure) -> list[str]:
    return [ax.get_ylabel() for ax in fig.axes if ax.get_label() == "<colorbar>"]


def rectangles(ax: Axes) -> list[Rectangle]:
    """The bars of a bar chart (every patch an axes holds)."""
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(ax.patches)
    return bars


def rgba(value_k: float) -> tuple[float, ...]:
    """The colour of a salary in thousand CNY on the shared scale: viridis over 0..50k."""
    return tuple(colormaps["viridis"](min(value_k, SCALE_TOP_K) / SCALE_TOP_K))


# --- fonts ---------------------------------------------------------------------------------------


def test_font_finder_returns_an_installed_cjk_family(cjk_font: CJKFont) -> None:
    assert cjk_font.name in CJK_FAMILIES
    assert Path(cjk_font.path).is_file()


def test_font_finder_returns_none_when_no_listed_family_is_installed() -> None:
    assert find_cjk_font(("No Such CJK Family",)) is None


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("北京", "Beijing"),
        ("上海", "Shanghai"),
        ("广州", "Guangzhou"),
        ("深圳", "Shenzhen"),
        ("杭州", "Hangzhou"),
        ("成都", "Chengdu"),
        ("Hong Kong", "Hong Kong"),
        ("南宁", "U+5357U+5B81"),
    ],
)
def test_city_label_falls_back_to_ascii_without_cjk_font(city: str, expected: str) -> None:
    assert label_for(city, None) == expected


def test_city_label_is_the_chinese_name_with_a_cjk_font() -> None:
    assert label_for("南宁", CJKFont(name="WenQuanYi Micro Hei", path="/x.ttc")) == "南宁"


# --- figures -------------------------------------------------------------------------------------


def test_distribution_chart_has_titles_units_n_per_city_and_a_colour_bar(cjk_font: CJKFont) -> None:
    fig = chart_figures(cjk_font)[DISTRIBUTION_PNG]
    ax = fig.axes[0]

    assert ax.get_title() == ZH_TEXT.distribution_title
    assert ax.get_ylabel() == "月薪（千元/月）"
    assert ax.get_xlabel() == "城市"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["北京\nn=4", "上海\nn=3", "广州\nn=0"]
    assert colorbar_labels(fig) == ["月薪水平（千元/月）"]


def test_distribution_chart_draws_every_job_as_a_jittered_point_coloured_by_salary(
    cjk_font: CJKFont,
) -> None:
    ax = chart_figures(cjk_font)[DISTRIBUTION_PNG].axes[0]
    scatters = [c for c in ax.collections if np.asarray(c.get_offsets()).size]

    assert len(scatters) == 2  # 北京 and 上海; 广州 has no point
    for position, scatter, city in zip((1, 2), scatters, ("北京", "上海"), strict=True):
        offsets = np.asarray(scatter.get_offsets())
        assert sorted(offsets[:, 1]) == sorted(v / 1000 for v in SALARIES[city])
        assert np.all(np.abs(offsets[:, 0] - position) <= 0.18)
        assert scatter.get_cmap().name == "viridis"
        assert (scatter.norm.vmin, scatter.norm.vmax) == (0.0, 50.0)


def test_distribution_jitter_is_the_same_on_every_run(cjk_font: CJKFont) -> None:
    first = chart_figures(cjk_font)[DISTRIBUTION_PNG].axes[0].collections
    second = chart_figures(cjk_font)[DISTRIBUTION_PNG].axes[0].collections

    assert [np.asarray(c.get_offsets()).tolist() for c in first] == [
        np.asarray(c.get_offsets()).tolist() for c in second
    ]


def test_by_city_chart_shows_mean_and_median_bars_coloured_on_the_shared_scale(cjk_font: CJKFont) -> None:
    fig = chart_figures(cjk_font)[BY_CITY_PNG]
    ax = fig.axes[0]
    # mean, median in thousand CNY for 北京 then 上海; 广州 has no bars.
    expected_heights = [15.5, 15.0, 12.5, 11.0]

    assert ax.get_title() == ZH_TEXT.by_city_title
    assert ax.get_ylabel() == "月薪（千元/月）"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["北京\nn=4", "上海\nn=3", "广州\nn=0"]
    assert [bar.get_height() for bar in rectangles(ax)] == expected_heights
    assert [tuple(bar.get_facecolor()) for bar in rectangles(ax)] == [rgba(h) for h in expected_heights]
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["平均值", "中位数"]
    assert colorbar_labels(fig) == ["月薪水平（千元/月）"]


def test_histograms_share_salary_bands_and_colour_each_band_by_its_level(cjk_font: CJKFont) -> None:
    fig = chart_figures(cjk_font)[HISTOGRAMS_PNG]
    city_axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    band_lefts = [float(x) for x in range(0, 50, 5)]
    # 5k bands from 0 to 50k: 北京 2, 10, 20, 30 -> bands 0, 2, 4, 6; 上海 10, 11, 16.5 -> 2, 2, 3.
    expected_counts = {
        "北京 (n=4)": [1, 0, 1, 0, 1, 0, 1, 0, 0, 0],
        "上海 (n=3)": [0, 0, 2, 1, 0, 0, 0, 0, 0, 0],
        "广州 (n=0)": [0] * 10,
    }

    assert fig.get_suptitle() == ZH_TEXT.histogram_title
    assert fig.get_supxlabel() == "月薪（千元/月）"
    assert fig.get_supylabel() == "职位数"
    assert {ax.get_title(): [p.get_height() for p in rectangles(ax)] for ax in city_axes} == expected_counts
    for ax in city_axes:
        assert [p.get_x() for p in rectangles(ax)] == band_lefts
        assert [tuple(p.get_facecolor()) for p in rectangles(ax)] == [rgba(x + 2.5) for x in band_lefts]
    assert colorbar_labels(fig) == ["月薪水平（千元/月）"]


def test_charts_render_chinese_without_missing_glyph_warnings(cjk_font: CJKFont) -> None:
    assert glyph_warnings(render_png(chart_figures(cjk_font), cjk_font)) == []


def test_glyph_warning_check_catches_chinese_drawn_with_a_latin_font() -> None:
    # Control for the test above: the same check does fire when Chinese meets a Latin-only font.
    fig = Figure()
    fig.add_subplot().set_title("北京")

    assert glyph_warnings(render_png({"x": fig}, None)) != []


def test_charts_fall_back_to_pinyin_and_english_without_cjk_font() -> None:
    figures = chart_figures(None)
    distribution = figures[DISTRIBUTION_PNG].axes[0]

    assert distribution.get_title() == EN_TEXT.distribution_title
    assert distribution.get_ylabel() == "Monthly salary (thousand CNY/month)"
    assert [t.get_text() for t in distribution.get_xticklabels()] == ["Beijing\nn=4", "Shanghai\nn=3", "Guangzhou\nn=0"]
    assert figures[HISTOGRAMS_PNG].get_suptitle() == EN_TEXT.histogram_title
    assert glyph_warnings(render_png(figures, None)) == []
