"""Which charts the report draws, in which process, and drawing them.

The charts that need no history (`chart_builders`) are drawn while the history is read: in a
second process when `charts.drawing` can fork one, all but `AFTER_HISTORY`, which the report's
own process draws once the history is read, beside the trend. Over a year of daily runs the
charts take a little longer than the history, so that split lets both processes end about
together (`bench/report_bench.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from matplotlib.figure import Figure

from charts.breakdown import Breakdown
from charts.breakdown_plots import EXPERIENCE_PNG, SKILLS_PNG, breakdown_chart_names, plot_experience, plot_skills
from charts.fonts import CJKFont
from charts.plots import CHART_FILES, DISTRIBUTION_PNG, ChartData, chart_style, figure_builders, save_figures
from charts.sites import SITES_PNG, plot_sites
from charts.summary import CityStats
from charts.trend import TREND_PNG

BREAKDOWN_PNGS = (EXPERIENCE_PNG, SKILLS_PNG)  # shown in the page's breakdown sections, not with the charts
CHART_ORDER = (*CHART_FILES, TREND_PNG, EXPERIENCE_PNG, SKILLS_PNG, SITES_PNG)  # as the report lists them
AFTER_HISTORY = (DISTRIBUTION_PNG,)  # drawn by the report's process after the history (see the module)

Builders = Mapping[str, Callable[[], Figure]]


def chart_builders(
    data: ChartData,
    breakdowns: Mapping[str, Breakdown],
    per_site: Mapping[str, Mapping[str, CityStats]] | None,
    find_font: Callable[[], CJKFont | None],
) -> dict[str, Callable[[], Figure]]:
    """What draws each chart that needs no history, by file name: the three salary charts, the
    breakdown charts (`breakdown_chart_names`) and, with `per_site`, the sites chart. Skill names
    are data: on an English chart they stay Chinese when `find_font` finds a font that has them."""
    builders = figure_builders(data)
    builders[EXPERIENCE_PNG] = lambda: plot_experience(breakdowns, data.font)
    if SKILLS_PNG in breakdown_chart_names(breakdowns):
        builders[SKILLS_PNG] = lambda: plot_skills(
            data.stats, breakdowns, data.font, label_font=data.font or find_font()
        )
    if per_site is not None:
        builders[SITES_PNG] = lambda: plot_sites(per_site, data.font)
    return builders


def draw_charts(builders: Builders, names: Sequence[str], font: CJKFont | None, out_dir: Path) -> None:
    """Build and save the charts `names` (keys of `builders`) in `out_dir`, with `font`'s style."""
    if not names:
        return
    with chart_style(font):
        save_figures({name: builders[name]() for name in names}, out_dir)
