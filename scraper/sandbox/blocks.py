"""Bodies of the replica's refusal answers: the 2402 JSON, verify/login pages, error pages.

These are what Lagou shows a scraper instead of a listing (lagou-pages.md §8): the "操作太频繁"
JSON, the pages its 302s lead to (`/utrack/trackMid.html`, `/utrack/verify.html`,
`/common-sec/security-check.html`, passport's `/login/login.html`, `/forbidden/fbi.html`),
the login wall, the "页面加载中" interstitial and nginx-style 5xx pages. Only the JSON and
the marker words are documented; the surrounding HTML is invented (the real verify, WAF
and interstitial markup is unconfirmed, §12.7), kept plain so detection must use the markers.
"""

from __future__ import annotations

import html
import json

RATE_LIMIT_MSG = "您操作太频繁,请稍后再访问"  # ASCII comma, no space (§8.1)
STATE_TOO_FREQUENT = 2402
STATE_FORBIDDEN = 2408
JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"

TRACKMID_PATH = "/utrack/trackMid.html"
VERIFY_PATH = "/utrack/verify.html"
SECURITY_CHECK_PATH = "/common-sec/security-check.html"
LOGIN_PATH = "/login/login.html"  # on passport.lagou.com in reality
FORBIDDEN_PATH = "/forbidden/fbi.html"  # on forbidden.lagou.com in reality

HTTP_REASONS = {500: "Internal Server Error", 503: "Service Temporarily Unavailable"}


def rate_limit_json(client_ip: str, state: int = STATE_TOO_FREQUENT) -> str:
    """The §8.1 answer, byte for byte: `{"status":false,"msg":…,"clientIp":…,"state":2402}`."""
    document = {"status": False, "msg": RATE_LIMIT_MSG, "clientIp": client_ip, "state": state}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"/>'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )


def login_page() -> str:
    """The login form: the login wall and passport's login page both show it (§8.3)."""
    return _page(
        "登录-拉勾网",
        '<div id="lg_tbar"><a href="/login/login.html">登录</a></div>'
        '<div class="login-box"><ul class="login-tabs"><li class="active">密码登录</li><li>验证码登录</li></ul>'
        '<form><input type="text" placeholder="请输入常用手机号/邮箱"/>'
        '<input type="password" placeholder="请输入密码"/><button type="button">登录</button></form></div>',
    )


def interstitial_page() -> str:
    """A bare loading page: the body says 页面加载中 and nothing else (§8.3)."""
    return _page("拉勾网", '<div class="loading">页面加载中...</div>')


def verify_page(path: str) -> str:
    """The page a block redirect leads to, chosen by its path; a login form for a login path."""
    if path == LOGIN_PATH or "/login" in path:
        return login_page()
    if path == FORBIDDEN_PATH:
        return _page("访问受限-拉勾网", '<div class="container"><h2>dtaccess deny</h2><p>您的访问已被限制</p></div>')
    if path == SECURITY_CHECK_PATH:
        return _page("安全检查", '<div class="container"><p>正在进行安全检查，请稍候…</p></div>')
    return _page(
        "访问验证-拉勾网",
        '<div class="container"><p>检测到您的访问行为异常，请进行验证</p><a id="btn">点击进行验证</a></div>',
    )


def http_error_page(status: int) -> str:
    """An nginx-style error page for a 5xx status."""
    line = f"{status} {HTTP_REASONS.get(status, 'Error')}"
    return _page(line, f"<center><h1>{line}</h1></center><hr><center>nginx</center>")


VERIFY_PATHS = frozenset({TRACKMID_PATH, VERIFY_PATH, SECURITY_CHECK_PATH, LOGIN_PATH, FORBIDDEN_PATH})
