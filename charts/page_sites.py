"""The sites section of `index.html`: each city's figures per site side by side, and the site chart.

A section function of `charts.page` (listed in its `SECTIONS`), returning one `<section id="by-site">`
with a table (a row per city and site: jobs, unparsed, median, p25, p75) and the `salary_by_site.png`
chart when it was drawn. Its data travels on `PageData.extra` under `EXTRA_KEY` as a `SitesPage`; a
page without it (a report over one site only) shows no such section. Every text is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charts.summary import CityStats, format_cny

if TYPE_CHECKING:
    from charts.page import PageData
    from charts.page_text import PageText

EXTRA_KEY = "sites"
HEADING = {"zh": "各网站对比", "en": "The sites side by side"}
EXPLAINED = {
    "zh": "每个城市在各网站上的职位：上表的数字合并了所有网站，这里按网站分开（元/月，每个职位取中点）。",
    "en": "Each city's jobs per site: the table above pools the sites, this one splits them (CNY per month, "
    "midpoint per job).",
}
COLUMNS = {
    "zh": ("城市", "网站", "职位数", "未解析", "中位数", "25% 分位", "75% 分位"),
    "en": ("city", "site", "count", "unparsed", "median", "p25", "p75"),
}


@dataclass(frozen=True, slots=True)
class SitesPage:
    """city → site → statistics, in the page's city order, and the chart file (None: not drawn)."""

    per_site: Mapping[str, Mapping[str, CityStats]]
    chart: str | None


def sites_section(data: PageData, _text: PageText) -> str:
    """A row per city and site, then the chart; empty for a page without two or more sites."""
    from charts.page import city_name  # charts.page lists this section: imported when it runs

    page = data.extra.get(EXTRA_KEY)
    if not isinstance(page, SitesPage):
        return ""
    head = "".join(f"<th>{_e(name)}</th>" for name in COLUMNS[data.lang])
    rows = []
    for city, sites in page.per_site.items():
        for site, s in sites.items():
            cells = [city_name(city, data.lang), site, str(s.count), str(s.unparsed)]
            cells += [format_cny(value) for value in (s.median, s.p25, s.p75)]
            rows.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    chart = f'<img src="{_e(page.chart)}" alt="{_e(HEADING[data.lang])}">' if page.chart else ""
    return (
        f'<section id="by-site"><h2>{_e(HEADING[data.lang])}</h2><p class="note">{_e(EXPLAINED[data.lang])}</p>'
        f'<table id="site-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{chart}</section>'
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)
