"""The replica's job data: deterministic generated Lagou job objects, and the test oracle.

`jobs_for(city, keyword)` is the whole listing the replica serves for one search, page 1 first,
as job dicts with Lagou's own field names (lagou-pages.md §6, including the recruiter † fields
`publisherId`, `imState`, `lastLogin` that the scraper must drop). The pages (`pages.py`,
`old_pages.py`) render slices of it, so tests compare what a scraper read with this oracle.

Everything is a pure function of (city, keyword, day): `scraper.sandbox.generate` seeds
`random.Random` with them and counts dates from a fixed `REFERENCE_NOW`, never from the clock.
Each city's list holds deliberate traps at fixed places on the first pages: repeated (title,
salary) pairs within a page and across pages, titles with markup characters, surrounding
whitespace, emoji or 300+ characters, and every Lagou salary form (§7). `day` 0 (the default)
is the replica as it always was; a later day changes it as `scraper.sandbox.days` describes, and
`changes(city, keyword, day)` tells what changed, for tests that check new and gone postings.
"""

from __future__ import annotations

import math
import threading
from copy import deepcopy
from functools import lru_cache
from typing import Any

from scraper.sandbox import generate
from scraper.sandbox.days import DayListing, check_day, next_day

Job = generate.Job

CITIES: tuple[str, ...] = ("北京", "上海", "广州", "深圳", "杭州", "成都")
NATIONWIDE = "全国"  # all cities, interleaved; used by the OLD `/zhaopin/{Kw}/` pages
JOB_COUNTS: dict[str, int] = {"北京": 450, "上海": 450, "广州": 450, "深圳": 450, "杭州": 200, "成都": 37}
PAGE_SIZE = 15  # §3.3
MAX_PAGES = 30  # §3.3: totalCount is capped at 450 = 30 × 15
MAX_TOTAL = PAGE_SIZE * MAX_PAGES

# Keywords Lagou would find nothing for. Also: a keyword with no letter, digit or CJK character.
NO_MATCH_KEYWORDS = frozenset({"xyzzy", "不存在的职位"})


def has_matches(keyword: str) -> bool:
    """Whether a search for `keyword` finds any job (an empty keyword means all jobs)."""
    key = keyword.strip().casefold()
    return key not in NO_MATCH_KEYWORDS and (key == "" or any(ch.isalnum() for ch in key))


def jobs_for(city: str, keyword: str, day: int = 0) -> list[Job]:
    """All job objects the replica lists for a search, in listing order (page 1 first).

    Returns a fresh copy; an empty list for an unknown city or a keyword with no match.
    `NATIONWIDE` (全国) interleaves the cities, capped at `MAX_TOTAL`.
    """
    return deepcopy(list(_listing(city, keyword.strip(), day)))


def first_unique(city: str, keyword: str, limit: int, day: int = 0) -> list[tuple[str, str, str]]:
    """The oracle for tests and benchmarks: the first `limit` unique (city, title, salary) keys a
    correct scraper stores for the search, in listing order (titles stripped, salaries as shown)."""
    keys: dict[tuple[str, str, str], None] = {}
    for job in _listing(city, keyword.strip(), day):
        if len(keys) == limit:
            break
        keys.setdefault((city, job["positionName"].strip(), job["salary"]), None)
    return list(keys)


def jobs_on_page(city: str, keyword: str, page: int, day: int = 0) -> tuple[Job, ...]:
    """The jobs of listing page `page` (1-based); empty past the last page. Shared: do not mutate."""
    if page < 1 or page > MAX_PAGES:
        return ()
    start = (page - 1) * PAGE_SIZE
    return _listing(city, keyword.strip(), day)[start : start + PAGE_SIZE]


def total_count(city: str, keyword: str, day: int = 0) -> int:
    """`positionResult.totalCount` for a search (≤ `MAX_TOTAL`)."""
    return len(_listing(city, keyword.strip(), day))


def changes(city: str, keyword: str, day: int) -> tuple[list[Job], list[Job]]:
    """(postings added, postings taken down) on `day` (≥ 1) against the day before, for one city."""
    if day < 1 or city not in JOB_COUNTS or not has_matches(keyword):
        return [], []
    listing = _day(city, keyword.strip(), day)
    return deepcopy(list(listing.added)), deepcopy(list(listing.removed))


def page_count(total: int) -> int:
    """How many listing pages `total` jobs fill, at most `MAX_PAGES`."""
    return min(MAX_PAGES, math.ceil(total / PAGE_SIZE))


def hr_info_map(jobs: tuple[Job, ...] | list[Job]) -> dict[str, dict[str, Any]]:
    """A fake `content.hrInfoMap` for `jobs` (§5.4, keyed by positionId as a string).

    Every value is invented and marks recruiter data the scraper must never collect (§10).
    """
    return {
        str(job["positionId"]): {
            "userId": job["publisherId"],
            "phone": f"1380000{job['publisherId'] % 10000:04d}",
            "positionName": "HRBP",
            "receiveEmail": f"hr{job['publisherId']}@example.com",
            "realName": f"虚构招聘官{job['publisherId'] % 1000:03d}",
            "portrait": None,
            "userLevel": "G1",
            "canTalk": True,
        }
        for job in jobs
    }


@lru_cache(maxsize=256)
def _listing(city: str, keyword: str, day: int = 0) -> tuple[Job, ...]:
    check_day(day)
    if not has_matches(keyword):
        return ()
    if city == NATIONWIDE:
        per_city = [_listing(name, keyword, day) for name in CITIES]
        merged = [lists[i] for i in range(max(map(len, per_city))) for lists in per_city if i < len(lists)]
        return tuple(merged[:MAX_TOTAL])
    if city not in JOB_COUNTS:
        return ()
    return _day(city, keyword, day).jobs


_DAYS: dict[tuple[str, str], list[DayListing]] = {}  # (city, keyword) -> its days so far, day 0 first
_DAYS_LOCK = threading.Lock()  # the replica serves from several threads


def _day(city: str, keyword: str, day: int) -> DayListing:
    with _DAYS_LOCK:
        days = _DAYS.setdefault((city, keyword), [])
        if not days:
            jobs = tuple(generate.generate(city, keyword, JOB_COUNTS[city]))
            pairs = frozenset((job["positionName"].strip(), job["salary"]) for job in jobs)
            days.append(DayListing(jobs=jobs, added=(), removed=(), pairs_ever=pairs))
        while len(days) <= day:
            days.append(
                next_day(days[-1], city=city, keyword=keyword, day=len(days), size=JOB_COUNTS[city], cap=MAX_TOTAL)
            )
        return days[day]
