"""Tests of the offline Lagou replica (`scraper.sandbox`): pages, data oracle, OLD pages, CLI.

Plain urllib against a `ReplicaServer` on 127.0.0.1:0; no browser. The markup assertions pin
what scrapers rely on (lagou-pages.md §4, §9, §13); the data assertions pin the traps the
scraper must survive (repeats, tricky titles, every salary form). Faults: test_sandbox_faults.py.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from sandbox_helpers import NEXT_DATA_CLOSE, NEXT_DATA_OPEN, NEXT_DISABLED, NEXT_ENABLED, cards, fetch, next_data

from scraper.sandbox import ReplicaServer, data
from scraper.sandbox.pages import EMPTY_TEXT, listing_url, render_listing

BIG_CITIES = ("北京", "上海", "广州", "深圳")
LATENCY_SECONDS = 0.3


def test_beijing_page_one_has_15_cards_and_next_data_equal_to_the_oracle(replica: ReplicaServer) -> None:
    page = fetch(replica.base_url, listing_url("北京", "Python", 1))
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert cards(page.text) == 15
    document = next_data(page.text)
    assert list(document) == ["props", "page", "query", "buildId"]
    assert list(document["props"]) == ["pageProps", "tokenData"]
    assert document["query"] == {"kd": "Python", "city": "北京", "pn": "1"}
    content = document["props"]["pageProps"]["initData"]["content"]
    result = content["positionResult"]
    assert list(result) == ["totalCount", "resultSize", "result", "locationInfo"]
    assert (result["totalCount"], result["resultSize"]) == (450, 15)
    assert result["result"] == data.jobs_for("北京", "Python")[0:15]
    assert result["locationInfo"]["city"] == "北京"


def test_page_keeps_the_exact_strings_a_splitting_scraper_cuts_on(replica: ReplicaServer) -> None:
    page = fetch(replica.base_url, listing_url("北京", "Python", 2)).text
    assert page.count(NEXT_DATA_OPEN) == 1
    after_open = page.split(NEXT_DATA_OPEN)[1]
    assert after_open.split(NEXT_DATA_CLOSE)[1].startswith('"/_next/static/chunks/polyfills.js"></script>')
    array = page.split('"result":')[1].split(',"locationInfo"')[0]
    assert json.loads(array) == data.jobs_for("北京", "Python")[15:30]
    # Markup characters in titles are escaped in the JSON, so no text can close the script early.
    assert "<后端>" not in after_open.split(NEXT_DATA_CLOSE)[0]


def test_page_skeleton_puts_cards_and_pager_where_scrapers_look(replica: ReplicaServer) -> None:
    page = fetch(replica.base_url, listing_url("北京", "Python", 1)).text
    root = ET.fromstring(page.removeprefix("<!DOCTYPE html>"))  # noqa: S314 - the replica's own markup
    job_list = root.find(".//div[@id='__next']/div[@id='jobList']")
    assert job_list is not None
    assert [child.get("class") for child in job_list] == ["list__YibNq", "replica-filler", None]
    assert [item.get("class") for item in job_list[0]] == ["item__10RTO"] * 15
    pager = job_list[2].find("ul")
    assert pager is not None
    assert pager.get("class") == "lg-pagination"
    assert [li.get("class") for li in pager] == [
        "lg-pagination-prev lg-pagination-disabled",
        "lg-pagination-item lg-pagination-item-active",
        *["lg-pagination-item"] * 4,
        "lg-pagination-jump-next",
        "lg-pagination-item",  # the last page, read by [S1] as li[last()-1]
        "lg-pagination-next",  # li[9], the one [S1] clicks
    ]
    assert "".join(pager[7].itertext()) == "30"


def test_cards_show_every_job_in_the_server_html_form(replica: ReplicaServer) -> None:
    page = fetch(replica.base_url, listing_url("北京", "Python", 1)).text
    for job in data.jobs_for("北京", "Python")[0:15]:
        esc = html.escape
        assert (
            f"<a>{esc(job['positionName'])}<!-- -->[北京·{job['district']}]</a><span>{job['formatCreateTime']}</span>"
        ) in page
        assert (
            f'<span class="money__3Lkgq">{job["salary"]}</span>经验{job["workYear"]} / {job["education"]}</div>'
        ) in page
        assert (
            f'<div class="industry__1HBkr">{esc(job["industryField"])} / {job["financeStage"]} / '
            f"{job['companySize']}</div>"
        ) in page
        skills = "".join(f"<span>{skill}</span>" for skill in job["skillLables"])
        assert f'<div class="ir___QwEG">{skills}</div><div class="il__3lk85">“{job["positionAdvantage"]}”</div>' in page
        assert f'<img src="/thumbnail_120x120/{job["companyLogo"]}" alt="{esc(job["companyShortName"])}"/>' in page
    assert "<a>Python工程师 &lt;后端&gt; &amp; &quot;数据&quot; &#x27;平台&#x27;<!-- -->[北京·" in page
    # Every fifth card nests the position block twice, like the one real saved card.
    assert page.count('<span style=""><div class="position__21iOS"><div class="p-top__1F7CL">') == 3


def test_last_page_disables_the_next_control(replica: ReplicaServer) -> None:
    last = fetch(replica.base_url, listing_url("北京", "Python", 30)).text
    before_last = fetch(replica.base_url, listing_url("北京", "Python", 29)).text
    assert (cards(last), cards(before_last)) == (15, 15)
    assert (NEXT_DISABLED in last, NEXT_ENABLED in last) == (True, False)
    assert (NEXT_DISABLED in before_last, NEXT_ENABLED in before_last) == (False, True)


@pytest.mark.parametrize(
    ("city", "keyword", "page", "total"),
    [("北京", "Python", 31, 450), ("西安", "Python", 1, 0), ("北京", "xyzzy", 1, 0), ("成都", "Python", 4, 37)],
)
def test_past_the_end_unknown_city_and_no_match_give_the_empty_page(
    replica: ReplicaServer, city: str, keyword: str, page: int, total: int
) -> None:
    answer = fetch(replica.base_url, listing_url(city, keyword, page))
    assert answer.status == 200
    assert cards(answer.text) == 0
    assert f'<div class="replica-empty">{EMPTY_TEXT}</div>' in answer.text
    assert NEXT_DISABLED in answer.text
    result = next_data(answer.text)["props"]["pageProps"]["initData"]["content"]["positionResult"]
    assert (result["totalCount"], result["resultSize"], result["result"]) == (total, 0, [])


def test_chengdu_lists_37_jobs_over_3_pages(replica: ReplicaServer) -> None:
    pages = [fetch(replica.base_url, listing_url("成都", "Python", n)).text for n in (1, 2, 3)]
    assert [cards(page) for page in pages] == [15, 15, 7]
    results = [next_data(page)["props"]["pageProps"]["initData"]["content"]["positionResult"] for page in pages]
    assert [job for result in results for job in result["result"]] == data.jobs_for("成都", "Python")
    assert {result["totalCount"] for result in results} == {37}
    assert [NEXT_DISABLED in page for page in pages] == [False, False, True]


def test_city_sizes_follow_the_page_cap(replica: ReplicaServer) -> None:
    sizes = {city: len(data.jobs_for(city, "Python")) for city in data.CITIES}
    assert sizes == {"北京": 450, "上海": 450, "广州": 450, "深圳": 450, "杭州": 200, "成都": 37}
    last = fetch(replica.base_url, listing_url("杭州", "Python", 14)).text
    assert (cards(last), NEXT_DISABLED in last) == (5, True)


@pytest.mark.parametrize("city", BIG_CITIES)
def test_big_cities_repeat_some_title_salary_pairs_but_fill_100_unique_early(city: str) -> None:
    pairs = [(job["positionName"].strip(), job["salary"]) for job in data.jobs_for(city, "Python")]
    repeats = len(pairs) - len(set(pairs))
    assert 0.05 <= repeats / len(pairs) <= 0.10
    assert len(set(pairs[:15])) < 15  # a repeat within page 1
    assert set(pairs[15:30]) & set(pairs[:15])  # a repeat across pages
    assert len(set(pairs[: 8 * data.PAGE_SIZE])) >= 100


@pytest.mark.parametrize("city", data.CITIES)
def test_first_pages_hold_tricky_titles_and_every_salary_form(city: str) -> None:
    jobs = data.jobs_for(city, "Python")[:30]
    titles = [job["positionName"] for job in jobs]
    assert "Python工程师 <后端> & \"数据\" '平台'" in titles
    assert "  Python开发工程师（外包）  " in titles
    assert "🔥Python工程师🚀（双休）" in titles
    assert max(len(title) for title in titles) >= 300
    forms = {
        r"\d+k-\d+k": "lower",
        r"\d+K-\d+K": "upper",
        r"\d+k以上": "open max",
        r"[23]k以下": "open min",
        r"\d+k-\d+k·14薪": "14 months",
        r"\d+k-\d+k·13薪": "13 months",
    }
    seen = {name for pattern, name in forms.items() for job in jobs if re.fullmatch(pattern, job["salary"])}
    assert seen == set(forms.values())
    assert {job["salaryMonth"] for job in data.jobs_for(city, "Python")} == {"0", "", "13", "14"}


def test_keyword_shapes_the_titles() -> None:
    python_titles = {job["positionName"] for job in data.jobs_for("北京", "Python")}
    assert {"Python开发工程师", "高级Python工程师", "Python数据分析师"} <= python_titles
    java_titles = [job["positionName"] for job in data.jobs_for("上海", "Java")]
    assert all("Java" in title and "Python" not in title for title in java_titles)
    assert {"Java开发工程师", "高级Java工程师"} <= set(java_titles)


def test_recruiter_fields_are_served_for_the_parser_to_drop(replica: ReplicaServer) -> None:
    page = fetch(replica.base_url, listing_url("深圳", "Python", 1)).text
    content = next_data(page)["props"]["pageProps"]["initData"]["content"]
    jobs = content["positionResult"]["result"]
    assert all({"publisherId", "imState", "lastLogin"} <= set(job) for job in jobs)
    assert list(content["hrInfoMap"]) == [str(job["positionId"]) for job in jobs]
    for job in jobs:
        recruiter = content["hrInfoMap"][str(job["positionId"])]
        assert recruiter["userId"] == job["publisherId"]
        assert re.fullmatch(r"1380000\d{4}", recruiter["phone"])
        assert recruiter["receiveEmail"] == f"hr{job['publisherId']}@example.com"
        assert recruiter["realName"].startswith("虚构招聘官")


def test_generation_is_deterministic_across_processes() -> None:
    assert data.jobs_for("北京", "Python") == data.jobs_for("北京", "Python")
    script = (
        "import hashlib; from scraper.sandbox.pages import render_listing; "
        "print(hashlib.sha256(render_listing(city='杭州', keyword='Python', page=2, query={}).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    local = render_listing(city="杭州", keyword="Python", page=2, query={})
    assert digests == {hashlib.sha256(local.encode()).hexdigest() + "\n"}


def test_new_clients_get_a_trace_token_cookie_and_keep_it(replica: ReplicaServer) -> None:
    first = fetch(replica.base_url, listing_url("北京", "Python", 1))
    cookie = first.headers["Set-Cookie"]
    token = re.fullmatch(r"user_trace_token=(\d{14}-[0-9a-f-]{36}); Path=/; Max-Age=2592000", cookie)
    assert token is not None
    again = fetch(replica.base_url, listing_url("北京", "Python", 2), token=token[1])
    assert again.headers["Set-Cookie"] is None
    other = fetch(replica.base_url, listing_url("北京", "Python", 3))
    assert [(r.path, r.city, r.page, r.client_token, r.status) for r in replica.requests] == [
        ("/wn/jobs", "北京", 1, token[1], 200),
        ("/wn/jobs", "北京", 2, token[1], 200),
        ("/wn/jobs", "北京", 3, other.headers["Set-Cookie"].split(";")[0].split("=")[1], 200),
    ]


# --- OLD pages, assets, CLI --------------------------------------------------------------------


def test_old_zhaopin_pages_list_the_same_jobs(replica: ReplicaServer) -> None:
    first = fetch(replica.base_url, "/beijing-zhaopin/Python/").text
    ids = re.findall(r'<li class="con_list_item default_list" data-index="\d+" data-positionid="(\d+)"', first)
    assert ids == [str(job["positionId"]) for job in data.jobs_for("北京", "Python")[:15]]
    assert '<span class="curNum">1</span> / <span class="span totalNum">30</span>' in first
    last = fetch(replica.base_url, "/beijing-zhaopin/Python/30/").text
    assert '<a href="javascript:;" class="page_no pager_next_disabled" data-index="">下一页</a>' in last
    past = fetch(replica.base_url, "/beijing-zhaopin/Python/31/").text
    assert ("暂时没有符合该搜索条件的职位" in past, "con_list_item" in past) == (True, False)
    nationwide = fetch(replica.base_url, "/zhaopin/Python/2/").text
    cities = re.findall(r'<span class="add">\[<em>(..)·', nationwide)
    assert cities == [data.CITIES[(15 + index) % len(data.CITIES)] for index in range(15)]  # interleaved


def test_static_assets_and_unknown_paths(replica: ReplicaServer) -> None:
    logo_url = replica.base_url + "/thumbnail_120x120/i/image/M00/01/02/Cgqx.png"
    with urllib.request.urlopen(logo_url, timeout=10) as logo:  # noqa: S310 - a loopback http URL
        assert (logo.headers["Content-Type"], logo.read()[:8]) == ("image/png", b"\x89PNG\r\n\x1a\n")
    css = fetch(replica.base_url, "/_next/static/css/app.css")
    script = fetch(replica.base_url, "/_next/static/chunks/polyfills.js")
    assert (css.status, css.headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    assert (script.status, script.headers["Content-Type"]) == (200, "application/javascript; charset=utf-8")
    assert fetch(replica.base_url, "/jobs/123.html").status == 404


def test_latency_delays_listing_pages_but_not_assets() -> None:
    with ReplicaServer(latency=LATENCY_SECONDS) as replica:
        page = fetch(replica.base_url, listing_url("北京", "Python", 1))
        css = fetch(replica.base_url, "/_next/static/css/app.css")
    assert (page.seconds >= LATENCY_SECONDS, css.seconds < LATENCY_SECONDS) == (True, True)


def test_replica_refuses_non_loopback_hosts() -> None:
    with pytest.raises(ValueError, match="only listens on loopback"):
        ReplicaServer(host="0.0.0.0")  # noqa: S104 - the address under test is refused, never bound
