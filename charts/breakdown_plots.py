"""The breakdown charts: salary by experience band, and the skill premium, one panel per city.

`salary_by_experience.png`: for each band, the middle half of its jobs (p25–p75) as a bar and the
median as a dot, both coloured by the median on the shared salary scale of `charts.plots`, with n
under each band. `salary_by_skill.png`: each listed skill's median as a bar coloured the same way,
against a dashed line at the city's median, labelled with the difference and n. Figures are built
like the other charts (a bare `Figure`, inside `chart_style`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from charts.bands import EXPERIENCE_BANDS, EXPERIENCE_EN, OTHER
from charts.breakdown import Breakdown
from charts.fonts import LATIN_FAMILY, CJKFont, chart_text, label_for
from charts.plots import CNY_PER_K, FIGURE_DPI, FIGURE_SIZE_IN, GRID_ALPHA, add_colorbar, salary_cmap, salary_norm
from charts.summary import CityStats

EXPERIENCE_PNG = "salary_by_experience.png"
SKILLS_PNG = "salary_by_skill.png"
SKILLS_FIGURE_SIZE_IN = (12.0, 9.0)  # taller: up to MAX_SKILLS rows per panel
MAX_SKILLS = 10  # per city, the highest medians: more rows stop being readable in a panel
IQR_WIDTH = 0.45
LABEL_ROOM = 1.45  # the skill panels' x axis reaches this far past the top median: room for the labels
MEDIAN_SIZE = 70


@dataclass(frozen=True, slots=True)
class BreakdownText:
    """The breakdown charts' own strings, in one language."""

    experience_title: str
    experience_axis: str
    skills_title: str
    city_median: str
    no_skill: str


ZH = BreakdownText(
    experience_title="各城市按工作经验的月薪（条：25%–75% 分位；点：中位数；n：职位数）",
    experience_axis="工作经验",
    skills_title="各城市技能的月薪中位数与城市中位数之差（n：职位数）",
    city_median="城市中位数",
    no_skill="没有足够职位的技能",
)
EN = BreakdownText(
    experience_title="Monthly salary by experience (bar: p25–p75; dot: median; n: jobs)",
    experience_axis="Experience",
    skills_title="Median monthly salary by skill against the city's median (n: jobs)",
    city_median="City median",
    no_skill="No skill with enough jobs",
)


def band_label(band: str, font: CJKFont | None) -> str:
    """A band as the chart shows it: itself with a CJK font, else in English."""
    return band if font is not None else EXPERIENCE_EN.get(band, label_for(band, font))


