"""How the replica invents one city's job list: deterministic, Lagou-shaped, with traps at fixed places.

`generate(city, keyword, count, ...)` is a pure function of its arguments (a `random.Random`
seeded with them; dates count back from `REFERENCE_NOW`). See `scraper.sandbox.data` for the
public view of the list and `scraper.sandbox.days` for how it changes from day to day.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from copy import deepcopy
from typing import Any

from scraper.sandbox import vocab

Job = dict[str, Any]
PAGE_SIZE = 15  # §3.3

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


def generate(city: str, keyword: str, count: int) -> list[Job]:
    """The replica's day-0 list for a search: `count` jobs, newest first, traps included."""
    rng = random.Random(f"{city}|{keyword.casefold()}")
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
            now=REFERENCE_NOW,
        )
        job.update(positionName=title, salary=salary, salaryMonth=months)
        jobs.append(_ordered(job))
    return jobs


def generate_new(
    city: str, keyword: str, *, day: int, count: int, taken: set[tuple[str, str]], pay: float
) -> list[Job]:
    """`count` postings first listed on `day` (≥ 1), newest first, with salaries scaled by `pay`.

    Their (title, salary) pairs are new: none is in `taken` (every pair listed on an earlier
    day), so a scraper sees each of them as a new posting. Their position ids count up from
    the day-0 range, so ids never collide either.
    """
    rng = random.Random(f"{city}|{keyword.casefold()}|day{day}")
    companies = [_company(rng, city, index) for index in range(COMPANY_POOL_SIZE)]
    now = REFERENCE_NOW + dt.timedelta(days=day)
    jobs: list[Job] = []
    age = dt.timedelta()
    for index in range(count):
        for _ in range(MAX_DRAWS):
            title = _title(rng, keyword, None)
            salary, months = _salary(rng, city, None, pay=pay)
            if (title.strip(), salary) not in taken:
                break
        else:  # pragma: no cover - the space of pairs is far larger than any list
            raise RuntimeError(f"no new (title, salary) for {city}/{keyword} on day {day}")
        taken.add((title.strip(), salary))
        age += dt.timedelta(minutes=rng.randint(5, 60))
        job = _job(
            rng,
            city=city,
            keyword=keyword,
            company=rng.choice(companies),
            position_id=12_000_000 + day * 10_000 + count - index,
            created=now - age,
            now=now,
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


def _salary(rng: random.Random, city: str, form: str | None, *, pay: float = 1.0) -> tuple[str, str]:
    """(salary text, salaryMonth) in one of Lagou's forms (§7); `pay` scales the level."""
    form = form or rng.choices(list(SALARY_FORM_WEIGHTS), weights=list(SALARY_FORM_WEIGHTS.values()))[0]
    low = max(3, round(rng.triangular(5, 45, 14) * vocab.CITY_PAY_FACTORS[city] * pay))
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


def _job(
    rng: random.Random,
    *,
    city: str,
    keyword: str,
    company: Job,
    position_id: int,
    created: dt.datetime,
    now: dt.datetime,
) -> Job:
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
        "formatCreateTime": _format_create_time(created, now),
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


def _format_create_time(created: dt.datetime, now: dt.datetime) -> str:
    days = (now.date() - created.date()).days
    if days == 0:
        return f"{created:%H:%M}发布"
    if days <= RELATIVE_DATE_DAYS:
        return f"{days}天前发布"
    return created.strftime("%Y-%m-%d")


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))
