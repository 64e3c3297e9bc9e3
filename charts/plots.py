"""The three salary charts, drawn as explicit matplotlib `Figure`s on the Agg backend.

All three encode salary level with one colormap and one `Normalize` over a fixed range
(`SALARY_SCALE_K`), so a colour means the same salary on every chart, and each carries a colour
bar. Salaries are plotted in thousands of CNY per month. Figures must be built and saved inside
`chart_style(font)`: matplotlib binds fonts to text when it is created or first drawn, and the
context restores the global rc settings afterwards so nothing leaks between callers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # headless: charts are only ever written to files

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from charts.fonts import ChartText, CJKFont, chart_text, label_for, style_params
from charts.summary import CityStats

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

CNY_PER_K = 1000.0
# Colour scale in thousand CNY/month: Lagou's top salary filter bucket is "50k以上", so 50k and
# above share the top colour.
SALARY_SCALE_K = (0.0, 50.0)
COLORMAP_NAME = "viridis"
HIST_BIN_WIDTH_K = 5.0
FIGURE_SIZE_IN = (12.0, 7.0)
FIGURE_DPI = 100  # 12 x 7 in at 100 dpi = 1200 x 700 px
JITTER_SEED = 20_240_601
JITTER_HALF_WIDTH = 0.18
BOX_WIDTH = 0.5
BAR_WIDTH = 0.38
POINT_SIZE = 18
POINT_ALPHA = 0.75
MEDIAN_HATCH = "//"
GRID_ALPHA = 0.3
# Text a notch above matplotlib's defaults so the charts stay readable when scaled down.
TEXT_SIZES: dict[RcKeyType, Any] = {
    "axes.titlesize": "x-large",
    "figure.titlesize": "x-large",
    "axes.labelsize": "large",
    "figure.labelsize": "large",
    "xtick.labelsize": "large",
}

DISTRIBUTION_PNG = "salary_distribution.png"
BY_CITY_PNG = "salary_by_city.png"
HISTOGRAMS_PNG = "salary_histograms.png"
CHART_FILES = (DISTRIBUTION_PNG, BY_CITY_PNG, HISTOGRAMS_PNG)


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the charts draw: per-city monthly midpoints in CNY (cities in display order, a city
    may have none), their statistics, and the CJK font (None: pinyin and English text)."""

    salaries: Mapping[str, Sequence[float]]
    stats: Mapping[str, CityStats]
    font: CJKFont | None

    @property
    def cities(self) -> list[str]:
        """Cities in display order."""
        return list(self.salaries)

    @property
    def text(self) -> ChartText:
        """Chart wording in the language the font can show."""
        return chart_text(self.font)

    def values_k(self, city: str) -> np.ndarray:
        """One city's salaries in thousand CNY/month."""
        return np.asarray(self.salaries[city], dtype=float) / CNY_PER_K

    def tick_label(self, city: str) -> str:
        """City name and its number of jobs with a parsed salary, on two lines."""
        return f"{label_for(city, self.font)}\nn={self.stats[city].count}"


@contextmanager
def chart_style(font: CJKFont | None) -> Iterator[None]:
    """Temporarily apply the chart fonts and text sizes; build and save figures inside this
    block. The previous rc settings are restored on exit."""
    with matplotlib.rc_context({**TEXT_SIZES, **style_params(font)}):
        yield


def salary_norm() -> Normalize:
    """The one salary → colour normalisation every chart shares (clipped at both ends)."""
    return Normalize(vmin=SALARY_SCALE_K[0], vmax=SALARY_SCALE_K[1], clip=True)


def salary_cmap() -> Colormap:
    """The one colormap every chart shares, low salaries dark, high salaries bright."""
    return colormaps[COLORMAP_NAME]


def _new_figure() -> Figure:
    # A bare Figure, not pyplot: nothing is registered globally, so there is nothing to close
    # and the figure is freed with its last reference.
    return Figure(figsize=FIGURE_SIZE_IN, dpi=FIGURE_DPI, layout="constrained")


def add_colorbar(fig: Figure, axes: Axes | list[Axes], text: ChartText) -> None:
    """The shared salary colour bar beside `axes`."""
    mappable = ScalarMappable(norm=salary_norm(), cmap=salary_cmap())
    fig.colorbar(mappable, ax=axes, label=text.colorbar, extend="max")


def plot_distribution(data: ChartData) -> Figure:
    """Per-city box plot of monthly salary with every job as a jittered point coloured by its
    salary; tick labels carry n. Jitter is seeded, so the chart is the same on every run."""
    fig = _new_figure()
    ax = fig.add_subplot()
    text, norm, cmap = data.text, salary_norm(), salary_cmap()
    rng = np.random.default_rng(JITTER_SEED)
    positions = range(1, len(data.cities) + 1)
    for position, city in zip(positions, data.cities, strict=True):
        values = data.values_k(city)
        if values.size == 0:
            continue
        ax.boxplot(
            [values],
            positions=[position],
            widths=BOX_WIDTH,
            showfliers=False,  # every job is drawn as a point already
            medianprops={"color": "black", "linewidth": 2},
            zorder=2,
        )
        jitter = rng.uniform(-JITTER_HALF_WIDTH, JITTER_HALF_WIDTH, values.size)
        ax.scatter(
            position + jitter,
            values,
            c=values,
            cmap=cmap,
            norm=norm,
            s=POINT_SIZE,
            alpha=POINT_ALPHA,
            edgecolors="none",
            zorder=3,
        )
    ax.set_xticks(list(positions), labels=[data.tick_label(city) for city in data.cities])
    ax.set_xlim(0.4, len(data.cities) + 0.6)
    ax.set_ylim(bottom=0)
    ax.set_title(text.distribution_title)
    ax.set_xlabel(text.city_axis)
    ax.set_ylabel(text.salary_axis)
    ax.grid(axis="y", alpha=GRID_ALPHA)
    add_colorbar(fig, ax, text)
    return fig