def _panels(fig: Figure, count: int, *, sharex: bool, sharey: bool) -> list[Axes]:
    ncols = 1 if count == 1 else 2
    grid = fig.subplots(math.ceil(count / ncols), ncols, sharex=sharex, sharey=sharey, squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[count:]:
        ax.set_visible(False)
    return axes[:count]


def plot_experience(breakdowns: Mapping[str, Breakdown], font: CJKFont | None) -> Figure:
    """Salary by experience band, a panel per city, the same bands (in order) on every panel."""
    text, norm, cmap = chart_text(font), salary_norm(), salary_cmap()
    words = ZH if font is not None else EN
    present = {band for b in breakdowns.values() for band in b.by_experience}
    bands = [band for band in (*EXPERIENCE_BANDS, OTHER) if band in present]
    fig = Figure(figsize=FIGURE_SIZE_IN, dpi=FIGURE_DPI, layout="constrained")
    axes = _panels(fig, len(breakdowns), sharex=False, sharey=True)
    for ax, (city, breakdown) in zip(axes, breakdowns.items(), strict=True):
        labels = []
        for position, band in enumerate(bands):
            stats = breakdown.by_experience.get(band)
            count = stats.count if stats else 0
            labels.append(f"{band_label(band, font)}\nn={count}")
            if stats is None or stats.median is None or stats.p25 is None or stats.p75 is None:
                continue
            colour = cmap(norm(stats.median / CNY_PER_K))
            low, high = stats.p25 / CNY_PER_K, stats.p75 / CNY_PER_K
            ax.bar(position, high - low, bottom=low, width=IQR_WIDTH, color=colour, alpha=0.55, edgecolor=colour)
            ax.scatter(
                [position], [stats.median / CNY_PER_K], s=MEDIAN_SIZE, color=colour, edgecolors="black", zorder=3
            )
        ax.set_xticks(range(len(bands)), labels=labels, fontsize="small")
        ax.set_title(label_for(city, font))
        ax.grid(axis="y", alpha=GRID_ALPHA)
        ax.set_axisbelow(True)
        ax.set_ylim(bottom=0)
    fig.suptitle(words.experience_title)
    fig.supxlabel(words.experience_axis)
    fig.supylabel(text.salary_axis)
    add_colorbar(fig, axes, text)
    return fig


def plot_skills(
    stats: Mapping[str, CityStats],
    breakdowns: Mapping[str, Breakdown],
    font: CJKFont | None,
    *,
    label_font: CJKFont | None = None,
) -> Figure:
    """Each city's listed skills (the `MAX_SKILLS` highest medians), a bar per skill against the
    city's median; a city without a listed skill says so in its panel. Skill names are data, not
    wording: on an English chart (`font` None) they are still drawn in Chinese when `label_font`
    is given, rather than as code points."""
    text, norm, cmap = chart_text(font), salary_norm(), salary_cmap()
    words = ZH if font is not None else EN
    fig = Figure(figsize=SKILLS_FIGURE_SIZE_IN, dpi=FIGURE_DPI, layout="constrained")
    axes = _panels(fig, len(breakdowns), sharex=True, sharey=False)
    for ax, (city, breakdown) in zip(axes, breakdowns.items(), strict=True):
        city_median = stats[city].median
        skills = breakdown.skills[:MAX_SKILLS]
        ax.set_title(label_for(city, font))
        ax.grid(axis="x", alpha=GRID_ALPHA)
        ax.set_axisbelow(True)
        if not skills or city_median is None:
            ax.text(0.5, 0.5, words.no_skill, transform=ax.transAxes, ha="center", va="center")
            ax.set_yticks([])
            continue
        values = [skill.median / CNY_PER_K for skill in skills]
        positions = list(range(len(skills)))
        ax.barh(positions, values, color=[cmap(norm(v)) for v in values], height=0.7)
        ax.axvline(city_median / CNY_PER_K, color="black", linestyle="--", linewidth=1.2)
        # Labels in a column at the panel's right edge: bars end near the dashed line, labels there would cross it.
        for position, skill in zip(positions, skills, strict=True):
            label = f"{_premium_k(skill.median - city_median)}  n={skill.count}"
            ax.text(
                0.99, position, label, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize="small"
            )
        names = font or label_font
        ax.set_yticks(positions, labels=[label_for(skill.skill, names) for skill in skills], fontsize="small")
        if font is None and label_font is not None:
            for tick_label in ax.get_yticklabels():
                tick_label.set_fontfamily([label_font.name, LATIN_FAMILY])
        ax.invert_yaxis()  # highest median on top
    ax_max = max((s.median for b in breakdowns.values() for s in b.skills[:MAX_SKILLS]), default=CNY_PER_K)
    for ax in axes:
        ax.set_xlim(0, ax_max / CNY_PER_K * LABEL_ROOM)
    handle = Line2D([], [], color="black", linestyle="--", label=words.city_median)
    fig.legend(handles=[handle], loc="outside upper right")
    fig.suptitle(words.skills_title)
    fig.supxlabel(text.salary_axis)
    add_colorbar(fig, axes, text)
    return fig


def _premium_k(difference_cny: float) -> str:
    """A difference in thousand CNY with its sign (`+2.5k`, `-1k`, `±0`); an ASCII hyphen, as the
    charts use (`charts.fonts.style_params`)."""
    rounded = round(difference_cny / CNY_PER_K, 1)
    if rounded == 0:
        return "±0"
    return f"{'+' if rounded > 0 else '-'}{abs(rounded):g}k"


def breakdown_chart_names(breakdowns: Mapping[str, Breakdown]) -> list[str]:
    """The breakdown charts the report draws: the experience chart always, the skill chart when
    some city lists a skill."""
    return [EXPERIENCE_PNG, *([SKILLS_PNG] if any(b.skills for b in breakdowns.values()) else [])]
