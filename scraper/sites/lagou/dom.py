"""Lagou listing pages read from the DOM: NEW job cards, OLD `li.con_list_item` items, pagers.

The NEW cards are the fallback when `__NEXT_DATA__` is missing; their CSS-module class names
(`money__3Lkgq`) carry a build hash that can change with any deploy, so they are matched by
the part before the hash (`class_prefix("money__")`) and always with descendant selectors,
because the nesting varies between server HTML and browser copies. The OLD items (2014–2021
pages, both the server-rendered SEO list and the AJAX-filled list) use plain class names. The DOM
shows no full company name or creation time (and NEW cards no position id, unless a card link
`/wn/jobs/N` carries one, as in the two-column list of §14), so those stay None; the
salary text carries no months hint. Recruiter markup (`data-hrid`, the hidden `hr_*` inputs,
`chat_me`) is never read.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from scraper.model.postings import Posting
from scraper.model.salary import parse_salary
from scraper.sites.markup import class_prefix, has_class, text_after, visible_text

EMPTY_MARKER = "暂时没有符合该搜索条件的职位"
# Containers whose visible text may carry the empty marker: NEW `#jobList`, OLD list and template.
EMPTY_CONTAINERS = ("#jobList", "#s_position_list", ".empty_position")

NEW_CARD = class_prefix("item__")
# A saved card may be only its top half (no outer `item__` div); that half is still a whole card.
NEW_CARD_TOP = class_prefix("item-top__")
NEW_TITLE_LINK = f"{class_prefix('p-top__')} a"
NEW_SALARY = class_prefix("money__")
NEW_COMPANY = f"{class_prefix('company-name__')} a"
NEW_INDUSTRY = class_prefix("industry__")
NEW_SKILLS = f"{class_prefix('ir__')} span"
NEW_NEXT_BUTTON = "li.lg-pagination-next"
NEW_NEXT_DISABLED_CLASS = "lg-pagination-disabled"

OLD_ITEM = "li.con_list_item"
OLD_NEXT_BUTTON = ".pager_container .pager_next"
OLD_NEXT_DISABLED_CLASS = "pager_next_disabled"
OLD_PAGE_LINKS = ".pager_container a.page_no"
OLD_CURRENT_PAGE = ".pager_container .pager_is_current"
OLD_NEXT_LINK_TEXT = "下一页"

EXPERIENCE_PREFIX = "经验"
LOCATION_SEPARATOR = "·"
# "150-500人", "2000人以上", "少于15人": the company-size part of an industry line.
_COMPANY_SIZE = re.compile(r"\d+\s*人")
# Industry lines are "{industry} / {finance stage} [/ {size}]"; industries may contain "/" unspaced.
_INDUSTRY_SEPARATOR = re.compile(r"\s+/\s+")
_JOB_LINK_ID = re.compile(r"/wn/jobs/(\d+)")


def has_empty_marker(root: LexborNode) -> bool:
    """True when the visible page says the search has no results (scripts and templates excluded)."""
    containers = (container for selector in EMPTY_CONTAINERS for container in root.css(selector))
    return any(EMPTY_MARKER in visible_text(container) for container in containers)


def find_new_cards(root: LexborNode) -> list[LexborNode]:
    """The NEW job cards, or the bare top halves when a page or fragment has no outer card div."""
    return root.css(NEW_CARD) or root.css(NEW_CARD_TOP)


def read_new_cards(root: LexborNode, *, city_hint: str | None, source_url: str) -> list[Posting]:
    """Postings from the NEW cards; cards without a title are skipped."""
    postings = []
    for card in find_new_cards(root):
        link = card.css_first(NEW_TITLE_LINK)
        if link is None:
            continue
        title, city, district = split_title_location(visible_text(link))
        if not title:
            continue
        money = card.css_first(NEW_SALARY)
        work_year, education = split_experience(text_after(money)) if money else (None, None)
        industry, finance_stage, company_size = split_industry(_text_of(card.css_first(NEW_INDUSTRY)))
        postings.append(
            Posting(
                city=city or city_hint or "",
                title=title,
                salary=parse_salary(_text_of(money) or ""),
                company=_text_of(card.css_first(NEW_COMPANY)),
                district=district,
                work_year=work_year,
                education=education,
                company_size=company_size,
                finance_stage=finance_stage,
                industry=industry,
                skills=_span_texts(card.css(NEW_SKILLS)),
                position_id=_position_id(link.attributes.get("href")),
                source_url=source_url,
            )
        )
    return postings


def _position_id(href: str | None) -> str | None:
    """The id in a card link `/wn/jobs/12345.html` (the two-column list has such links, §14); else None."""
    found = _JOB_LINK_ID.search(href or "")
    return found.group(1) if found else None


def read_new_has_next(root: LexborNode) -> bool | None:
    """From `li.lg-pagination-next`: False when disabled, True when enabled, None when absent."""
    button = root.css_first(NEW_NEXT_BUTTON)
    if button is None:
        return None
    return not (has_class(button, NEW_NEXT_DISABLED_CLASS) or button.attributes.get("aria-disabled") == "true")


def read_old_items(root: LexborNode, *, city_hint: str | None, source_url: str) -> list[Posting]:
    """Postings from OLD `li.con_list_item` items; items without a title are skipped."""
    postings = []
    for item in root.css(OLD_ITEM):
        attrs = item.attributes
        title = (_text_of(item.css_first("h3")) or (attrs.get("data-positionname") or "")).strip()
        if not title:
            continue
        money = item.css_first("span.money")
        location = _text_of(item.css_first("span.add em"))
        city, district = split_location(location) if location else (None, None)
        work_year, education = split_experience(text_after(money)) if money else (None, None)
        industry, finance_stage, company_size = split_industry(_text_of(item.css_first(".industry")))
        postings.append(
            Posting(
                city=city or city_hint or "",
                title=title,
                salary=parse_salary(_text_of(money) or attrs.get("data-salary") or ""),
                company=_text_of(item.css_first(".company_name a")) or _blank_to_none(attrs.get("data-company")),
                district=district,
                work_year=work_year,
                education=education,
                company_size=company_size,
                finance_stage=finance_stage,
                industry=industry,
                skills=_span_texts(item.css(".list_item_bot .li_b_l span")),
                position_id=_blank_to_none(attrs.get("data-positionid")),
                source_url=source_url,
            )
        )
    return postings


def read_old_has_next(root: LexborNode) -> bool | None:
    """Whether an OLD page has a next page; None when it shows no pager at all.

    The AJAX pager says it directly (`span.pager_next`, disabled on the last page). The SEO
    pager is links: no "下一页" link means last page; with one, the current page must also be
    below the highest numbered link (the pager always links page 30 as the last one). Without
    either pager the top bar's `curNum / totalNum` decides.
    """
    button = root.css_first(OLD_NEXT_BUTTON)
    if button is not None:
        return not has_class(button, OLD_NEXT_DISABLED_CLASS)
    links = root.css(OLD_PAGE_LINKS)
    if links:
        if not any(visible_text(link).strip() == OLD_NEXT_LINK_TEXT for link in links):
            return False
        current_link = root.css_first(OLD_CURRENT_PAGE)
        current = _number(current_link.attributes.get("data-index")) if current_link else None
        numbered = [n for n in (_number(link.attributes.get("data-index")) for link in links) if n is not None]
        if current is not None and numbered:
            return current < max(numbered)
        return True
    current = _number(_text_of(root.css_first("span.curNum")))
    total = _number(_text_of(root.css_first("span.totalNum")))
    if current is None or total is None:
        return None
    return current < total


def split_title_location(text: str) -> tuple[str, str | None, str | None]:
    """Split a NEW card title `职位名[城市·区]` into (title, city, district).

    The location is the LAST bracket group ending the text, so a title that itself holds
    brackets (`[急招]Python`) stays whole; without a trailing group the text is all title.
    """
    text = text.strip()
    if text.endswith("]") and "[" in text:
        title, _, location = text[:-1].rpartition("[")
        return (title.strip(), *split_location(location))
    return text, None, None


def split_location(text: str) -> tuple[str | None, str | None]:
    """`北京·海淀区` → ("北京", "海淀区"); `北京` → ("北京", None). The OLD pages may put a business
    zone (`北京·望京`) where the district goes; it is returned as the district."""
    city, _, district = text.strip().partition(LOCATION_SEPARATOR)
    return (city.strip() or None), (district.strip() or None)


def split_experience(text: str) -> tuple[str | None, str | None]:
    """`经验3-5年 / 本科` → ("3-5年", "本科"); missing parts are None."""
    text = text.strip().removeprefix(EXPERIENCE_PREFIX)
    work_year, _, education = text.partition("/")
    return (work_year.strip() or None), (education.strip() or None)


def split_industry(text: str | None) -> tuple[str | None, str | None, str | None]:
    """`行业 / 融资阶段 [/ 规模]` → (industry, finance stage, company size); missing parts are None.

    The parts after the industry are told apart by content (a size counts people, "人"),
    because some pages drop the finance stage or the size.
    """
    parts = [p.strip() for p in _INDUSTRY_SEPARATOR.split(text.strip())] if text else []
    parts = [p for p in parts if p]
    if not parts:
        return None, None, None
    finance_stage = company_size = None
    for part in parts[1:]:
        if _COMPANY_SIZE.search(part):
            company_size = company_size or part
        else:
            finance_stage = finance_stage or part
    return parts[0], finance_stage, company_size


def _text_of(element: LexborNode | None) -> str | None:
    """The element's stripped text; None for a missing element or blank text."""
    if element is None:
        return None
    return visible_text(element).strip() or None


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _span_texts(spans: list[LexborNode]) -> tuple[str, ...]:
    return tuple(text for text in (visible_text(span).strip() for span in spans) if text)


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None