def plot_by_city(data: ChartData) -> Figure:
    """Mean (solid) and median (hatched) monthly salary per city as bars coloured by their
    value, each labelled with its figure; a city without parsed salaries has no bars."""
    fig = _new_figure()
    ax = fig.add_subplot()
    text, norm, cmap = data.text, salary_norm(), salary_cmap()
    positions = np.arange(len(data.cities), dtype=float)
    for position, city in zip(positions, data.cities, strict=True):
        stats = data.stats[city]
        if stats.mean is None or stats.median is None:
            continue
        for offset, value_cny, hatch in (
            (-BAR_WIDTH / 2, stats.mean, None),
            (BAR_WIDTH / 2, stats.median, MEDIAN_HATCH),
        ):
            value = value_cny / CNY_PER_K
            bars = ax.bar(
                position + offset,
                value,
                width=BAR_WIDTH,
                color=cmap(norm(value)),
                hatch=hatch,
                edgecolor="white" if hatch else None,
            )
            ax.bar_label(bars, labels=[f"{value:.1f}"], padding=2)
    ax.set_xticks(positions, labels=[data.tick_label(city) for city in data.cities])
    ax.set_title(text.by_city_title)
    ax.set_xlabel(text.city_axis)
    ax.set_ylabel(text.salary_axis)
    ax.grid(axis="y", alpha=GRID_ALPHA)
    ax.set_axisbelow(True)
    ax.legend(
        handles=[
            Patch(facecolor="grey", label=text.mean),
            Patch(facecolor="grey", hatch=MEDIAN_HATCH, edgecolor="white", label=text.median),
        ],
        loc="upper right",
    )
    ax.margins(y=0.12)  # room above the tallest bar for its label and the legend
    add_colorbar(fig, ax, text)
    return fig


def histogram_edges(data: ChartData) -> np.ndarray:
    """Bin edges every city shares: `HIST_BIN_WIDTH_K` bands from 0 up to the colour scale's
    top, extended when a salary lies above it."""
    top = max((float(data.values_k(city).max()) for city in data.cities if data.salaries[city]), default=0.0)
    upper = max(SALARY_SCALE_K[1], math.ceil(top / HIST_BIN_WIDTH_K) * HIST_BIN_WIDTH_K)
    return np.arange(0.0, upper + HIST_BIN_WIDTH_K / 2, HIST_BIN_WIDTH_K)


def plot_histograms(data: ChartData) -> Figure:
    """Small multiples: one histogram per city over the same salary bands and axes, each bar
    coloured by its band's salary level."""
    fig = _new_figure()
    text, norm, cmap = data.text, salary_norm(), salary_cmap()
    edges = histogram_edges(data)
    centres = (edges[:-1] + edges[1:]) / 2
    cities = data.cities
    ncols = math.ceil(math.sqrt(len(cities)))
    nrows = math.ceil(len(cities) / ncols)
    grid = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    axes = list(grid.ravel())
    for ax, city in zip(axes, cities, strict=False):
        counts, _ = np.histogram(data.values_k(city), bins=edges)
        ax.bar(edges[:-1], counts, width=HIST_BIN_WIDTH_K, align="edge", color=cmap(norm(centres)), edgecolor="white")
        ax.set_title(f"{label_for(city, data.font)} (n={data.stats[city].count})")
        ax.grid(axis="y", alpha=GRID_ALPHA)
        ax.set_axisbelow(True)
        if not data.salaries[city]:
            ax.text(0.5, 0.5, text.no_salary, transform=ax.transAxes, ha="center", va="center")
    for ax in axes[len(cities) :]:
        ax.set_visible(False)
    ax0 = axes[0]
    ax0.set_xlim(edges[0], edges[-1])
    ax0.yaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(text.histogram_title)
    fig.supxlabel(text.salary_axis)
    fig.supylabel(text.job_count_axis)
    add_colorbar(fig, axes[: len(cities)], text)
    return fig


def figure_builders(data: ChartData) -> dict[str, Callable[[], Figure]]:
    """What draws each of the three charts, keyed by file name (`CHART_FILES`' order)."""
    return {
        DISTRIBUTION_PNG: lambda: plot_distribution(data),
        BY_CITY_PNG: lambda: plot_by_city(data),
        HISTOGRAMS_PNG: lambda: plot_histograms(data),
    }


def build_figures(data: ChartData) -> dict[str, Figure]:
    """The three charts keyed by file name. Call inside `chart_style(data.font)`."""
    return {name: build() for name, build in figure_builders(data).items()}


def save_figures(figures: Mapping[str, Figure], out_dir: Path) -> list[Path]:
    """Write each figure as PNG under `out_dir` (created if missing); returns the paths in
    the mapping's order. Call inside `chart_style` with the font the figures were built with."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in figures.items():
        path = out_dir / name
        fig.savefig(path, format="png", dpi=FIGURE_DPI)
        paths.append(path)
    return paths
