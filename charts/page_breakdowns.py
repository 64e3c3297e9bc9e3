"""The breakdown sections of `index.html`: salary by experience, the skill premium, and a small table
of education levels, in the page's language.

Each is a section function of `charts.page` (listed in its `SECTIONS`) returning one HTML `<section>`
(ids `by-experience`, `skill-premium`, `by-education`). Their data travels on `PageData.extra` under
`EXTRA_KEY` as a `BreakdownPage`; a page without it (no report data) shows none of them.
Every text from the database is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charts.bands import EDUCATION_EN
from charts.breakdown import Breakdown
from charts.summary import format_cny

if TYPE_CHECKING:
    from charts.page import PageData
    from charts.page_text import PageText

EXTRA_KEY = "breakdowns"


@dataclass(frozen=True, slots=True)
class BreakdownPage:
    """What the sections show: each city's breakdowns (in the page's city order), the chart files
    (None: not drawn), the skill minimum and how many skills a city's panel shows at most."""

    breakdowns: Mapping[str, Breakdown]
    experience_chart: str | None
    skills_chart: str | None
    min_skill_jobs: int
    shown_skills: int


@dataclass(frozen=True, slots=True)
class BreakdownText:
    """The sections' wording in one language."""

    experience_heading: str
    experience_explained: str
    skills_heading: str
    skills_explained: str
    no_skill: str
    education_heading: str
    education_caption: str
    education_columns: tuple[str, ...]


TEXT: dict[str, BreakdownText] = {
    "zh": BreakdownText(
        experience_heading="按工作经验的月薪",
        experience_explained=(
            "每个城市、每个经验段：条表示中间一半职位的月薪（25% 到 75% 分位），点是中位数，"
            "段名下的 n 是有可解析薪资的职位数。颜色按中位数取值，与其他图表同一色标。"
        ),
        skills_heading="技能溢价",
        skills_explained=(
            "城市里至少 {min_jobs} 个有可解析薪资的职位带有的技能（每城最多 {shown} 个，中位数高者在上）："
            "该技能职位的月薪中位数、与城市中位数（虚线）之差，以及 n（职位数）。一个职位每个技能只计一次。"
        ),
        no_skill="没有技能达到 {min_jobs} 个有可解析薪资的职位。",
        education_heading="按学历的月薪",
        education_caption="按学历的月薪（元/月，每个职位取中点）",
        education_columns=("城市", "学历", "职位数", "未解析", "中位数", "25% 分位", "75% 分位"),
    ),
    "en": BreakdownText(
        experience_heading="Salary by experience",
        experience_explained=(
            "For each city and experience band: the bar spans the middle half of the jobs' monthly salaries "
            "(p25 to p75), the dot is the median, and n under the band counts the jobs with a parsed salary. "
            "Colour follows the median on the same scale as the other charts."
        ),
        skills_heading="Skill premium",
        skills_explained=(
            "Each skill carried by at least {min_jobs} of a city's jobs with a parsed salary (up to {shown} per "
            "city, highest median first): its median monthly salary, how far it lies from the city's median "
            "(the dashed line), and n, the jobs behind it. A job counts once per skill."
        ),
        no_skill="No skill is carried by {min_jobs} or more jobs with a parsed salary.",
        education_heading="Salary by education",
        education_caption="Monthly salary in CNY by education level (midpoint per job)",
        education_columns=("city", "education", "count", "unparsed", "median", "p25", "p75"),
    ),
}


def experience_section(data: PageData, _text: PageText) -> str:
    """The experience chart and how to read it; '-' in place of the chart when none was drawn."""
    page = _page(data)
    if page is None:
        return ""
    words = TEXT[data.lang]
    body = _img(page.experience_chart, words.experience_heading) if page.experience_chart else "<p>-</p>"
    return (
        f'<section id="by-experience"><h2>{_e(words.experience_heading)}</h2>'
        f'<p class="note">{_e(words.experience_explained)}</p>{body}</section>'
    )


def skills_section(data: PageData, _text: PageText) -> str:
    """The skill-premium chart and how to read it, or the line saying no skill has enough jobs."""
    page = _page(data)
    if page is None:
        return ""
    words = TEXT[data.lang]
    note = words.skills_explained.format(min_jobs=page.min_skill_jobs, shown=page.shown_skills)
    body = (
        _img(page.skills_chart, words.skills_heading)
        if page.skills_chart
        else f"<p>{_e(words.no_skill.format(min_jobs=page.min_skill_jobs))}</p>"
    )
    return (
        f'<section id="skill-premium"><h2>{_e(words.skills_heading)}</h2><p class="note">{_e(note)}</p>{body}</section>'
    )


def education_section(data: PageData, _text: PageText) -> str:
    """A row per city and education level: jobs, unparsed, median and the middle half."""
    from charts.page import city_name  # charts.page lists this section: imported when it runs

    page = _page(data)
    if page is None:
        return ""
    words = TEXT[data.lang]
    head = "".join(f"<th>{_e(name)}</th>" for name in words.education_columns)
    rows = []
    for city, breakdown in page.breakdowns.items():
        for level, s in breakdown.by_education.items():
            name = level if data.lang == "zh" else EDUCATION_EN.get(level, level)
            cells = [city_name(city, data.lang), name, str(s.count), str(s.unparsed)]
            cells += [format_cny(value) for value in (s.median, s.p25, s.p75)]
            rows.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    return (
        f'<section id="by-education"><h2>{_e(words.education_heading)}</h2><table id="education-table">'
        f"<caption>{_e(words.education_caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _page(data: PageData) -> BreakdownPage | None:
    page = data.extra.get(EXTRA_KEY)
    return page if isinstance(page, BreakdownPage) else None


def _img(name: str, alt: str) -> str:
    return f'<img src="{_e(name)}" alt="{_e(alt)}">'


def _e(text: str) -> str:
    return html.escape(text, quote=True)
