"""The replica's job data: deterministic generated Lagou job objects, and the test oracle.

`jobs_for(city, keyword)` is the whole listing the replica serves for one search, page 1 first,
as job dicts with Lagou's own field names (lagou-pages.md §6, including the recruiter † fields
`publisherId`, `imState`, `lastLogin` that the scraper must drop). The pages (`pages.py`,
`old_pages.py`) render slices of it, so tests compare what a scraper read with this oracle.

Everything is a pure function of (city, keyword): `random.Random` is seeded with that pair and
dates count back from the fixed `REFERENCE_NOW`, never from the clock. Each city's list holds
deliberate traps at fixed places on the first pages: repeated (title, salary) pairs within a page
and across pages (`DUPLICATE_SHARE` of the list), titles with markup characters, surrounding
whitespace, emoji or 300+ characters, and every Lagou salary form (§7).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from copy import deepcopy
from functools import lru_cache
from typing import Any

from scraper.sandbox import vocab

Job = dict[str, Any]

CITIES: tuple[str, ...] = ("北京", "上海", "广州", "深圳", "杭州", "成都")
NATIONWIDE = "全国"  # all cities, interleaved; used by the OLD `/zhaopin/{Kw}/` pages
JOB_COUNTS: dict[str, int] = {"北京": 450, "上海": 450, "广州": 450, "深圳": 450, "杭州": 200, "成都": 37}
PAGE_SIZE = 15  # §3.3
MAX_PAGES = 30  # §3.3: totalCount is capped at 450 = 30 × 15
MAX_TOTAL = PAGE_SIZE * MAX_PAGES

# Keywords Lagou would find nothing for. Also: a keyword with no letter, digit or CJK character.
NO_MATCH_KEYWORDS = frozenset({"xyzzy", "不存在的职位"})

DUPLICATE_SHARE = 0.07  # share of a list that repeats an earlier (title, salary) pair
REFERENCE_NOW = dt.datetime(2024, 5, 20, 18, 0, 0)  # "now" for createTime / formatCreateTime
RELATIVE_DATE_DAYS = 30  # older postings show a date instead of "N天前发布"
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
COMPANY_POOL_SIZE = 40
LONG_TITLE_MIN_CHARS = 300
CONTACT_LEAK_SHARE = 0.1  # descriptions with a recruiter's phone / e-mail in free text (§10)
MAX_DRAWS = 1000  # redraws for a unique (title, salary) pair; the space is far larger

# Fixed traps (0-based positions in a city's list; all fit in 成都's 37 jobs).
TRICKY_TITLES: dict[int, str] = {1: "markup", 4: "whitespace", 17: "emoji", 22: "long"}
FORCED_SALARY_FORMS: dict[int, str] = {3: "upper", 6: "open_max", 10: "open_min", 12: "months14", 14: "months13"}
FORCED_DUPLICATES: dict[int, int] = {8: 2, 20: 7}  # position -> earlier position it repeats

SALARY_FORM_WEIGHTS: dict[str, int] = {
    "lower": 80,  # 15k-25k
    "upper": 8,  # 15K-30K
    "open_max": 4,  # 20k以上
    "open_min": 2,  # 2k以下
    "months13": 3,  # 13k-20k·13薪 (assumption: §12.3 says no Lagou sample showed ·N薪)
    "months14": 3,
}
SALARY_MONTH_WEIGHTS: dict[str, int] = {"0": 70, "": 12, "13": 10, "14": 8}  # format unconfirmed (§12.2)


def has_matches(keyword: str) -> bool:
    """Whether a search for `keyword` finds any job (an empty keyword means all jobs)."""
    key = keyword.strip().casefold()
    return key not in NO_MATCH_KEYWORDS and (key == "" or any(ch.isalnum() for ch in key))


def jobs_for(city: str, keyword: str) -> list[Job]:
    """All job objects the replica lists for a search, in listing order (page 1 first).

    Returns a fresh copy; an empty list for an unknown city or a keyword with no match.
    `NATIONWIDE` (全国) interleaves the cities, capped at `MAX_TOTAL`.
    """
    return deepcopy(list(_listing(city, keyword.strip())))


def first_unique(city: str, keyword: str, limit: int) -> list[tuple[str, str, str]]:
    """The oracle for tests and benchmarks: the first `limit` unique (city, title, salary) keys a
    correct scraper stores for the search, in listing order (titles stripped, salaries as shown)."""
    keys: dict[tuple[str, str, str], None] = {}
    for job in _listing(city, keyword.strip()):
        if len(keys) == limit:
            break
        keys.setdefault((city, job["positionName"].strip(), job["salary"]), None)
    return list(keys)


def jobs_on_page(city: str, keyword: str, page: int) -> tuple[Job, ...]:
    """The jobs of listing page `page` (1-based); empty past the last page. Shared: do not mutate."""
    if page < 1 or page > MAX_PAGES:
        return ()
    start = (page - 1) * PAGE_SIZE
    return _listing(city, keyword.strip())[start : start + PAGE_SIZE]


def total_count(city: str, keyword: str) -> int:
    """`positionResult.totalCount` for a search (≤ `MAX_TOTAL`)."""
    return len(_listing(city, keyword.strip()))


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


@lru_cache(maxsize=64)
def _listing(city: str, keyword: str) -> tuple[Job, ...]:
    if not has_matches(keyword):
        return ()
    if city == NATIONWIDE:
        per_city = [_listing(name, keyword) for name in CITIES]
        merged = [lists[i] for i in range(max(map(len, per_city))) for lists in per_city if i < len(lists)]
        return tuple(merged[:MAX_TOTAL])
    if city not in JOB_COUNTS:
        return ()
    return tuple(_generate(city, keyword))


def _generate(city: str, keyword: str) -> list[Job]:
    rng = random.Random(f"{city}|{keyword.casefold()}")
    count = JOB_COUNTS[city]
    companies = [_company(rng, city, index) for index in range(COMPANY_POOL_SIZE)]
    repeats = _plan_duplicates(rng, count)
    position_ids = sorted(rng.sample(range(8_000_000, 12_000_000), count), reverse=True)
    seen: set[tuple[str, str]] = set()
    jobs: list[Job] = []
    age = dt.timedelta()
    for index in range(count):
        if index in repeats:
            source = jobs[repeats[index]]
            title, salary, months = source["positionName"], source["salary"], source["salaryMonth"]
        else:
            title, salary, months = _unique_title_salary(rng, city, keyword, index, seen)
        seen.add((title.strip(), salary))
        age += dt.timedelta(minutes=rng.randint(5, 240))
        job = _job(
            rng,
            city=city,
            keyword=keyword,
            company=rng.choice(companies),
            position_id=position_ids[index],
            created=REFERENCE_NOW - age,
        )
        job.update(positionName=title, salary=salary, salaryMonth=months)
        jobs.append(_ordered(job))
    return jobs


def _plan_duplicates(rng: random.Random, count: int) -> dict[int, int]:
    """Positions that repeat an earlier original pair, half within the same page."""
    repeats = {pos: src for pos, src in FORCED_DUPLICATES.items() if pos < count}
    reserved = set(TRICKY_TITLES) | set(FORCED_SALARY_FORMS) | set(repeats) | set(repeats.values())
    wanted = max(len(repeats), round(count * DUPLICATE_SHARE)) - len(repeats)
    eligible = [pos for pos in range(1, count) if pos not in reserved]
    for pos in sorted(rng.sample(eligible, wanted)):
        originals = [i for i in range(pos) if i not in repeats]
        same_page = [i for i in originals if i // PAGE_SIZE == pos // PAGE_SIZE]
        earlier = [i for i in originals if i // PAGE_SIZE < pos // PAGE_SIZE]
        pool = same_page if same_page and (not earlier or rng.random() < 0.5) else earlier
        repeats[pos] = rng.choice(pool)
    return repeats


def _unique_title_salary(
    rng: random.Random, city: str, keyword: str, index: int, seen: set[tuple[str, str]]
) -> tuple[str, str, str]:
    for _ in range(MAX_DRAWS):
        title = _title(rng, keyword, TRICKY_TITLES.get(index))
        salary, months = _salary(rng, city, FORCED_SALARY_FORMS.get(index))
        if (title.strip(), salary) not in seen:
            return title, salary, months
    raise RuntimeError(f"no unique (title, salary) for {city}/{keyword} #{index}")  # pragma: no cover


def _title(rng: random.Random, keyword: str, trap: str | None) -> str:
    word = keyword or rng.choice(vocab.ALL_JOB_KEYWORDS)
    if trap == "markup":
        return f"{word}工程师 <后端> & \"数据\" '平台'"
    if trap == "whitespace":
        return f"  {word}开发工程师（外包）  "
    if trap == "emoji":
        return f"🔥{word}工程师🚀（双休）"
    if trap == "long":
        duties: list[str] = []
        while len(f"{word}高级开发工程师（{'，'.join(duties)}）") < LONG_TITLE_MIN_CHARS:
            duties.append(rng.choice(vocab.LONG_TITLE_DUTIES))
        return f"{word}高级开发工程师（{'，'.join(duties)}）"
    if word.casefold() == "python":
        base = rng.choice(vocab.PYTHON_TITLES)
    else:
        base = rng.choice(vocab.GENERIC_TITLES).format(kw=word)
    return base + rng.choice(vocab.TITLE_SUFFIXES)


def _salary(rng: random.Random, city: str, form: str | None) -> tuple[str, str]:
    """(salary text, salaryMonth) in one of Lagou's forms (§7)."""
    form = form or rng.choices(list(SALARY_FORM_WEIGHTS), weights=list(SALARY_FORM_WEIGHTS.values()))[0]
    low = max(3, round(rng.triangular(5, 45, 14) * vocab.CITY_PAY_FACTORS[city]))
    high = low + min(low, rng.choice((2, 3, 5, 5, 7, 10, 10, 15, 20)))  # Lagou caps max at 2 × min
    months = rng.choices(list(SALARY_MONTH_WEIGHTS), weights=list(SALARY_MONTH_WEIGHTS.values()))[0]
    if form == "upper":
        return f"{low}K-{high}K", months
    if form == "open_max":
        return f"{low}k以上", months
    if form == "open_min":
        return f"{rng.choice((2, 3))}k以下", months
    if form in ("months13", "months14"):
        paid = form.removeprefix("months")
        return f"{low}k-{high}k·{paid}薪", paid
    return f"{low}k-{high}k", months


