"""LagouSite.detect_block and read_page: block, verify, login and WAF pages are named; listing pages never are."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.common.errors import LayoutChangedError
from scraper.model.postings import Block, ListingPage
from scraper.sites.lagou.adapter import LagouSite

FIXTURES = Path(__file__).parent / "fixtures" / "lagou"
LISTING_URL = "https://www.lagou.com/wn/jobs?kd=Python&city=%E5%8C%97%E4%BA%AC&pn=2"
BLANK_PAGE = "<html><head></head><body></body></html>"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def site() -> LagouSite:
    return LagouSite()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.lagou.com/utrack/trackMid.html?f=https%3A%2F%2Fwww.lagou.com%2Fwn%2Fjobs&t=1613793639&_ti=3",
         Block("verify_redirect", "www.lagou.com/utrack/trackMid.html")),
        ("https://www.lagou.com/utrack/verify.html?t=1&f=https%3A%2F%2Fwww.lagou.com%2Fwn%2Fjobs",
         Block("verify_redirect", "www.lagou.com/utrack/verify.html")),
        ("https://sec.lagou.com/verify.html?e=2&f=https://www.lagou.com/jobs/list_php",
         Block("verify_redirect", "sec.lagou.com/verify.html")),
        ("https://sec.lagou.com/sms/verify.html?e=3&f=https://www.lagou.com/wn/jobs",
         Block("verify_redirect", "sec.lagou.com/sms/verify.html")),
        ("https://www.lagou.com/common-sec/security-check.html?seed=ab12&ts=1700000000000&name=cd34&callbackUrl=x",
         Block("verify_redirect", "www.lagou.com/common-sec/security-check.html")),
        ("https://passport.lagou.com/login/login.html",
         Block("login_redirect", "passport.lagou.com/login/login.html")),
        ("https://forbidden.lagou.com/forbidden/fbi.html",
         Block("forbidden", "forbidden.lagou.com/forbidden/fbi.html")),
        # A local replica serving the same paths is recognised by path alone.
        ("http://127.0.0.1:8765/utrack/trackMid.html?f=%2Fwn%2Fjobs&t=1&_t=1&_ti=1",
         Block("verify_redirect", "127.0.0.1:8765/utrack/trackMid.html")),
        ("http://127.0.0.1:8765/common-sec/security-check.html?seed=1&ts=2&name=3",
         Block("verify_redirect", "127.0.0.1:8765/common-sec/security-check.html")),
        ("http://127.0.0.1:8765/login/login.html",
         Block("login_redirect", "127.0.0.1:8765/login/login.html")),
        ("http://127.0.0.1:8765/forbidden/fbh.html",
         Block("forbidden", "127.0.0.1:8765/forbidden/fbh.html")),
    ],
)  # fmt: skip
def test_redirect_to_a_block_path_is_a_block(site: LagouSite, url: str, expected: Block) -> None:
    assert site.detect_block(url, "", BLANK_PAGE) == expected
    assert site.read_page(url, "", BLANK_PAGE, listing_url=LISTING_URL) == expected


@pytest.mark.parametrize(
    ("title", "html", "expected"),
    [
        ("", read_fixture("block_rate_limit_2402.html"), Block("rate_limit", "state 2402")),
        ("", '<pre>{"status":false,"msg":"您操作太频繁,请稍后再访问","clientIp":"127.0.0.1","state":2408}</pre>',
         Block("rate_limit", "state 2408")),
        ("", "<pre>{&quot;status&quot;: false, &quot;msg&quot;: &quot;您操作太频繁,请稍后再试&quot;}</pre>",
         Block("rate_limit", "操作太频繁")),
        ("拉勾招聘-登录", read_fixture("block_login_wall.html"), Block("login_wall", "密码登录/验证码登录")),
        ("拉勾招聘", read_fixture("block_interstitial.html"), Block("interstitial", "页面加载中")),
        ("访问验证", read_fixture("block_waf.html"), Block("waf", "访问验证")),
        ("", "<html><body><p>验证失败，请刷新重试</p></body></html>", Block("waf", "验证失败")),
        ("", "<html><body>dtaccess deny</body></html>", Block("forbidden", "dtaccess deny")),
    ],
)  # fmt: skip
def test_block_page_at_the_listing_url_is_named(site: LagouSite, title: str, html: str, expected: Block) -> None:
    assert site.detect_block(LISTING_URL, title, html) == expected
    assert site.read_page(LISTING_URL, title, html, listing_url=LISTING_URL) == expected


@pytest.mark.parametrize(
    ("title", "html"),
    [
        ("", BLANK_PAGE),
        ("拉勾招聘", "<html><body><p>热门职位</p><a href='/frontLogin.do'>登录</a></body></html>"),
        ("", '<pre>{"status":true,"msg":"操作太频繁的说明"}</pre>'),
    ],
)
def test_unrecognised_page_is_not_a_block(site: LagouSite, title: str, html: str) -> None:
    assert site.detect_block(LISTING_URL, title, html) is None
    with pytest.raises(LayoutChangedError, match="no job data"):  # not a block: the parser decides
        site.read_page(LISTING_URL, title, html, listing_url=LISTING_URL)


@pytest.mark.parametrize(
    "name", ["new_page.html", "new_dom_only.html", "empty.html", "last_page.html", "old_list.html"]
)
def test_listing_fixture_is_never_a_block(site: LagouSite, name: str) -> None:
    # new_page.html pre-renders a hidden 密码登录/验证码登录 dialog; every page has 登录 in its header.
    html, title = read_fixture(name), "「北京Python招聘」-拉勾招聘"
    # last_page.html is 上海's last page: read as 北京's it would be a wrong answer (another city's jobs).
    url = LISTING_URL.replace("%E5%8C%97%E4%BA%AC", "%E4%B8%8A%E6%B5%B7") if name == "last_page.html" else LISTING_URL

    assert site.detect_block(url, title, html) is None
    assert isinstance(site.read_page(url, title, html, listing_url=url), ListingPage)


def test_listing_with_loading_text_is_not_an_interstitial(site: LagouSite) -> None:
    html = read_fixture("new_page.html").replace('<div id="jobList">', '<div id="jobList"><p>页面加载中</p>')

    assert site.detect_block(LISTING_URL, "", html) is None
    assert isinstance(site.read_page(LISTING_URL, "", html, listing_url=LISTING_URL), ListingPage)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("lagou-old-zhaopin-java-p2.html", "https://www.lagou.com/zhaopin/Java/2/"),
        ("lagou-old-items.html", "https://www.lagou.com/jobs/list_Java?city=%E5%8C%97%E4%BA%AC"),
        ("lagou-new-item-top.html", LISTING_URL),
    ],
)
def test_real_listing_page_is_never_a_block(site: LagouSite, name: str, url: str, reference_pages: Path) -> None:
    path = reference_pages / name
    if not path.is_file():
        pytest.skip(f"real page {path} is not available")
    assert site.detect_block(url, "Java招聘-招聘求职信息-拉勾网", path.read_text(encoding="utf-8")) is None
