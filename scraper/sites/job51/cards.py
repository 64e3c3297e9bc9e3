"""51job cards read into `Posting`s: each `.joblist-item`'s `sensorsdata` JSON first, its DOM text second.

The search page's Vue script renders 20 `div.joblist-item` cards after the load (placeholders
`.job-item` stand there before; they are never read). Each card's `.joblist-item-job` carries a
`sensorsdata` attribute: a JSON object with the job id, title, salary text, area, experience,
education, publish time and the page number it came from (reference 51job-pages.md §6). Company
name, type, size and industry are only in the DOM (`.cname`, `.bc .dc`). Only an allow-list of
keys and selectors is read: the recruiter fields the site also sends (hrName, hrUid, hrPosition,
avatars, activity labels `.tip`, medals, coordinates) are never touched. Junk cards are skipped:
one without a `jobId`, an 「APP下载」 card; a 「访问验证」 card is the block module's business.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from scraper.model.postings import Posting
from scraper.model.salary import parse_salary
from scraper.sites.markup import visible_text

CARD = ".joblist-item"
PAYLOAD = ".joblist-item-job[sensorsdata]"
TITLE = ".jname"
SALARY = ".sal"
COMPANY = ".joblist-item-right .cname, a.comp .cname"
COMPANY_META = ".bc .dc"
JUNK_TITLES = ("APP下载",)
VERIFY_TITLE = "访问验证"
AREA_SEPARATORS = re.compile(r"[·\-]")
JOB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Company types the `.bc .dc` line shows (reference §7.8); the product stores no company type.
COMPANY_TYPES = ("民营", "国企", "上市公司", "合资", "外资", "事业单位", "创业公司", "政府机关", "非营利组织")
_COMPANY_SIZE = re.compile(r"\d+\s*人")


@dataclass(frozen=True, slots=True)
class Card:
    """One card's allow-listed fields, before it becomes a `Posting`. `page` is `sensorsdata.pageNum`."""

    job_id: str | None
    title: str
    salary: str
    area: str | None
    work_year: str | None
    education: str | None
    job_time: str | None
    page: int | None
    company: str | None
    company_meta: tuple[str, ...]


def find_cards(root: LexborNode) -> list[LexborNode]:
    """The rendered cards of a page (never the placeholders)."""
    return root.css(CARD)


def read_card(node: LexborNode) -> Card:
    """The allow-listed fields of one card: `sensorsdata` values first, the DOM's text where they are missing."""
    data = _payload(node)
    dom_title = _text_of(node.css_first(TITLE))
    dom_salary = _text_of(node.css_first(SALARY))
    company = node.css_first(COMPANY)
    return Card(
        job_id=_identifier(data.get("jobId")),
        title=(_string(data.get("jobTitle")) or dom_title or "").strip(),
        salary=_string(data.get("jobSalary")) or dom_salary or "",
        area=_string(data.get("jobArea")) or _text_of(node.css_first(".joblist-item-jobinfo .area .shrink-0")),
        work_year=_string(data.get("jobYear")),
        education=_string(data.get("jobDegree")),
        job_time=_string(data.get("jobTime")),
        page=_page_number(data.get("pageNum")),
        company=_company_name(company),
        company_meta=tuple(text for text in (_text_of(dc) for dc in node.css(COMPANY_META)) if text),
    )


def is_junk(card: Card) -> bool:
    """True for a card that is no posting: no job id, no title, or an app advert."""
    return card.job_id is None or not card.title or any(junk in card.title for junk in JUNK_TITLES)


def is_verify_card(card: Card) -> bool:
    """True for the 「访问验证」 card the site puts in the list when it wants a slider solved."""
    return VERIFY_TITLE in card.title


def posting_from_card(card: Card, *, city: str, source_url: str) -> Posting:
    """The posting of a real card, filed under the queried `city`; the area gives the district
    only when its city part is that city (an item from elsewhere keeps no district)."""
    area_city, district = split_area(card.area)
    industry, company_size = split_company_meta(card.company_meta)
    return Posting(
        city=city,
        title=card.title,
        salary=parse_salary(card.salary),
        company=card.company,
        district=district if area_city == city else None,
        work_year=card.work_year,
        education=card.education,
        company_size=company_size,
        industry=industry,
        position_id=card.job_id,
        source_url=source_url,
        created_at=_job_time(card.job_time),
    )


def split_area(text: str | None) -> tuple[str | None, str | None]:
    """`上海·浦东新区` → ("上海", "浦东新区"); `苏州` → ("苏州", None); the older `北京-海淀区` alike."""
    parts = AREA_SEPARATORS.split(text.strip(), maxsplit=1) if text else []
    city = parts[0].strip() or None if parts else None
    district = parts[1].strip() or None if len(parts) > 1 else None
    return city, district


def split_company_meta(parts: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(industry, size) from the `.bc .dc` texts: the size counts people (「人」), a company type is
    dropped, and the first other part is the industry. Some cards show only one part."""
    industry = size = None
    for part in parts:
        if _COMPANY_SIZE.search(part):
            size = size or part
        elif not any(part.startswith(kind) for kind in COMPANY_TYPES):
            industry = industry or part
    return industry, size


def _payload(node: LexborNode) -> dict[str, object]:
    """The card's `sensorsdata` object ({} when missing or not JSON: the DOM text then stands alone)."""
    holder = node.css_first(PAYLOAD)
    raw = holder.attributes.get("sensorsdata") if holder is not None else None
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _company_name(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return _text_of(node) or _string(node.attributes.get("title"))


def _text_of(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return visible_text(node).strip() or None


def _string(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _identifier(value: object) -> str | None:
    # A job id may come as a string or a number; a bool is neither.
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    return text if text.isdigit() else None


def _page_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _job_time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, JOB_TIME_FORMAT)
    except ValueError:
        return None
