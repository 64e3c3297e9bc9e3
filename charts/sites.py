"""The sites side by side: each city's salary statistics per site, for summary.json, the page and a chart.

A city's headline figures pool every site in the data; `site_stats` splits the same jobs by site
(`JobRecord.site`), the site stored first leading, and `sites_extras` puts them under
`"sites"` in each city's summary.json object with the same statistics and breakdowns per site.
`plot_sites` draws one panel: per city, one bar per site at its median, a line over its middle
half (p25 to p75), n under each bar, coloured by the median on the shared salary scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from charts.breakdown import breakdown_dict, breakdowns_by
from charts.fonts import CJKFont, chart_text, label_for
from charts.plots import CNY_PER_K, FIGURE_DPI, FIGURE_SIZE_IN, GRID_ALPHA, add_colorbar, salary_cmap, salary_norm
from charts.summary import CityStats, salaries_by_city, stats_by_city, stats_dict
from db.reads import JobRecord

SITES_KEY = "sites"
SITES_PNG = "salary_by_site.png"
HATCHES = ("", "//", "..", "xx")
TITLES = {"zh": "各城市各网站的月薪中位数（线：25%–75% 分位）", "en": "Median monthly salary per site (line: p25-p75)"}


def sites_in(jobs: Iterable[JobRecord]) -> list[str]:
    """The sites the jobs come from, in the order each first appears in the database (lowest job id):
    the site scraped longest comes first, the same order on every run and backend."""
    first: dict[str, int] = {}
    for job in jobs:
        first[job.site] = min(first.get(job.site, job.id), job.id)
    return sorted(first, key=lambda site: (first[site], site))


def site_stats(jobs: Sequence[JobRecord], cities: Sequence[str]) -> dict[str, dict[str, CityStats]]:
    """city → site → statistics of that city's jobs on that site (count 0 when it has none), for
    every city of `cities` and every site in `jobs`."""
    by_site: dict[str, dict[str, CityStats]] = {city: {} for city in cities}
    for site in sites_in(jobs):
        stats = stats_by_city(*salaries_by_city([job for job in jobs if job.site == site], cities=cities))
        for city in cities:
            by_site[city][site] = stats[city]
    return by_site


def sites_extras(
    jobs: Sequence[JobRecord], per_site: Mapping[str, Mapping[str, CityStats]], *, min_skill_jobs: int
) -> dict[str, dict[str, object]]:
    """city → {"sites": {site: figures and breakdowns}}: what each city's summary.json object gains."""
    extras: dict[str, dict[str, object]] = {}
    for city, sites in per_site.items():
        city_jobs = [job for job in jobs if job.city == city]
        breakdowns = breakdowns_by(city_jobs, lambda job: job.site, min_skill_jobs=min_skill_jobs)
        extras[city] = {
            SITES_KEY: {
                site: {**stats_dict(stats), **(breakdown_dict(breakdowns[site]) if site in breakdowns else {})}
                for site, stats in sites.items()
            }
        }
    return extras


def plot_sites(per_site: Mapping[str, Mapping[str, CityStats]], font: CJKFont | None) -> Figure:
    """Per city, each site's median as a bar with its p25-p75 line and n below; see the module."""
    fig = Figure(figsize=FIGURE_SIZE_IN, dpi=FIGURE_DPI, layout="constrained")
    ax = fig.add_subplot()
    text, norm, cmap = chart_text(font), salary_norm(), salary_cmap()
    cities = list(per_site)
    sites = list(dict.fromkeys(site for city in cities for site in per_site[city]))
    width = 0.8 / max(len(sites), 1)
    for index, site in enumerate(sites):
        offset = (index - (len(sites) - 1) / 2) * width
        for position, city in enumerate(cities):
            stats = per_site[city].get(site)
            if stats is None or stats.median is None or stats.p25 is None or stats.p75 is None:
                continue
            median = stats.median / CNY_PER_K
            x = position + offset
            ax.bar(x, median, width=width * 0.9, color=cmap(norm(median)), hatch=HATCHES[index % len(HATCHES)],
                   edgecolor="white")  # fmt: skip
            ax.vlines(x, stats.p25 / CNY_PER_K, stats.p75 / CNY_PER_K, color="black", linewidth=2)
            ax.annotate(f"{site}\nn={stats.count}", (x, 0), textcoords="offset points", xytext=(0, -30),
                        ha="center", va="top", fontsize="small")  # fmt: skip
    ax.set_xticks(np.arange(len(cities)), labels=[label_for(city, font) for city in cities])
    ax.tick_params(axis="x", pad=42)  # room for the site names and n under the bars
    ax.set_title(TITLES["zh" if font is not None else "en"])
    ax.set_ylabel(text.salary_axis)
    ax.grid(axis="y", alpha=GRID_ALPHA)
    ax.set_axisbelow(True)
    handles = [
        Patch(facecolor="grey", hatch=HATCHES[i % len(HATCHES)], edgecolor="white", label=s)
        for i, s in enumerate(sites)
    ]
    ax.legend(handles=handles, loc="upper right")
    add_colorbar(fig, ax, text)
    return fig
