"""`index.html`: the one page to look at, written next to the PNGs it shows.

The salary table (with each city's newest change when there is a history), the three charts,
the trend (or the line saying why there is none) and how the data was collected. Self-contained
apart from the PNGs beside it: inline CSS, no scripts, no fonts or anything else from a network.
Every text from the database is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from charts.summary import (
    CHANGE_COLUMNS,
    NO_CHANGE,
    NO_FIGURE,
    TABLE_CAPTION,
    TABLE_COLUMNS,
    CityChange,
    CityStats,
    format_change,
)

INDEX_HTML = "index.html"
_STYLE = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2rem auto;
       max-width: 1240px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0 2rem; border: 1px solid #eee; }
.note { color: #555; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: bold; }
"""


@dataclass(frozen=True, slots=True)
class Collection:
    """How the data was collected, as the page tells it."""

    site: str
    keyword: str
    cities: Sequence[str]
    runs: int
    first: dt.datetime | None
    last: dt.datetime | None
    jobs: int


def write_index(
    out_dir: Path,
    *,
    stats: Mapping[str, CityStats],
    changes: Mapping[str, CityChange] | None,
    charts: Sequence[tuple[str, str]],
    notices: Sequence[str],
    collection: Collection,
    generated: dt.datetime,
) -> Path:
    """Write `out_dir/index.html`; `charts` are (file name, caption) of PNGs in `out_dir`."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(collection.keyword)} salaries by city</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(collection.keyword)} salaries by city</h1>",
        _collection_html(collection, generated),
        "<h2>Salary table</h2>",
        _table_html(stats, changes),
    ]
    parts += [f'<p class="note">{_e(notice)}</p>' for notice in notices]
    for name, caption in charts:
        parts += [f"<h2>{_e(caption)}</h2>", f'<img src="{_e(name)}" alt="{_e(caption)}">']
    parts += ["</body>", "</html>", ""]
    path = out_dir / INDEX_HTML
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _collection_html(c: Collection, generated: dt.datetime) -> str:
    def when(value: dt.datetime | None) -> str:
        return "-" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"

    rows = [
        ("Site", c.site),
        ("Keyword", c.keyword),
        ("Cities", "、".join(c.cities) or "-"),
        ("Jobs stored", str(c.jobs)),
        ("Runs in the history", str(c.runs)),
        ("First run", when(c.first)),
        ("Latest run", when(c.last)),
        ("Page written", when(generated)),
    ]
    items = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in rows)
    return f"<h2>How the data was collected</h2><dl>{items}</dl>"


def _table_html(stats: Mapping[str, CityStats], changes: Mapping[str, CityChange] | None) -> str:
    columns = TABLE_COLUMNS + (CHANGE_COLUMNS if changes is not None else ())
    head = "".join(f"<th>{_e(name)}</th>" for name in columns)
    body = []
    for city, s in stats.items():
        cells = [
            city,
            str(s.count),
            str(s.unparsed),
            *(NO_FIGURE if v is None else f"{v:,.0f}" for v in (s.mean, s.median, s.p25, s.p75, s.min, s.max)),
        ]
        if changes is not None:
            change = changes.get(city)
            cells += (
                [NO_CHANGE] * 3
                if change is None
                else [
                    str(change.new),
                    NO_CHANGE if change.gone is None else str(change.gone),
                    format_change(change.median_change),
                ]
            )
        body.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    return (
        f'<table id="salary-table"><caption>{_e(TABLE_CAPTION)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)
