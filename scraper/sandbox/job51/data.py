"""The 51job replica's data: deterministic `search-pc` items per search, and the test oracle.

`items_for(city, keyword)` is the whole result list the replica's data call pages through (20 a
page), as item dicts with 51job's own keys (reference 51job-pages.md §4.4, §12.5), recruiter,
viewer and tracking fields included, filled with placeholder values the tests look for in the
database (they must never get there). `first_unique(city, keyword, limit)` is what a correct
scraper stores: the first `limit` unique (city, title, salary) keys in listing order, within the
50-page cap. Traps at fixed places: repeated (title, salary) pairs within and across pages, a
promoted card repeated on page 2 with its job id, an area in another city, every salary form of
§7.2 with §12.7's rough weights (the rarer ones are the replica's assumption for W1).
Everything is a pure function of (city, keyword): a seeded `random.Random`, a fixed clock.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from copy import deepcopy
from functools import lru_cache
from typing import Any

from scraper.sandbox import vocab

Item = dict[str, Any]

PAGE_SIZE = 20
MAX_PAGES = 50
CITY_CODES: dict[str, str] = {
    "北京": "010000", "上海": "020000", "广州": "030200", "深圳": "040000", "杭州": "080200", "成都": "090200",
}  # fmt: skip
# 北京 exceeds the cap (50 pages, 1000 items); 广州 is 3 pages, the last with 7; 杭州 finds nothing.
TOTALS: dict[str, int] = {"北京": 1337, "上海": 437, "广州": 47, "深圳": 233, "杭州": 0, "成都": 120}
NO_MATCH_KEYWORDS = frozenset({"xyzzy", "不存在的职位"})
REFERENCE_NOW = dt.datetime(2026, 9, 18, 18, 0, 0)
FIRST_JOB_ID = 173700001

TITLES = (
    "Python开发工程师", "Python后端开发", "数据分析师（Python）", "爬虫工程师", "算法工程师", "自动化测试工程师",
    "Django开发工程师", "运维开发工程师(Python)", "AI应用开发工程师", "大数据开发工程师", "量化研究员",
    "机器学习工程师",
)  # fmt: skip
LEVELS = ("", "初级", "中级", "高级", "资深")
SALARY_FORMS = {"qian": 30, "qian_wan": 15, "wan": 35, "months": 12, "year": 3, "day": 2, "negotiable": 2, "empty": 1}
EXPERIENCE = ("无需经验", "1年经验", "2年及以上", "3-4年经验", "3年及以上", "5-7年经验", "5年及以上", "在校生/应届生")
EDUCATION = ("本科", "本科", "本科", "大专", "硕士", "博士", "中技/中专", "")
COMPANY_TYPES = ("民营", "国企", "上市公司", "合资", "外资（欧美）")
COMPANY_SIZES = ("少于50人", "50-150人", "150-500人", "500-1000人", "1000-5000人", "5000-10000人", "10000人以上")
INDUSTRIES = ("计算机软件", "互联网/电子商务", "其他专业服务丨财务/审计/税务", "金融/投资/证券", "电子技术/半导体")
# Fixed traps (0-based positions): (title, salary) repeats, the promoted repeat, an item elsewhere.
REPEATS: dict[int, int] = {8: 2, 27: 21}
PROMOTED_REPEAT = (25, 3)  # position 25 (page 2) repeats position 3 (page 1) whole: same jobId, promoted
OTHER_CITY_POSITION = 12
OTHER_CITY_AREA = "苏州·工业园区"


def has_matches(keyword: str) -> bool:
    """Whether a search for `keyword` finds anything."""
    return keyword.strip().casefold() not in NO_MATCH_KEYWORDS


def items_for(city: str, keyword: str) -> list[Item]:
    """Every item the search lists, in order (a fresh copy; empty for an unknown city or no match)."""
    return deepcopy(list(_items(city, keyword.strip())))


def last_page(total: int) -> int:
    """The pager's last page for `total` results: ceil(total / 20), at most 50 (0 for none)."""
    return min(MAX_PAGES, math.ceil(total / PAGE_SIZE))


def first_unique(city: str, keyword: str, limit: int) -> list[tuple[str, str, str]]:
    """The oracle: the first `limit` unique (city, title, salary) keys a correct scraper stores."""
    keys: dict[tuple[str, str, str], None] = {}
    for item in _items(city, keyword.strip())[: MAX_PAGES * PAGE_SIZE]:
        if len(keys) >= limit:
            break
        keys.setdefault((city, item["jobName"].strip(), item["provideSalaryString"]), None)
    return list(keys)


