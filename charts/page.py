"""`index.html`: the one page to look at, written next to the PNGs it shows, in one language.

The page is a list of sections (`SECTIONS`), each a function from the page's data and wording to
an HTML fragment: a sandbox warning when replica data is shown, how the data was collected, the
salary table, how to read it, the charts (or why one is missing), downloads (exports found in the
folder) and the runs behind the history. A new section is one function and one entry in
`SECTIONS`; its data goes on `PageData`, its wording on `charts.page_text.PageText`.
Self-contained apart from the files beside it: inline CSS, no scripts, nothing from a network.
Every text from the database is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from charts.fonts import label_for
from charts.page_breakdowns import education_section, experience_section, skills_section
from charts.page_sites import sites_section
from charts.page_text import PAGE_TEXT, Lang, PageText
from charts.summary import NO_CHANGE, NO_FIGURE, CityChange, CityStats, format_change
from db.runs import RunInfo

INDEX_HTML = "index.html"
DOWNLOAD_SUFFIXES = (".csv", ".jsonl")  # what `export` writes; linked when found beside the page
_STYLE = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2rem auto;
       max-width: 1240px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0 2rem; border: 1px solid #eee; }
.note { color: #555; }
.sandbox { background: #fff4d6; border: 1px solid #e0b000; padding: 0.6rem 1rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
"""


@dataclass(frozen=True, slots=True)
class Collection:
    """How the data was collected, as the page tells it. `sites`: those the figures cover, in order."""

    sites: Sequence[str]
    keyword: str
    cities: Sequence[str]
    runs: int
    first: dt.datetime | None
    last: dt.datetime | None
    jobs: int


@dataclass(frozen=True, slots=True)
class PageData:
    """What the page shows. `changes` is None when there is no history query (no change columns);
    `charts` are PNG file names in the page's folder, in order; `notices` are already worded in
    the page's language; `runs` are the runs behind the history, oldest first; `sandbox_runs` of
    `all_runs` recorded runs scraped the replica; `downloads` are export files beside the page."""

    stats: Mapping[str, CityStats]
    changes: Mapping[str, CityChange] | None
    charts: Sequence[str]
    notices: Sequence[str]
    collection: Collection
    generated: dt.datetime
    runs: Sequence[RunInfo] = ()
    sandbox_runs: int = 0
    all_runs: int = 0
    downloads: Sequence[str] = ()
    folder: str = "reports"
    lang: Lang = "zh"
    is_all_time: bool = False  # the figures pool every stored job (report --all-time), not the latest crawl's
    extra: Mapping[str, object] = field(default_factory=dict)  # for sections added later


Section = Callable[[PageData, PageText], str]


def write_index(out_dir: Path, data: PageData) -> Path:
    """Write `out_dir/index.html` from `data`, in `data.lang`."""
    text = PAGE_TEXT[data.lang]
    title = _e(text.title.format(keyword=data.collection.keyword))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{text.html_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
        *(fragment for section in SECTIONS if (fragment := section(data, text))),
        "</body>",
        "</html>",
        "",
    ]
    path = out_dir / INDEX_HTML
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def find_downloads(out_dir: Path) -> list[str]:
    """The export files (`DOWNLOAD_SUFFIXES`) in `out_dir`, by name."""
    return sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.suffix in DOWNLOAD_SUFFIXES)


def sandbox_section(data: PageData, text: PageText) -> str:
    """A warning when some or all of the data comes from the replica; nothing otherwise."""
    if not data.sandbox_runs:
        return ""
    if data.sandbox_runs == data.all_runs:
        message = text.sandbox_all
    else:
        message = text.sandbox_some.format(sandbox=data.sandbox_runs, runs=data.all_runs)
    return f'<p class="sandbox" id="sandbox-note">{_e(message)}</p>'


def collection_section(data: PageData, text: PageText) -> str:
    c = data.collection
    values = (
        text.city_separator.join(c.sites) or "-",
        c.keyword,
        text.city_separator.join(city_name(city, data.lang) for city in c.cities) or "-",
        str(c.jobs),
        str(c.runs),
        _when(c.first),
        _when(c.last),
        _when(data.generated),
    )
    items = "".join(
        f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in zip(text.collection_labels, values, strict=True)
    )
    return f"<h2>{_e(text.collection_heading)}</h2><dl>{items}</dl>"


