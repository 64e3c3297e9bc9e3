"""LagouSite.listing_url and parse_listing over hand-written fixture pages (tests/fixtures/lagou).

Every test compares the whole parsed result with explicitly built `Posting`s. Salaries are
built with `parse_salary` from the exact text and months hint the page gives, because salary
parsing itself is tested in test_salary.py; here what matters is what the adapter passes on.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from scraper.common.errors import IncompletePageError, LayoutChangedError
from scraper.model.postings import ListingPage, Posting
from scraper.model.salary import parse_salary
from scraper.sites.lagou.adapter import LagouSite

FIXTURES = Path(__file__).parent / "fixtures" / "lagou"
NEW_URL = "https://www.lagou.com/wn/jobs?kd=Python&city=%E5%8C%97%E4%BA%AC&pn=2"
LAST_URL = "https://www.lagou.com/wn/jobs?kd=Python&city=%E4%B8%8A%E6%B5%B7&pn=30"
OLD_URL = "https://www.lagou.com/jobs/list_Python?city=%E5%8C%97%E4%BA%AC&cl=false&fromSearch=true"
TRICKY_TITLE = 'Python <后端> & "数据" 工程师 🐍'
NEXT_DATA_SCRIPT = re.compile(r'<script id="__NEXT_DATA__".*?</script>', re.DOTALL)

# Every recruiter value planted in the fixtures (hrInfoMap, publisherId, imState, lastLogin,
# positionDetail contact text, hidden hr_* inputs, data-hrid, target_hr).
RECRUITER_VALUES = (
    "张测试", "13800138000", "hr.fake@example.com", "招聘经理", "fake-hr-portrait",
    "98765432", "98765433", "98765434", "98765435", "98765436", "1684721703000", "1684700000000",
    "today", "disabled", "王测试", "李测试", "资深HRBP", "招聘专员", "hr-portrait-wang",
    "hr-portrait-li", "9945455", "9945456", "7134099", "7134100",
)  # fmt: skip


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def site() -> LagouSite:
    return LagouSite()


def next_data_postings(url: str) -> tuple[Posting, ...]:
    """What new_page.html's __NEXT_DATA__ holds (the fourth job has no title and is skipped)."""
    return (
        Posting(
            city="北京", title=TRICKY_TITLE, salary=parse_salary("15k-25k", months_hint="14"),
            company="示例数据", company_full="北京示例数据科技有限公司", district="海淀区",
            work_year="3-5年", education="本科", company_size="150-500人", finance_stage="B轮",
            industry="企业服务,数据服务", skills=("Python", "Django", "MySQL"), position_id="10452318",
            source_url=url, created_at=dt.datetime(2023, 5, 22, 10, 15, 3),
        ),
        Posting(
            city="北京", title="数据开发工程师（Python）", salary=parse_salary("20K-40K", months_hint=0),
            company="示例电商", company_full="上海示例电商有限公司", district="朝阳区",
            work_year="5-10年", education="硕士", company_size="2000人以上", finance_stage="上市公司",
            industry="电商", skills=("Spark", "Hive"), position_id="10452319",
            source_url=url, created_at=dt.datetime(2023, 5, 21, 9, 0, 0),
        ),
        Posting(
            city="北京", title="[急招]Python实习生", salary=parse_salary("10k-20k", months_hint=None),
            company="示例出行", company_full=None, district=None, work_year="不限", education="不限",
            company_size=None, finance_stage="天使轮", industry="移动互联网", skills=(),
            position_id="10452320", source_url=url, created_at=None,
        ),
    )  # fmt: skip


def dom_postings(url: str) -> tuple[Posting, ...]:
    """What new_page.html's cards show: no full company name, id or creation time in the DOM."""
    return (
        Posting(
            city="北京", title=TRICKY_TITLE, salary=parse_salary("15k-25k"), company="示例数据",
            district="海淀区", work_year="3-5年", education="本科", company_size="150-500人",
            finance_stage="B轮", industry="企业服务,数据服务", skills=("Python", "Django", "MySQL"),
            source_url=url,
        ),
        Posting(
            city="北京", title="数据开发工程师（Python）", salary=parse_salary("20K-40K"), company="示例电商",
            district="朝阳区", work_year="5-10年", education="硕士", company_size="2000人以上",
            finance_stage="上市公司", industry="电商", skills=("Spark", "Hive"), source_url=url,
        ),
        Posting(
            city="北京", title="[急招]Python实习生", salary=parse_salary("10k-20k"), company="示例出行",
            district=None, work_year="不限", education="不限", company_size=None,
            finance_stage="天使轮", industry="移动互联网", skills=(), source_url=url,
        ),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("base_city_keyword_page", "expected"),
    [
        (("https://www.lagou.com", "北京", "Python", 1),
         "https://www.lagou.com/wn/jobs?kd=Python&city=%E5%8C%97%E4%BA%AC&pn=1"),
        (("https://www.lagou.com/", "深圳", "python", 30),
         "https://www.lagou.com/wn/jobs?kd=python&city=%E6%B7%B1%E5%9C%B3&pn=30"),
        (("http://127.0.0.1:8765//", "上海", "C++ 开发&测试", 2),
         "http://127.0.0.1:8765/wn/jobs?kd=C%2B%2B+%E5%BC%80%E5%8F%91%26%E6%B5%8B%E8%AF%95"
         "&city=%E4%B8%8A%E6%B5%B7&pn=2"),
    ],
)  # fmt: skip
def test_listing_url_percent_encodes_keyword_and_city(
    site: LagouSite, base_city_keyword_page: tuple[str, str, str, int], expected: str
) -> None:
    assert site.listing_url(*base_city_keyword_page) == expected