@lru_cache(maxsize=64)
def _items(city: str, keyword: str) -> tuple[Item, ...]:
    if city not in CITY_CODES or not has_matches(keyword):
        return ()
    rng = random.Random(f"51job|{city}|{keyword.casefold()}")
    city_index = list(CITY_CODES).index(city)
    items: list[Item] = []
    for position in range(TOTALS[city]):
        item = _item(rng, city, keyword, job_id=FIRST_JOB_ID + city_index * 100_000 + position, position=position)
        if position in REPEATS and REPEATS[position] < len(items):
            earlier = items[REPEATS[position]]
            item["jobName"], item["provideSalaryString"] = earlier["jobName"], earlier["provideSalaryString"]
        if position == PROMOTED_REPEAT[0] and len(items) > PROMOTED_REPEAT[1]:
            item = {**deepcopy(items[PROMOTED_REPEAT[1]]), "isPromotion": True, "isAd": True, "adId": "ad-replica-1"}
        if position == OTHER_CITY_POSITION:
            item["jobAreaString"] = OTHER_CITY_AREA
        items.append(item)
    return tuple(items)


def _item(rng: random.Random, city: str, keyword: str, *, job_id: int, position: int) -> Item:
    district = rng.choice(list(vocab.DISTRICTS.get(city, {"": ()})) or [""])
    salary, low, high = _salary(rng)
    company = rng.randrange(40)
    issued = (REFERENCE_NOW - dt.timedelta(minutes=37 * position + rng.randrange(30))).strftime("%Y-%m-%d %H:%M:%S")
    title = f"{rng.choice(LEVELS)}{rng.choice(TITLES)}"
    return {
        "jobId": str(job_id), "jobType": "0", "jobName": title, "jobTags": [keyword, rng.choice(EXPERIENCE)],
        "jobNumString": f"招{rng.randint(1, 5)}人", "jobAreaString": f"{city}·{district}" if district else city,
        "jobAreaLevelDetail": {"cityString": city, "districtString": district},
        "provideSalaryString": salary, "jobSalaryMin": low, "jobSalaryMax": high,
        "issueDateString": issued, "workYearString": rng.choice(EXPERIENCE), "degreeString": rng.choice(EDUCATION),
        "coId": str(2_000_000 + company), "companyName": f"示例{city}科技{company}",
        "fullCompanyName": f"示例{city}科技{company}有限公司", "companyTypeString": COMPANY_TYPES[company % 5],
        "companySizeString": COMPANY_SIZES[company % 7], "industryType1Str": INDUSTRIES[company % 5],
        "termStr": "全职", "isPromotion": False, "isAd": False, "adId": "", "funcType": "0107",
        # † Never stored: the recruiter, the viewer's state, tracking, coordinates, the description.
        "hrUid": f"HRUID{job_id}", "hrName": f"招聘者甲{position}", "hrPosition": "招聘专员HRPOS",
        "smallHrLogoUrl": "/static/avatar-placeholder.png", "hrActiveStatusGreen": "刚刚活跃HRACT",
        "hrIsOnline": True, "isOnline": True, "hrLabels": ["回复快HRLABEL"], "onlineHrLabelList": ["在线"],
        "hrMedalTitle": "示例勋章HRMEDAL", "hrMedalLevel": "1", "hasHrMobile": True, "contactTime": "09:00-18:00",
        "isApply": False, "isCommunicate": False, "property": '{"pageCode":"sou|sou|soulb"}', "exrInfo02": "{}",
        "retrieverName": "replica", "lon": f"121.{job_id % 1000:03d}7717", "lat": f"31.{job_id % 1000:03d}2297",
        "jobDescribe": "岗位职责：Python开发。联系电话 13800000000，微信 wx_replica_hr",
        "jobHref": f"/shanghai-pdxq/{job_id}.html?req=replica-token",
    }  # fmt: skip


def _salary(rng: random.Random) -> tuple[str, str, str]:  # noqa: PLR0911 (one return per salary form)
    """(text, jobSalaryMin, jobSalaryMax): the numbers only for monthly texts (§12.7)."""
    form = rng.choices(list(SALARY_FORMS), weights=list(SALARY_FORMS.values()))[0]
    if form == "qian":
        thousands = rng.randint(4, 8)
        top = thousands + rng.randint(1, 2)
        return f"{thousands}-{top}千", str(thousands * 1000), str(top * 1000)
    if form == "qian_wan":
        low_k, high_w = rng.choice((6, 7, 7.5, 8, 9)), rng.choice((1, 1.2, 1.5, 1.8))
        return f"{_num(low_k)}千-{_num(high_w)}万", str(round(low_k * 1000)), str(round(high_w * 10000))
    if form in ("wan", "months"):
        low_w = rng.choice((1, 1.2, 1.5, 2, 2.5, 3))
        high = low_w + rng.choice((0.5, 0.8, 1))
        text = f"{_num(low_w)}-{_num(high)}万"
        if form == "months":
            return f"{text}·{rng.randint(13, 16)}薪", "", ""
        return text, str(round(low_w * 10000)), str(round(high * 10000))
    if form == "year":
        yearly = rng.choice((15, 20, 25, 30))
        return f"{yearly}-{yearly + rng.choice((5, 10, 13))}万/年", "", ""
    if form == "day":
        daily = rng.choice((150, 200, 250))
        return (f"{daily}元/天" if rng.random() < 0.5 else f"{daily}-{daily + 100}元/天"), "", ""
    return ("面议" if form == "negotiable" else ""), "", ""


def _num(value: float) -> str:
    return f"{value:g}"