def _company(rng: random.Random, city: str, index: int) -> Job:
    # Company 0 carries markup characters in its name, to test escaping outside the title.
    short = "比特&字节" if index == 0 else rng.choice(vocab.COMPANY_PREFIXES) + rng.choice(vocab.COMPANY_DOMAINS)
    return {
        "companyId": rng.randrange(10_000, 900_000),
        "companyFullName": f"{city}{short}科技有限公司",
        "companyShortName": short,
        "companyLogo": f"i/image/M00/{rng.randrange(256):02X}/{rng.randrange(256):02X}/Cgq{_token(rng, 16)}.png",
        "companySize": rng.choice(vocab.COMPANY_SIZES),
        "industryField": rng.choice(vocab.INDUSTRIES),
        "financeStage": rng.choice(vocab.FINANCE_STAGES),
        "companyLabelList": rng.sample(vocab.COMPANY_LABELS, 4),
    }


def _job(rng: random.Random, *, city: str, keyword: str, company: Job, position_id: int, created: dt.datetime) -> Job:
    district = rng.choice(sorted(vocab.DISTRICTS[city]))
    zones = vocab.DISTRICTS[city][district]
    lon, lat = vocab.CITY_CENTRES[city]
    pool = vocab.SKILLS_BY_KEYWORD.get(keyword.casefold(), vocab.SKILLS_BY_KEYWORD[""])
    skills = ([keyword] if keyword and keyword.casefold() != "python" else []) + rng.sample(pool, 3)
    work_year, second_type = rng.choice(vocab.WORK_YEARS), rng.choice(vocab.SECOND_TYPES)
    detail = f"<p>岗位职责：</p><p>1. 负责{second_type}相关工作；</p><p>任职要求：</p><p>1. 经验{work_year}；</p>"
    publisher_id = rng.randrange(1_000_000, 20_000_000)
    if rng.random() < CONTACT_LEAK_SHARE:
        detail += f"<p>简历请发 hr{publisher_id}@example.com，电话 1380013{publisher_id % 10000:04d}</p>"
    return {
        **deepcopy(company),
        "firstType": "开发|测试|运维类",
        "secondType": second_type,
        "thirdType": keyword or "综合",
        "skillLables": skills,
        "positionLables": list(skills),
        "industryLables": [],
        "createTime": created.strftime("%Y-%m-%d %H:%M:%S"),
        "formatCreateTime": _format_create_time(created),
        "city": city,
        "district": district,
        "businessZones": rng.sample(zones, min(len(zones), rng.randint(1, 2))),
        "positionAddress": f"{city}市{district}示例路{rng.randint(1, 999)}号",
        "longitude": f"{lon + rng.uniform(-0.2, 0.2):.6f}",
        "latitude": f"{lat + rng.uniform(-0.2, 0.2):.6f}",
        "workYear": work_year,
        "education": rng.choice(vocab.EDUCATIONS),
        "jobNature": rng.choice(vocab.JOB_NATURES),
        "positionAdvantage": rng.choice(vocab.ADVANTAGES),
        "positionDetail": detail,
        "encryptId": _token(rng, 24),
        "positionId": position_id,
        "publisherId": publisher_id,
        "imState": rng.choice(("today", "threeDays", "sevenDays", "disabled")),
        "lastLogin": int(created.replace(tzinfo=CHINA_TZ).timestamp() * 1000) + rng.randrange(86_400_000),
    }


def _ordered(job: Job) -> Job:
    return {key: job[key] for key in vocab.JOB_KEYS}


def _format_create_time(created: dt.datetime) -> str:
    days = (REFERENCE_NOW.date() - created.date()).days
    if days == 0:
        return f"{created:%H:%M}发布"
    if days <= RELATIVE_DATE_DAYS:
        return f"{days}天前发布"
    return created.strftime("%Y-%m-%d")


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))