def test_listing_url_rejects_page_zero(site: LagouSite) -> None:
    with pytest.raises(ValueError, match="start at 1"):
        site.listing_url("https://www.lagou.com", "北京", "Python", 0)


def test_adapter_declares_name_and_page_cap(site: LagouSite) -> None:
    assert (site.name, site.max_pages) == ("lagou", 30)


def test_next_data_page_maps_every_job_to_a_posting(site: LagouSite) -> None:
    page = site.parse_listing(read_fixture("new_page.html"), url=NEW_URL)

    assert page == ListingPage(next_data_postings(NEW_URL), True, False, "next_data", 450)
    assert page.postings[0].salary.months == 14  # salaryMonth "14" reached the salary parser


def test_page_without_next_data_reads_the_cards(site: LagouSite) -> None:
    page = site.parse_listing(read_fixture("new_dom_only.html"), url=NEW_URL)

    assert page == ListingPage(dom_postings(NEW_URL), True, False, "dom", None)


def test_page_cut_off_before_its_pager_is_incomplete_not_a_short_listing(site: LagouSite) -> None:
    html = read_fixture("new_page.html")
    cut = html[: html.index("lg-pagination")]  # the connection dropped inside #jobList

    with pytest.raises(IncompletePageError, match="page cut short: job cards without the pager"):
        site.parse_listing(cut, url=NEW_URL)


