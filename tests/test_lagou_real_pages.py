"""LagouSite.parse_listing over the real saved Lagou pages of the shared reference folder (`reference_pages`).

The pages are read in place (never copied into the project); each test is skipped when its page
is absent. Expected values were read off the pages by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scraper.model.postings import ListingPage, Posting
from scraper.model.salary import parse_salary
from scraper.sites.lagou.adapter import LagouSite

ZHAOPIN_URL = "https://www.lagou.com/zhaopin/Java/2/"
ITEMS_URL = "https://www.lagou.com/jobs/list_Java?city=%E5%8C%97%E4%BA%AC"
CARD_URL = "https://www.lagou.com/wn/jobs?kd=C%2B%2B&city=%E5%8C%97%E4%BA%AC"
_HRID = re.compile(r'data-hrid="(\d+)"')

# (title, salary) of the 15 items on /zhaopin/Java/2/, in page order.
ZHAOPIN_TITLES_AND_SALARIES = [
    ("Java", "30k-50k"), ("java", "18k-36k"), ("JAVA研发工程师", "30k-60k"), ("Java工程师", "15k-30k"),
    ("Java", "15k-25k"), ("JAVA开发", "9k-18k"), ("高级Java工程师", "20k-40k"), ("JAVA工程师", "12k-20k"),
    ("Java", "15k-23k"), ("Java开发", "15k-30k"), ("Java", "15k-20k"), ("Java开发工程师", "15K-30K"),
    ("Java开发工程师", "20k-35k"), ("java开发工程师", "20k-40k"), ("Java工程师", "18k-35k"),
]  # fmt: skip


@pytest.fixture
def read_real_page(reference_pages: Path) -> Callable[[str], str]:
    """Reads a real page by name; skips the test when that page is absent."""

    def read(name: str) -> str:
        path = reference_pages / name
        if not path.is_file():
            pytest.skip(f"real page {path} is not available")
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def site() -> LagouSite:
    return LagouSite()


def test_old_seo_page_yields_its_fifteen_items(site: LagouSite, read_real_page: Callable[[str], str]) -> None:
    page = site.parse_listing(read_real_page("lagou-old-zhaopin-java-p2.html"), url=ZHAOPIN_URL)

    assert (page.has_next, page.is_empty, page.layout, page.total_count) == (True, False, "old", None)
    assert [(p.title, p.salary) for p in page.postings] == [
        (title, parse_salary(salary)) for title, salary in ZHAOPIN_TITLES_AND_SALARIES
    ]
    assert page.postings[:3] == (
        Posting(
            city="杭州", title="Java", salary=parse_salary("30k-50k"), company="蚂蚁金服集团",
            district="古荡", work_year="3-5年", education="本科", finance_stage="B轮",
            industry="金融,移动互联网", skills=("大数据", "后台", "核心团队", "分布式", "架构"),
            position_id="3729211", source_url=ZHAOPIN_URL,
        ),
        Posting(
            city="北京", title="java", salary=parse_salary("18k-36k"), company="拉勾网",
            district="苏州街", work_year="5-10年", education="本科", finance_stage="D轮及以上",
            industry="企业服务,招聘", skills=("电商", "资深", "高级", "系统架构"),
            position_id="4507083", source_url=ZHAOPIN_URL,
        ),
        Posting(
            city="北京", title="JAVA研发工程师", salary=parse_salary("30k-60k"), company="人人行(借贷宝)",
            district="北苑", work_year="不限", education="本科", finance_stage="C轮",
            industry="移动互联网,金融", skills=("总监", "资深", "高级", "中级", "架构师", "软件开发"),
            position_id="4000450", source_url=ZHAOPIN_URL,
        ),
    )  # fmt: skip


def test_old_seo_page_on_its_last_pager_link_has_no_next(site: LagouSite, read_real_page: Callable[[str], str]) -> None:
    html = read_real_page("lagou-old-zhaopin-java-p2.html")
    # Make page 30 the current one: the "下一页" link stays, but no page lies beyond it.
    html = html.replace('class="page_no pager_is_current" data-index="2"', 'class="page_no" data-index="2"')
    html = html.replace('class="page_no" data-index="30"', 'class="page_no pager_is_current" data-index="30"')

    assert site.parse_listing(html, url=ZHAOPIN_URL).has_next is False


def test_old_items_fragment_yields_three_full_postings(site: LagouSite, read_real_page: Callable[[str], str]) -> None:
    page = site.parse_listing(read_real_page("lagou-old-items.html"), url=ITEMS_URL)

    assert page == ListingPage(
        (
            Posting(
                city="北京", title="Java工程师", salary=parse_salary("20k-25k"), company="人人行(借贷宝)",
                district="朝阳区", work_year="3-5年", education="不限", finance_stage="C轮",
                industry="移动互联网,金融", skills=("年底双薪", "节日礼物", "绩效奖金", "岗位晋升"),
                position_id="4383913", source_url=ITEMS_URL,
            ),
            Posting(
                city="北京", title="java开发工程师", salary=parse_salary("15k-25k"), company="拉勾网",
                district="海淀区", work_year="3-5年", education="本科", finance_stage="D轮及以上",
                industry="企业服务,招聘", skills=("分布式", "架构"), position_id="4477797",
                source_url=ITEMS_URL,
            ),
            Posting(
                city="北京", title="实习JAVA/PHP开发", salary=parse_salary("4k-8k"), company="小肚皮App",
                district="大望路", work_year="应届毕业生", education="本科", finance_stage="A轮",
                industry="移动互联网", skills=("游戏", "后端开发"), position_id="3155873",
                source_url=ITEMS_URL,
            ),
        ),
        None,  # a fragment of items has no pager
        False,
        "old",
        None,
    )  # fmt: skip


def test_bare_new_card_top_half_still_yields_its_posting(site: LagouSite, read_real_page: Callable[[str], str]) -> None:
    page = site.parse_listing(read_real_page("lagou-new-item-top.html"), url=CARD_URL)

    assert page == ListingPage(
        (
            Posting(
                city="北京", title="C++资深开发工程师", salary=parse_salary("30k-60k"), company="搜狐集团",
                district="海淀区", work_year="5-10年", education="本科", company_size="2000人以上",
                finance_stage="上市公司", industry="内容资讯,游戏,音频｜视频媒体", skills=(),
                source_url=CARD_URL,
            ),
        ),
        None,
        False,
        "dom",
        None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "url"),
    [("lagou-old-zhaopin-java-p2.html", ZHAOPIN_URL), ("lagou-old-items.html", ITEMS_URL)],
)
def test_real_pages_recruiter_ids_never_reach_the_output(
    site: LagouSite, name: str, url: str, read_real_page: Callable[[str], str]
) -> None:
    html = read_real_page(name)
    output = repr(site.parse_listing(html, url=url))

    hrids = set(_HRID.findall(html))
    leaked = sorted(hrid for hrid in hrids if re.search(rf"(?<!\d){hrid}(?!\d)", output))
    assert (bool(hrids), leaked) == (True, [])
