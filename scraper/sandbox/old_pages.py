"""The replica's OLD server-rendered SEO listing pages, `/zhaopin/{Kw}/{n}/` (lagou-pages.md §5).

Rendered from the same job data as the NEW pages: `li.con_list_item` items (§5.2), the
`div.item.page` top pager with `span.curNum` / `span.totalNum`, the `a.page_no` bottom pager
(§9.3) and the SEO hidden inputs. `/zhaopin/{Kw}/` lists 全国 (all cities interleaved);
`/{pinyin}-zhaopin/{Kw}/` lists one city (§3.2). Pure: text out, no I/O.

Assumptions: the last page's 下一页 is `a.page_no.pager_next_disabled` without a link (§13 names
the class; the SEO markup of a last page was never saved); past the last page the `empty-position`
text of §5.1 is shown inside `#s_position_list`. Links stay on the replica host (real pages link
`https://www.lagou.com/…` and load logos from `www.lgstatic.com`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

from scraper.sandbox import data
from scraper.sandbox.assets import LOGO_PREFIX

CITY_SLUGS: dict[str, str] = {
    "beijing": "北京",
    "shanghai": "上海",
    "guangzhou": "广州",
    "shenzhen": "深圳",
    "hangzhou": "杭州",
    "chengdu": "成都",
}
OLD_PATH = re.compile(r"^/(?:(?P<slug>[a-z]+)-)?zhaopin/(?P<kw>[^/]+)/(?:(?P<page>\d+)/)?$")
PAGER_SPAN = 2  # pages shown after the current one (the saved page 2 shows 1 2 3 4 ··· 30)
EMPTY_HTML = (
    '<div class="empty_position"><div class="pic"></div><div class="txt">'
    "<div>暂时没有符合该搜索条件的职位</div><span>请重新修改搜索条件后再进行搜索</span></div></div>"
)


def match_old_path(path: str) -> tuple[str, str, int] | None:
    """(city, keyword, page) for an OLD SEO listing path, or None when `path` is not one."""
    found = OLD_PATH.match(path)
    if found is None:
        return None
    slug = found["slug"]
    if slug is not None and slug not in CITY_SLUGS:
        return None
    city = CITY_SLUGS[slug] if slug else data.NATIONWIDE
    return city, unquote(found["kw"]), int(found["page"] or 1)


def render_old_listing(*, city: str, keyword: str, page: int, day: int = 0) -> str:
    """The full OLD SEO page `page` for a city (or 全国) and keyword; the empty page past the end."""
    jobs = data.jobs_on_page(city, keyword, page, day)
    pages = data.page_count(data.total_count(city, keyword, day))
    base = _base_path(city, keyword)
    items = "".join(_item(job, index) for index, job in enumerate(jobs)) if jobs else ""
    listing = f'<ul class="item_con_list">{items}</ul>' if jobs else EMPTY_HTML
    title = html.escape(f"{keyword}招聘-招聘求职信息-拉勾网")
    return (
        '<!DOCTYPE html><html><head><meta charset="UTF-8">'
        f'<title>{title}</title><link rel="canonical" href="{base}">'
        "<script type=\"text/javascript\">window.X_Anti_Forge_Token = '';window.X_Anti_Forge_Code = '';</script>"
        '</head><body><div id="lg_tbar"><ul class="lg_tbar_r"><li><a href="/frontLogin.do">登录</a></li>'
        '<li><a href="/frontRegister.do" class="bl">注册</a></li></ul></div>'
        '<div id="content-container"><div id="main_container"><div class="content_left">'
        f'<ul class="order" id="order"><li class="wrapper">{_top_pager(base, page, pages)}</li></ul>'
        f'<div class="s_position_list " id="s_position_list">{listing}'
        f'<div class="item_con_pager"><div class="pager_container">{_pager(base, page, pages)}</div></div>'
        f'<input id="isSEO" type="hidden" value="true"><input id="pageNoSEO" type="hidden" value="{page}">'
        f'<input id="pageSizeSEO" type="hidden" value="{data.PAGE_SIZE}">'
        f'<input id="totalPageCountSEO" type="hidden" value="{pages}">'
        f'<input id="resultLengthSEO" type="hidden" value="{len(jobs)}">'
        "</div></div></div></div></body></html>"
    )


def _base_path(city: str, keyword: str) -> str:
    slug = next((slug for slug, name in CITY_SLUGS.items() if name == city), None)
    prefix = f"/{slug}-zhaopin" if slug else "/zhaopin"
    return f"{prefix}/{quote(keyword, safe='')}/"


def _page_href(base: str, page: int) -> str:
    return base if page == 1 else f"{base}{page}/"


def _item(job: Mapping[str, Any], index: int) -> str:
    """One server-rendered `li.con_list_item` (§5.2; `data-hrid` is the recruiter id, as on real pages)."""
    esc = html.escape
    zone = job["businessZones"][0] if job["businessZones"] else job["district"]
    place = f"{job['city']}·{zone}" if zone else job["city"]
    labels = job["positionLables"] or job["companyLabelList"][:4]
    spans = "".join(f"<span>{esc(label)}</span>" for label in labels)
    return (
        f'<li class="con_list_item default_list" data-index="{index}" data-positionid="{job["positionId"]}" '
        f'data-salary="{esc(job["salary"])}" data-company="{esc(job["companyShortName"])}" '
        f'data-positionname="{esc(job["positionName"])}" data-companyid="{job["companyId"]}" '
        f'data-hrid="{job["publisherId"]}" data-adword="0">'
        '<div class="list_item_top"><div class="position"><div class="p_top">'
        f'<a class="position_link" href="/jobs/{job["positionId"]}.html" target="_blank" data-index="{index}">'
        f'<h3>{esc(job["positionName"])}</h3><span class="add">[<em>{esc(place)}</em>]</span></a>'
        f'<span class="format-time">{esc(job["formatCreateTime"])}</span></div>'
        f'<div class="p_bot"><div class="li_b_l"><span class="money">{esc(job["salary"])}</span>'
        f"<!--<i></i>-->经验{esc(job['workYear'])} / {esc(job['education'])}</div></div></div>"
        f'<div class="company"><div class="company_name"><a href="/gongsi/{job["companyId"]}.html" '
        f'target="_blank">{esc(job["companyShortName"])}</a></div>'
        f'<div class="industry">{esc(job["industryField"])} / {esc(job["financeStage"])}</div></div>'
        f'<div class="com_logo"><a href="/gongsi/{job["companyId"]}.html"><img '
        f'src="{LOGO_PREFIX}{esc(job["companyLogo"])}" alt="{esc(job["companyShortName"])}" '
        'width="60" height="60"></a></div></div>'
        f'<div class="list_item_bot"><div class="li_b_l">{spans}</div>'
        f'<div class="li_b_r">“{esc(job["positionAdvantage"])}”</div></div></li>'
    )


def _top_pager(base: str, page: int, pages: int) -> str:
    prev_href = _page_href(base, max(1, page - 1))
    next_href = _page_href(base, page + 1) if page < pages else "javascript:;"
    return (
        f'<div class="item page"><a class="prev " href="{prev_href}">&lt;</a>'
        f'<a class="next " href="{next_href}">&gt;</a><div class="page-number">'
        f'<span class="curNum">{page}</span> / <span class="span totalNum">{pages}</span></div></div>'
    )


def _pager(base: str, page: int, pages: int) -> str:
    """§9.3: 上一页, 1, a window around `page`, ···, the last page, 下一页."""
    links = [f'<a href="{_page_href(base, max(1, page - 1))}" class="page_no" data-index="">上一页</a>']
    shown = sorted({1, pages} | set(range(max(1, page - PAGER_SPAN), min(pages, page + PAGER_SPAN) + 1)))
    previous = 0
    for number in (n for n in shown if 1 <= n <= pages):
        if number - previous > 1:
            links.append("···")
        if number == page:
            links.append(
                f'<a rel="nofollow" href="javascript:;" class="page_no pager_is_current" '
                f'data-index="{number}">{number}</a>'
            )
        else:
            links.append(f'<a href="{_page_href(base, number)}" class="page_no" data-index="{number}">{number}</a>')
        previous = number
    if page < pages:
        links.append(f'<a href="{_page_href(base, page + 1)}" class="page_no" data-index="{page + 1}">下一页</a>')
    else:
        links.append('<a href="javascript:;" class="page_no pager_next_disabled" data-index="">下一页</a>')
    return "".join(links)
