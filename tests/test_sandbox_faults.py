"""Tests of the replica's fault injection: which listing request gets which anti-bot answer.

Plain urllib against a `ReplicaServer` on 127.0.0.1:0. The scraper's block handling is tested
against exactly this schedule, so each kind must fire on the k-th request of a city and on no
other, with the body, status and Location of lagou-pages.md §8.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from sandbox_helpers import RATE_LIMIT_2402, Fetched, cards, fetch

from scraper.sandbox import FaultKind, FaultPlan, ReplicaServer
from scraper.sandbox.pages import EMPTY_TEXT, listing_url

Check = Callable[[Fetched, str, str, int], None]  # (answer, base URL, city, page)


def _quoted(base: str, city: str, page: int) -> str:
    return quote(base + listing_url(city, "Python", page), safe="")


def _expect_json(state: int) -> Check:
    def check(answer: Fetched, base: str, city: str, page: int) -> None:
        assert (answer.status, answer.headers["Content-Type"]) == (200, "application/json;charset=UTF-8")
        assert answer.text == RATE_LIMIT_2402.replace("2402", str(state))

    return check


def _expect_redirect(pattern: Callable[[str, str], str]) -> Check:
    """`pattern(base, quoted refused URL)` is the regex the Location must match."""

    def check(answer: Fetched, base: str, city: str, page: int) -> None:
        assert answer.status == 302
        assert re.fullmatch(pattern(base, _quoted(base, city, page)), answer.headers["Location"])

    return check


def _expect_page(status: int, *present: str, absent: tuple[str, ...] = ()) -> Check:
    def check(answer: Fetched, base: str, city: str, page: int) -> None:
        assert answer.status == status
        assert all(text in answer.text for text in present)
        assert not any(text in answer.text for text in absent)

    return check


FAULT_CHECKS: dict[FaultKind, Check] = {
    FaultKind.RATE_LIMIT_JSON: _expect_json(2402),
    FaultKind.RATE_LIMIT_2408: _expect_json(2408),
    FaultKind.REDIRECT_TRACKMID: _expect_redirect(
        lambda b, f: re.escape(f"{b}/utrack/trackMid.html?f={f}&t=") + r"\d{10}&_t=1&_ti=1"
    ),
    FaultKind.REDIRECT_VERIFY: _expect_redirect(lambda b, f: re.escape(f"{b}/utrack/verify.html?t=1&f={f}")),
    FaultKind.REDIRECT_SECURITY_CHECK: _expect_redirect(
        lambda b, f: (
            re.escape(f"{b}/common-sec/security-check.html?seed=")
            + r"[0-9a-f]{32}&ts=\d{13}&name=[0-9a-f]{8}"
            + re.escape(f"&callbackUrl={f}&srcReferer=")
        )
    ),
    FaultKind.REDIRECT_LOGIN: _expect_redirect(lambda b, f: re.escape(f"{b}/login/login.html")),
    FaultKind.REDIRECT_FORBIDDEN: _expect_redirect(lambda b, f: re.escape(f"{b}/forbidden/fbi.html")),
    FaultKind.LOGIN_WALL: _expect_page(200, "密码登录", "验证码登录", absent=("__NEXT_DATA__",)),
    FaultKind.INTERSTITIAL: _expect_page(200, "页面加载中", absent=("__NEXT_DATA__", "item__10RTO")),
    FaultKind.NO_JOB_DATA: _expect_page(
        200, '<div id="__next">', '<div id="jobList"></div>', absent=("__NEXT_DATA__", "item__10RTO", EMPTY_TEXT)
    ),
    FaultKind.HTTP_500: _expect_page(500, "500 Internal Server Error", absent=("__NEXT_DATA__",)),
    FaultKind.HTTP_503: _expect_page(503, "503 Service Temporarily Unavailable", absent=("__NEXT_DATA__",)),
}
SLOW_SECONDS = 0.3


@pytest.mark.parametrize("kind", list(FAULT_CHECKS))
def test_fault_fires_on_exactly_every_third_request_of_each_city(kind: FaultKind) -> None:
    with ReplicaServer(faults=FaultPlan.parse(f"{kind.value}:every=3")) as replica:
        base = replica.base_url
        answers = {
            (city, n): fetch(base, listing_url(city, "Python", n)) for n in range(1, 8) for city in ("北京", "上海")
        }
        for (city, n), answer in answers.items():
            if n % 3 == 0:
                FAULT_CHECKS[kind](answer, base, city, n)
            else:
                assert (answer.status, cards(answer.text)) == (200, 15)
        faults = [(r.city, r.page, r.fault) for r in replica.listing_requests() if r.fault]
        assert faults == [(city, n, kind.value) for n in (3, 6) for city in ("北京", "上海")]


def test_slow_fault_delays_only_the_kth_answer() -> None:
    with ReplicaServer(faults=FaultPlan.parse(f"slow:every=2,seconds={SLOW_SECONDS}")) as replica:
        answers = [fetch(replica.base_url, listing_url("广州", "Python", n)) for n in (1, 2, 3)]
    assert [cards(answer.text) for answer in answers] == [15, 15, 15]
    assert [answer.seconds >= SLOW_SECONDS for answer in answers] == [False, True, False]
    assert [r.fault for r in replica.listing_requests()] == [None, "slow", None]


def test_truncated_fault_sends_half_the_promised_body_and_closes() -> None:
    with ReplicaServer(faults=FaultPlan.parse("truncated:every=2")) as replica:
        full = fetch(replica.base_url, listing_url("北京", "Python", 2))  # request 1: whole page 2
        host, port = replica.base_url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", listing_url("北京", "Python", 2))
        response = connection.getresponse()
        promised = int(response.headers["Content-Length"])
        with pytest.raises(http.client.IncompleteRead) as error:
            response.read()
        connection.close()
    assert promised == len(full.text.encode())
    assert error.value.partial == full.text.encode()[: promised // 2]
    assert [r.fault for r in replica.listing_requests()] == [None, "truncated"]


def test_block_redirect_targets_are_served_locally(replica: ReplicaServer) -> None:
    expected = {
        "/utrack/trackMid.html?f=x&t=1": "请进行验证",
        "/utrack/verify.html?t=1&f=x": "请进行验证",
        "/common-sec/security-check.html?seed=ab&ts=1&name=cd&callbackUrl=x": "安全检查",
        "/login/login.html": "验证码登录",
        "/forbidden/fbi.html": "dtaccess deny",
    }
    answers = {path: fetch(replica.base_url, path) for path in expected}
    assert {path: (answer.status, expected[path] in answer.text) for path, answer in answers.items()} == dict.fromkeys(
        expected, (200, True)
    )


def test_fault_city_filter_and_times_limit() -> None:
    with ReplicaServer(faults=FaultPlan.parse("rate_limit_json:every=2,cities=上海,times=2")) as replica:
        for n in range(1, 8):
            for city in ("北京", "上海"):
                fetch(replica.base_url, listing_url(city, "Python", n))
        faults = [(r.city, r.page) for r in replica.listing_requests() if r.fault]
    assert faults == [("上海", 2), ("上海", 4)]


def test_sticky_block_holds_the_cookie_until_the_client_clears_it() -> None:
    with ReplicaServer(faults=FaultPlan.parse("sticky_block:every=2")) as replica:
        base, url = replica.base_url, listing_url("杭州", "Python", 1)
        first = fetch(base, url)
        token = first.headers["Set-Cookie"].split(";")[0].split("=")[1]
        blocked = [fetch(base, url, token=token) for _ in range(3)]  # #2 fires, then it sticks
        fresh = fetch(base, url)  # cookies cleared: a new client
        new_token = fresh.headers["Set-Cookie"].split(";")[0].split("=")[1]
        old_again = fetch(base, url, token=token)
        records = replica.listing_requests()
    assert [answer.text for answer in blocked] == [RATE_LIMIT_2402] * 3
    assert (cards(fresh.text), old_again.text) == (15, RATE_LIMIT_2402)
    assert new_token != token
    assert [(r.client_token, r.fault) for r in records] == [
        (token, None),
        (token, "sticky_block"),
        (token, "sticky_block"),
        (token, "sticky_block"),
        (new_token, None),
        (token, "sticky_block"),
    ]


class FakeClock:
    """A settable time source for the rate limiter's 60 s window."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_refuses_the_request_over_the_limit_within_a_minute() -> None:
    clock = FakeClock()
    with ReplicaServer(faults=FaultPlan.parse("rate_limit:per_minute=3"), clock=clock) as replica:
        statuses = []
        for moment, city in [(0, "北京"), (10, "北京"), (20, "北京"), (30, "北京"), (30, "上海"), (95, "北京")]:
            clock.now = moment
            answer = fetch(replica.base_url, listing_url(city, "Python", 1))
            statuses.append((city, moment, "blocked" if answer.text == RATE_LIMIT_2402 else cards(answer.text)))
    assert statuses == [
        ("北京", 0, 15),
        ("北京", 10, 15),
        ("北京", 20, 15),
        ("北京", 30, "blocked"),  # the 4th within 60 s
        ("上海", 30, 15),  # keyed by city: another worker is not slowed down
        ("北京", 95, 15),  # the window has moved past all earlier requests
    ]
    assert [r.time for r in replica.listing_requests()] == [0, 10, 20, 30, 30, 95]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("teleport:every=2", "unknown fault kind 'teleport'"),
        ("slow:every=x", "every must be a whole number, got 'x'"),
        ("slow:every=0", "every must be at least 1, got 0"),
        ("slow:seconds=-1", "seconds must be a positive number"),
        ("slow:every", "'every' is not key=value"),
        ("slow:every=2,every=3", "'every' is given twice"),
        ("http_500:seconds=2", "'seconds' is not valid for http_500"),
        ("rate_limit", "per_minute is required by rate_limit"),
        ("rate_limit:per_minute=5,every=2", "'every' is not valid for rate_limit"),
        ("slow:cities=/", "cities must name at least one city"),
        ("slow:times=0", "times must be at least 1"),
    ],
)
def test_fault_plan_parse_rejects_bad_specs_with_a_clear_message(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        FaultPlan.parse(spec)


def test_fault_plan_parse_reads_every_option_and_round_trips() -> None:
    plan = FaultPlan.parse(" slow : every=4 , seconds=2.5 , cities=北京|上海 , times=3 ")
    assert plan == FaultPlan(FaultKind.SLOW, every=4, cities=frozenset({"北京", "上海"}), times=3, seconds=2.5)
    assert FaultPlan.parse(plan.spec) == plan
    assert FaultPlan.parse("rate_limit:per_minute=20").per_minute == 20
