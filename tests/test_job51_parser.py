"""Pure tests of the 51job adapter (scraper.sites.job51): cards read from `sensorsdata` then the DOM,
junk cards skipped, recruiter markup never read, every block signal, paging steps and URLs.

The saved page is built to the reference (51job-pages.md §5-§6): entity-encoded `sensorsdata`,
a card whose JSON lacks title and salary (the DOM gives them), an item from another city, an
「APP下载」 card, a card without a job id, recruiter labels and an avatar, and a script holding
the substring "waf" (which must not read as a block).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scraper.common.errors import ConfigError, LayoutChangedError, WrongAnswerError
from scraper.model.navigation import Click, Navigate, TypeAndSubmit
from scraper.model.postings import Block, ListingPage, Posting
from scraper.model.salary import parse_salary
from scraper.sites import get_site
from scraper.sites.job51 import Job51Site

FIXTURES = Path(__file__).parent / "fixtures" / "job51"
ROOT = "https://we.51job.com"
PAGE1 = f"{ROOT}/pc/search?jobArea=020000&keyword=Python&searchType=2"
PAGE2 = f"{PAGE1}&pageNum=2"
TITLE = "【Python,上海招聘，求职】-前程无忧"
LIST_SHELL = (
    "<html><head><title>{title}</title></head><body><div class='joblist j_joblist'>{cards}</div>"
    "<div class='bottom-page'></div></body></html>"
)


@pytest.fixture
def site() -> Job51Site:
    return Job51Site()


def page2_html() -> str:
    return (FIXTURES / "list_page2.html").read_text(encoding="utf-8")


def test_cards_read_sensorsdata_first_dom_second_and_skip_junk(site: Job51Site) -> None:
    page = site.read_page(PAGE1, TITLE, page2_html(), listing_url=PAGE2)

    assert page == ListingPage(
        (
            Posting(
                city="上海",
                title="Python开发工程师",
                salary=parse_salary("1.5-2万·13薪"),
                company="示例科技",
                district="浦东新区",
                work_year="3-4年经验",
                education="本科",
                company_size="150-500人",
                industry="计算机软件",
                position_id="173700021",
                source_url=PAGE2,
                created_at=dt.datetime(2026, 9, 18, 14, 8, 34),
            ),
            # No title or salary in its JSON (the DOM's), a numeric jobId, an area in another city
            # (filed under the queried city, without a district), a company name only in `title`.
            Posting(
                city="上海",
                title="数据分析（Python）",
                salary=parse_salary("8千-1.2万"),
                company="外企名",
                work_year="无需经验",
                industry="互联网丨电子商务",
                position_id="173700022",
                source_url=PAGE2,
            ),
        ),
        has_next=True,
        is_empty=False,
        layout="cards",
    )


def test_no_recruiter_label_avatar_or_tracking_value_reaches_a_posting(site: Job51Site) -> None:
    page = site.parse_listing(page2_html(), url=PAGE2)

    text = repr(page)
    for private in ("今日回复", "分钟前活跃", "avatar", "abc", "sou|sou|soulb", "isHrLabel", "五险一金"):
        assert private not in text


def test_a_disabled_next_button_ends_the_listing(site: Job51Site) -> None:
    html = page2_html().replace('class="btn-next"', 'class="btn-next" disabled="disabled"')

    page = site.parse_listing(html, url=PAGE2)

    assert page.has_next is False


def test_cards_of_another_page_mean_the_page_did_not_turn(site: Job51Site) -> None:
    asked_for_3 = f"{PAGE1}&pageNum=3"

    page = site.read_page(PAGE1, TITLE, page2_html(), listing_url=asked_for_3)

    assert page == Block("page_not_turned", "asked for page 3, the cards are of page 2")


def test_the_empty_result_notice_is_an_empty_listing_not_a_block(site: Job51Site) -> None:
    html = LIST_SHELL.format(title=TITLE, cards="<div class='j_nolist'>哦哦！没有职位不要怕，再重搜一次呗~</div>")

    page = site.read_page(PAGE1, TITLE, html, listing_url=PAGE1)

    assert page == ListingPage((), has_next=False, is_empty=True, layout="cards")


@pytest.mark.parametrize(
    ("url", "title", "body", "expected"),
    [
        (PAGE1, "滑动验证页面", "<div id='waf_nc_block'><p class='waf-nc-title'>访问验证</p></div>",
         Block("slider", "滑动验证页面")),
        (PAGE1, TITLE, "<div class='joblist'></div><div id='aliyunCaptcha-window-embed' class='aliyunCaptcha-show'>"
         "请按住滑块，拖动到最右边</div>", Block("slider", "#aliyunCaptcha-window-embed")),
        (PAGE1, TITLE, "<div class='joblist'><p>请按住滑块，拖动到最右边</p></div>", Block("slider", "请按住滑块")),
        (PAGE1, "405", "<div class='message'>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</div>",
         Block("forbidden", "您的访问被阻断")),
        (PAGE1, TITLE, "<div class='joblist'><div class='joblist-item'><div class='joblist-item-job' "
         "sensorsdata='{}'><span class='jname'>访问验证</span></div></div></div>", Block("verify_card", "访问验证")),
        (PAGE1, "全国招聘-前程无忧", "<div class='joblist j_joblist'></div>",
         Block("silent_throttle", "no cards under the title '全国招聘-前程无忧'")),
        (PAGE1, TITLE, "<div class='joblist'><div class='job-item'><span class='job-name'>Java</span></div></div>",
         Block("not_rendered", "placeholders only: the list did not render in time")),
        ("https://login.51job.com/login.php?lang=c", "登录", "<form>登录</form>",
         Block("login_redirect", "login.51job.com/login.php")),
        (f"{ROOT}/pc/jobdetail?jobId=1", "职位", "<div></div>", Block("redirect", "we.51job.com/pc/jobdetail")),
    ],
    ids=["slider-page", "slider-overlay", "slider-text", "405", "verify-card", "silent-throttle", "not-rendered",
         "login", "elsewhere"],
)  # fmt: skip
def test_each_block_signal_is_a_block(site: Job51Site, url: str, title: str, body: str, expected: Block) -> None:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"

    assert site.read_page(url, title, html, listing_url=PAGE1) == expected
    assert site.detect_block(url, title, html) == expected


def test_a_listing_with_a_waf_script_is_no_block(site: Job51Site) -> None:
    assert site.detect_block(PAGE1, TITLE, page2_html()) is None


def test_a_page_with_neither_cards_nor_the_empty_notice_is_a_changed_layout(site: Job51Site) -> None:
    html = LIST_SHELL.format(title=TITLE, cards="<div class='something-new'>Python</div>")

    with pytest.raises(LayoutChangedError, match="no readable job cards"):
        site.read_page(PAGE1, TITLE, html, listing_url=PAGE1)


def test_listing_urls_carry_the_city_code_and_record_the_page(site: Job51Site) -> None:
    assert site.listing_url(ROOT + "/", "上海", "Python", 1) == PAGE1
    assert site.listing_url(ROOT, "上海", "Python", 2) == PAGE2
    assert site.listing_url(ROOT, "北京", "数据 分析", 1) == (
        f"{ROOT}/pc/search?jobArea=010000&keyword=%E6%95%B0%E6%8D%AE+%E5%88%86%E6%9E%90&searchType=2"
    )
    with pytest.raises(ConfigError, match="51job has no city code for '南京'"):
        site.listing_url(ROOT, "南京", "Python", 1)


def test_page_one_is_a_navigation_the_next_a_click_any_other_a_jump(site: Job51Site) -> None:
    navigate = Navigate(PAGE1)

    assert site.steps_to(ROOT, "上海", "Python", 1, showing=None) == (navigate,)
    assert site.steps_to(ROOT, "上海", "Python", 1, showing=4) == (navigate,)
    assert site.steps_to(ROOT, "上海", "Python", 5, showing=4) == (Click("button.btn-next"),)
    jump = (navigate, TypeAndSubmit("#jump_page", "5", submit="span.jumpPage"))
    assert site.steps_to(ROOT, "上海", "Python", 5, showing=None) == jump
    assert site.steps_to(ROOT, "上海", "Python", 5, showing=5) == jump


def test_51job_declares_its_root_page_size_cap_cities_and_a_ready_rule_that_waits() -> None:
    site = get_site("51job")

    assert (site.name, site.default_base_url, site.page_size, site.max_pages) == ("51job", ROOT, 20, 50)
    assert [city for city in ("北京", "上海", "广州", "深圳", "南京") if site.supports_city(city)] == [
        "北京", "上海", "广州", "深圳",
    ]  # fmt: skip
    assert ".joblist-item" in site.ready.selectors
    assert site.ready.timeout >= 10


def test_a_page_whose_every_card_names_another_city_is_a_wrong_answer(site: Job51Site) -> None:
    html = page2_html().replace("上海·浦东新区", "北京·海淀区").replace("苏州·工业园区", "北京·朝阳区")

    with pytest.raises(WrongAnswerError, match="every job on the page names another city"):
        site.read_page(PAGE1, TITLE, html, listing_url=PAGE2)


def test_control_characters_are_cleaned_from_cards(site: Job51Site) -> None:
    html = page2_html().replace("计算机软件", "计算机\x00软件")

    page = site.parse_listing(html, url=PAGE2)

    assert page.postings[0].industry == "计算机软件"
