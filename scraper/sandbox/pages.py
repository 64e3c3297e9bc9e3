"""The replica's NEW Lagou listing page (`/wn/jobs`): HTML cards, pager and `__NEXT_DATA__`.

`render_listing` turns one page of `data.jobs_on_page` into the server HTML of lagou-pages.md
§4: the `#__next` / `#jobList` skeleton (§4.1), fifteen `.item__10RTO` cards (§4.2), the
`ul.lg-pagination` pager (§9.1) and the `__NEXT_DATA__` script with the §4.3 key order, which
scrapers that split the HTML on fixed strings depend on. Pure: text out, no I/O.

Assumptions the reference marks "Unconfirmed" (§12), made here so the replica is complete:
- the content envelope: `pageNo`, `pageSize`, `showId` and the fake `hrInfoMap` inside
  `initData.content` (copied from the OLD JSON, §5.4), and exactly `page`, `query`, `buildId`
  after `props` (§12.1);
- the publish-time `<span>` in `.p-top__1F7CL` and the card's bottom half (§12.4, §12.5);
- `pn` past the last page (so any `pn` > 30) gives the empty-result page, which keeps
  `totalCount` and shows only the two disabled arrows (§12.6);
- the pager: rc-pagination's window of pages, `a.lg-pagination-item-link` only in the arrows,
  no `title` / `lg-pagination-item-N` attributes (§12.8);
- the second child of `#jobList` (a filler here; its real role is unknown) and the header.
"""

from __future__ import annotations

import html
import json
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from scraper.sandbox import data
from scraper.sandbox.assets import CSS_PATH, LOGO_PREFIX, NOMODULE_JS_PATH

BUILD_ID = "lg-replica-20240520"
LISTING_PATH = "/wn/jobs"
NEXT_DATA_OPEN = '<script id="__NEXT_DATA__" type="application/json">'
NEXT_DATA_CLOSE = '</script><script nomodule="" src="'  # scrapers split on this exact text (§4.3)
EMPTY_TEXT = "暂时没有符合该搜索条件的职位"
PAGER_BUFFER = 2  # rc-pagination's pageBufferSize: pages shown either side of the current one
DOUBLE_NESTED_EVERY = 5  # every 5th card uses the saved fragment's double `position__21iOS`

# Next.js escapes these inside the JSON script so the text cannot close the tag.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def listing_url(city: str, keyword: str, page: int, path: str = LISTING_PATH) -> str:
    """The replica-relative URL of a listing page, in the §3.1 parameter order."""
    return f"{path}?{urlencode({'kd': keyword, 'city': city, 'pn': page})}"


def render_listing(
    *,
    city: str,
    keyword: str,
    page: int,
    query: Mapping[str, str],
    path: str = LISTING_PATH,
    day: int = 0,
    jobs: tuple[data.Job, ...] | None = None,
) -> str:
    """The full HTML of listing page `page`; the empty-result page past the end.

    `query` is the request's query string (echoed in `__NEXT_DATA__.query`, as Next.js does);
    `path` is the route served (`/wn/jobs` or `/wn/zhaopin`), used in pager links and `page`.
    `jobs` replaces the page's own jobs (a fault serving damaged data).
    """
    jobs = data.jobs_on_page(city, keyword, page, day) if jobs is None else jobs
    total = data.total_count(city, keyword, day)
    if jobs:
        listing = "".join(_card(job, index) for index, job in enumerate(jobs))
        body = f'<div class="list__YibNq">{listing}</div><div class="replica-filler"></div>'
        pager = _pager(path, city, keyword, page, data.page_count(total))
    else:
        body = f'<div class="list__YibNq"></div><div class="replica-empty">{EMPTY_TEXT}</div>'
        pager = _pager(path, city, keyword, page, 0)
    next_data = _next_data(path, city=city, keyword=keyword, page=page, query=query, jobs=jobs, total=total)
    title = html.escape(f"{keyword}招聘-{city}{keyword}招聘求职信息-拉勾网")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charSet="utf-8"/>'
        f'<title>{title}</title><link rel="stylesheet" href="{CSS_PATH}"/></head><body>'
        f'<div id="__next">{_header(keyword)}<div id="jobList">{body}<div>{pager}</div></div></div>'
        f'{NEXT_DATA_OPEN}{_script_json(next_data)}{NEXT_DATA_CLOSE}{NOMODULE_JS_PATH}"></script>'
        "</body></html>"
    )


def render_shell_without_data(keyword: str) -> str:
    """A page that loads but holds no job data: no `__NEXT_DATA__`, no cards, no empty text."""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charSet="utf-8"/><title>拉勾招聘</title>'
        f'<link rel="stylesheet" href="{CSS_PATH}"/></head><body><div id="__next">{_header(keyword)}'
        f'<div id="jobList"></div></div><script nomodule="" src="{NOMODULE_JS_PATH}"></script></body></html>'
    )


def _header(keyword: str) -> str:
    return (
        '<div class="replica-header"><a class="replica-logo">拉勾招聘</a>'
        f'<input id="search_input" value="{html.escape(keyword)}"/><a id="search_button">搜索</a></div>'
    )