def test_page_cut_off_inside_next_data_is_incomplete_not_read_from_cards(site: LagouSite) -> None:
    html = read_fixture("new_page.html")
    start = html.index('id="__NEXT_DATA__"')
    cut = html[: start + (html.index("</script>", start) - start) // 2] + "</script></body></html>"

    with pytest.raises(IncompletePageError, match="__NEXT_DATA__ ends in the middle of its JSON"):
        site.parse_listing(cut, url=NEW_URL)


def test_page_cut_off_inside_next_data_with_no_end_tag_is_incomplete(site: LagouSite) -> None:
    html = read_fixture("new_page.html")
    cut = html[: html.index('"positionName"', html.index('id="__NEXT_DATA__"'))]  # nothing after the cut

    with pytest.raises(IncompletePageError, match="__NEXT_DATA__ ends in the middle of its JSON"):
        site.parse_listing(cut, url=NEW_URL)
    with pytest.raises(IncompletePageError, match="__NEXT_DATA__ ends in the middle of its JSON"):
        site.read_page(NEW_URL, "", cut, listing_url=NEW_URL)


def test_card_fields_are_found_however_deep_they_are_nested(site: LagouSite) -> None:
    html = read_fixture("new_dom_only.html")
    for css_module_class in ("p-top__1F7CL", "company-name__2-SjF", "ir___QwEG"):
        pattern = re.compile(rf'(<div class="{css_module_class}">)(.*?)(</div>)')
        assert pattern.search(html) is not None
        html = pattern.sub(r"\1<div><p>\2</p></div>\3", html)

    assert site.parse_listing(html, url=NEW_URL) == ListingPage(dom_postings(NEW_URL), True, False, "dom", None)


def test_next_data_without_result_list_falls_back_to_cards(site: LagouSite) -> None:
    html = read_fixture("new_page.html").replace('"result":[', '"results":[')

    assert site.parse_listing(html, url=NEW_URL) == ListingPage(dom_postings(NEW_URL), True, False, "dom", 450)


def test_garbled_next_data_falls_back_to_cards(site: LagouSite) -> None:
    html = read_fixture("new_page.html").replace('{"props":', '{"props"', 1)

    assert site.parse_listing(html, url=NEW_URL) == ListingPage(dom_postings(NEW_URL), True, False, "dom", None)


def test_cards_are_found_whatever_the_css_module_hash(site: LagouSite) -> None:
    html = read_fixture("new_dom_only.html")
    for old, new in (("10RTO", "Zz9x8"), ("1F7CL", "q0Q0q"), ("3Lkgq", "Ab-12"), ("_QwEG", "77abc")):
        html = html.replace(old, new)

    assert site.parse_listing(html, url=NEW_URL) == ListingPage(dom_postings(NEW_URL), True, False, "dom", None)


def test_empty_result_page_is_empty_and_last(site: LagouSite) -> None:
    url = "https://www.lagou.com/wn/jobs?kd=Python&city=%E5%8C%97%E4%BA%AC&pn=31"
    html = read_fixture("empty.html")

    assert site.parse_listing(html, url=url) == ListingPage((), False, True, "next_data", 0)
    without_json = NEXT_DATA_SCRIPT.sub("", html)
    assert site.parse_listing(without_json, url=url) == ListingPage((), False, True, "dom", None)


def test_disabled_next_control_marks_the_last_page(site: LagouSite) -> None:
    html = read_fixture("last_page.html")
    expected_posting = Posting(
        city="上海", title="Python后端开发", salary=parse_salary("25k-35k", months_hint=13),
        company="示例网络", company_full="上海示例网络科技有限公司", district="浦东新区",
        work_year="3-5年", education="本科", company_size="50-150人", finance_stage="A轮",
        industry="社交", skills=("Python", "Go"), position_id="20000001", source_url=LAST_URL,
        created_at=dt.datetime(2023, 6, 1, 18, 30, 0),
    )  # fmt: skip

    assert site.parse_listing(html, url=LAST_URL) == ListingPage((expected_posting,), False, False, "next_data", 436)
    aria_only = html.replace("lg-pagination-next lg-pagination-disabled", "lg-pagination-next")
    assert site.parse_listing(aria_only, url=LAST_URL).has_next is False
    class_only = html.replace('aria-disabled="true"', "")
    assert site.parse_listing(class_only, url=LAST_URL).has_next is False
    no_pager = re.sub(r'<ul class="lg-pagination">.*?</ul>', "", html, flags=re.DOTALL)
    assert site.parse_listing(no_pager, url=LAST_URL).has_next is None


def test_old_list_page_reads_items_and_skips_templates(site: LagouSite) -> None:
    page = site.parse_listing(read_fixture("old_list.html"), url=OLD_URL)

    assert page == ListingPage(
        (
            Posting(
                city="北京", title="Python开发工程师", salary=parse_salary("25k-45k"), company="示例出行",
                district="望京", work_year="5-10年", education="本科", company_size="500-2000人",
                finance_stage="C轮", industry="移动互联网,出行", skills=("Python", "Flask"),
                position_id="5821804", source_url=OLD_URL,
            ),
            Posting(
                city="北京", title="Python & Go 工程师", salary=parse_salary("15K-30K"), company="示例云",
                district=None, work_year="1-3年", education="大专", company_size=None,
                finance_stage="不需要融资", industry="企业服务", skills=(), position_id="5821805",
                source_url=OLD_URL,
            ),
        ),
        True,
        False,
        "old",
        None,
    )  # fmt: skip


def test_page_cut_inside_an_end_tag_leaks_no_markup_into_the_text(site: LagouSite) -> None:
    html = read_fixture("old_list.html")
    cut = html[: html.index("</h3>", html.index('class="con_list_item')) + len("</h")]  # ends "…工程师</h"

    assert site.parse_listing(cut, url=OLD_URL) == ListingPage(
        (
            Posting(
                city="北京", title="Python开发工程师", salary=parse_salary("25k-45k"), company="示例出行",
                position_id="5821804", source_url=OLD_URL,
            ),
        ),
        None,
        False,
        "old",
        None,
    )  # fmt: skip


def test_old_disabled_pager_marks_the_last_page(site: LagouSite) -> None:
    html = read_fixture("old_list.html").replace('class="pager_next "', 'class="pager_next pager_next_disabled"')

    assert site.parse_listing(html, url=OLD_URL).has_next is False


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>拉勾招聘</title></head><body><div id='__next'></div></body></html>",
        '<html><body><script id="__NEXT_DATA__" type="application/json">{"props":{}}</script></body></html>',
        '<html><body><div id="jobList"><div class="list__YibNq"></div></div></body></html>',
        "",
    ],
)
def test_page_without_job_data_or_empty_marker_raises_layout_changed(site: LagouSite, html: str) -> None:
    with pytest.raises(LayoutChangedError, match="no job data"):
        site.parse_listing(html, url=NEW_URL)


@pytest.mark.parametrize(
    ("name", "url"),
    [("new_page.html", NEW_URL), ("last_page.html", LAST_URL), ("old_list.html", OLD_URL)],
)
def test_parsed_output_holds_no_recruiter_value(site: LagouSite, name: str, url: str) -> None:
    html = read_fixture(name)
    page = site.parse_listing(html, url=url)

    planted = [value for value in RECRUITER_VALUES if value in html]
    leaked = [value for value in planted if value in repr(page)]
    assert (bool(planted), leaked) == (True, [])