def table_section(data: PageData, text: PageText) -> str:
    columns = text.table_columns + (text.change_columns if data.changes is not None else ())
    head = "".join(f"<th>{_e(name)}</th>" for name in columns)
    body = []
    for city, s in data.stats.items():
        cells = [
            city_name(city, data.lang),
            str(s.count),
            str(s.unparsed),
            *(NO_FIGURE if v is None else f"{v:,.0f}" for v in (s.mean, s.median, s.p25, s.p75, s.min, s.max)),
        ]
        if data.changes is not None:
            cells += _change_cells(data.changes.get(city))
        body.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    notices = "".join(f'<p class="note">{_e(notice)}</p>' for notice in data.notices)
    return (
        f"<h2>{_e(text.table_heading)}</h2>"
        f'<table id="salary-table"><caption>{_e(text.table_caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{notices}"
    )


def guide_section(data: PageData, text: PageText) -> str:
    """What a reader cannot guess: what is counted, and what new, gone and Δ median mean."""
    scope = text.scope_all_time if data.is_all_time else text.scope_latest
    entries = ((text.scope_term, scope), *text.guide)
    items = "".join(f"<dt>{_e(term)}</dt><dd>{_e(meaning)}</dd>" for term, meaning in entries)
    return f'<h2>{_e(text.guide_heading)}</h2><dl id="guide">{items}</dl>'


def charts_section(data: PageData, text: PageText) -> str:
    parts = []
    for name in data.charts:
        caption = text.chart_captions.get(name, Path(name).stem)
        parts += [f"<h2>{_e(caption)}</h2>", f'<img src="{_e(name)}" alt="{_e(caption)}">']
    return "".join(parts)


def downloads_section(data: PageData, text: PageText) -> str:
    if not data.downloads:
        hint = text.downloads_none.format(folder=data.folder)
        return f'<h2>{_e(text.downloads_heading)}</h2><p class="note">{_e(hint)}</p>'
    links = "".join(f'<li><a href="{_e(name)}">{_e(name)}</a></li>' for name in data.downloads)
    return f'<h2>{_e(text.downloads_heading)}</h2><ul id="downloads">{links}</ul>'


def runs_section(data: PageData, text: PageText) -> str:
    """The runs whose complete crawls make up the history, oldest first."""
    if not data.runs:
        return f'<h2>{_e(text.runs_heading)}</h2><p class="note">{_e(text.runs_none)}</p>'
    head = "".join(f"<th>{_e(name)}</th>" for name in text.runs_columns)
    rows = []
    for run in data.runs:
        source = (
            text.source_sandbox.format(day=run.sandbox_day)
            if run.is_sandbox
            else text.source_site.format(base_url=run.base_url)
        )
        cells = (
            f"#{run.id}",
            _when(run.started_at),
            _when(run.ended_at),
            text.outcomes.get(run.outcome, run.outcome),
            text.city_separator.join(city_name(city, data.lang) for city in run.cities),
            source,
        )
        rows.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    return (
        f'<h2>{_e(text.runs_heading)}</h2><table id="runs"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# The page, top to bottom. Add a section here (and its data on PageData, its wording on PageText).
SECTIONS: tuple[Section, ...] = (
    sandbox_section,
    collection_section,
    table_section,
    sites_section,
    guide_section,
    charts_section,
    experience_section,
    skills_section,
    education_section,
    downloads_section,
    runs_section,
)


def _change_cells(change: CityChange | None) -> list[str]:
    if change is None:
        return [NO_CHANGE] * 3
    gone = NO_CHANGE if change.gone is None else str(change.gone)
    return [str(change.new), gone, format_change(change.median_change)]


def city_name(city: str, lang: Lang) -> str:
    """A city as the page's language writes it: 北京 in Chinese, Beijing in English."""
    return city if lang == "zh" else label_for(city, None)


def _when(value: dt.datetime | None) -> str:
    return "-" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def _e(text: str) -> str:
    return html.escape(text, quote=True)