def _card(job: Mapping[str, Any], index: int) -> str:
    """One §4.2 card in the server-HTML form (`<a>title<!-- -->[loc]</a><span>time</span>`)."""
    esc = html.escape
    place = job["city"] + (f"·{job['district']}" if job["district"] else "")
    position = (
        f'<div class="p-top__1F7CL"><a>{esc(job["positionName"])}<!-- -->[{esc(place)}]</a>'
        f"<span>{esc(job['formatCreateTime'])}</span></div>"
        f'<div class="p-bom__JlNur"><span class="money__3Lkgq">{esc(job["salary"])}</span>'
        f"经验{esc(job['workYear'])} / {esc(job['education'])}</div>"
    )
    # The only real card sample nests position__21iOS twice; §4.2 shows it once. Serve both.
    if index % DOUBLE_NESTED_EVERY == DOUBLE_NESTED_EVERY - 1:
        position = f'<span style=""><div class="position__21iOS">{position}</div></span>'
    industry = f"{job['industryField']} / {job['financeStage']} / {job['companySize']}"
    skills = "".join(f"<span>{esc(skill)}</span>" for skill in job["skillLables"])
    return (
        '<div class="item__10RTO"><div class="item-top__1Z3Zo">'
        f'<div class="position__21iOS">{position}</div>'
        f'<div class="company__2EsC8"><div class="company-name__2-SjF"><a class="">'
        f"{esc(job['companyShortName'])}</a></div>"
        f'<div class="industry__1HBkr">{esc(industry)}</div></div>'
        f'<div class="com-logo__1QOwC"><img src="{LOGO_PREFIX}{esc(job["companyLogo"])}" '
        f'alt="{esc(job["companyShortName"])}"/></div></div>'
        f'<div class="item-bom__cTJhu"><div class="ir___QwEG">{skills}</div>'
        f'<div class="il__3lk85">“{esc(job["positionAdvantage"])}”</div></div></div>'
    )


def _pager(path: str, city: str, keyword: str, current: int, pages: int) -> str:
    """`ul.lg-pagination`; `pages == 0` gives the empty page's two disabled arrows.

    Anchors carry an href to the target page so clicking works without the site's JS.
    """
    items = [_arrow("prev", listing_url(city, keyword, current - 1, path), is_disabled=pages == 0 or current <= 1)]
    for entry in _page_window(current, pages):
        if isinstance(entry, str):
            items.append(f'<li class="lg-pagination-{entry}" tabindex="0"><a>•••</a></li>')
            continue
        active = " lg-pagination-item-active" if entry == current else ""
        href = html.escape(listing_url(city, keyword, entry, path))
        items.append(f'<li class="lg-pagination-item{active}" tabindex="0"><a href="{href}">{entry}</a></li>')
    items.append(_arrow("next", listing_url(city, keyword, current + 1, path), is_disabled=current >= pages))
    return f'<ul class="lg-pagination">{"".join(items)}</ul>'


def _arrow(side: str, url: str, *, is_disabled: bool) -> str:
    symbol = "&lt;" if side == "prev" else "&gt;"
    if is_disabled:
        return (
            f'<li class="lg-pagination-{side} lg-pagination-disabled" aria-disabled="true">'
            f'<a class="lg-pagination-item-link">{symbol}</a></li>'
        )
    href = html.escape(url)
    return (
        f'<li class="lg-pagination-{side}" tabindex="0" aria-disabled="false">'
        f'<a class="lg-pagination-item-link" href="{href}">{symbol}</a></li>'
    )


def _page_window(current: int, pages: int) -> list[int | str]:
    """rc-pagination's item list: all pages up to 7, else first, a window, jumps, last."""
    if pages <= 3 + 2 * PAGER_BUFFER:
        return list(range(1, pages + 1))
    left, right = max(1, current - PAGER_BUFFER), min(current + PAGER_BUFFER, pages)
    if current - 1 <= PAGER_BUFFER:
        right = 1 + 2 * PAGER_BUFFER
    if pages - current <= PAGER_BUFFER:
        left = pages - 2 * PAGER_BUFFER
    window: list[int | str] = list(range(left, right + 1))
    if current - 1 >= 2 * PAGER_BUFFER and current != 1 + 2:
        window.insert(0, "jump-prev")
    if pages - current >= 2 * PAGER_BUFFER and current != pages - 2:
        window.append("jump-next")
    if left != 1:
        window.insert(0, 1)
    if right != pages:
        window.append(pages)
    return window


def _next_data(
    path: str, *, city: str, keyword: str, page: int, query: Mapping[str, str], jobs: tuple[data.Job, ...], total: int
) -> dict[str, Any]:
    """The §4.3 document. Key order is part of the contract: `result` directly before `locationInfo`."""
    seed = zlib.crc32(f"{city}|{keyword}|{page}".encode())  # opaque ids, stable across runs
    position_result = {
        "totalCount": total,
        "resultSize": len(jobs),
        "result": list(jobs),
        "locationInfo": {
            "city": city,
            "district": None,
            "businessZone": None,
            "locationCode": None,
            "isAllhotBusinessZone": False,
            "queryByGisCode": False,
        },
    }
    content = {
        "pageNo": page,
        "pageSize": data.PAGE_SIZE,
        "showId": f"{seed:08x}{page:04x}",
        "hrInfoMap": data.hr_info_map(jobs),
        "positionResult": position_result,
    }
    return {
        "props": {
            "pageProps": {"initData": {"content": content}},
            "tokenData": {"submitCode": f"{seed:x}", "submitToken": f"{seed:016x}-{page:04d}"},
        },
        "page": path,
        "query": dict(query),
        "buildId": BUILD_ID,
    }


def _script_json(document: Mapping[str, Any]) -> str:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text
