"""Fault injection for the replica: which listing request gets which anti-bot answer.

A `FaultPlan` (one kind plus its options) is parsed from text such as
``rate_limit_json:every=3`` or ``slow:every=2,seconds=10,cities=北京/上海,times=1`` so the CLI
can pass it through. A `FaultInjector` holds one server's state (per-city counters, blocked
client tokens, rate windows) and answers, for each `/wn/jobs` request, the fault to serve or
None. Everything is deterministic: counters, not dice.

- Counted kinds fire on every `every`-th listing request of a city (requests 3, 6, 9, … for
  ``every=3``), counting per city and only cities in `cities` when given, at most `times` times
  in all. `sticky_block` also marks the client token: that client keeps getting the 2402 JSON
  until it comes back with no cookie (a cleared cookie jar gets a fresh token); requests
  refused for an earlier block are not counted towards `every`.
- `rate_limit` answers 2402 once a "client" has made more than `per_minute` listing requests
  in the last 60 s (all requests count, refused ones too). The client is the `city` query
  parameter, not the IP: every worker connects from 127.0.0.1 and each serves one city.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

RATE_WINDOW_SECONDS = 60.0
DEFAULT_SLOW_SECONDS = 5.0
CITY_SEPARATORS = ("/", "|")


class FaultKind(StrEnum):
    """The answers the replica can give instead of a listing page (lagou-pages.md §8, §13)."""

    RATE_LIMIT_JSON = "rate_limit_json"  # 200, 2402 "操作太频繁" JSON
    RATE_LIMIT_2408 = "rate_limit_2408"  # the same JSON with state 2408
    REDIRECT_TRACKMID = "redirect_trackmid"  # 302 /utrack/trackMid.html?f=…&t=…
    REDIRECT_VERIFY = "redirect_verify"  # 302 /utrack/verify.html?t=1&f=…
    REDIRECT_SECURITY_CHECK = "redirect_security_check"  # 302 /common-sec/security-check.html?…
    REDIRECT_LOGIN = "redirect_login"  # 302 /login/login.html (passport's path)
    REDIRECT_FORBIDDEN = "redirect_forbidden"  # 302 /forbidden/fbi.html
    LOGIN_WALL = "login_wall"  # 200 page with 密码登录 / 验证码登录
    INTERSTITIAL = "interstitial"  # 200 body 页面加载中
    NO_JOB_DATA = "no_job_data"  # 200 page shell without __NEXT_DATA__ or cards
    HTTP_500 = "http_500"
    HTTP_503 = "http_503"
    SLOW = "slow"  # the real page, after `seconds`
    TRUNCATED = "truncated"  # full Content-Length, half the body, connection closed
    STICKY_BLOCK = "sticky_block"  # 2402 JSON until the client drops its cookie
    RATE_LIMIT = "rate_limit"  # 2402 JSON past `per_minute` requests in 60 s
    # Hostile answers (issue 20): damaged data, plain HTTP refusals and Lagou's newer pages (§14).
    NUL_TITLE = "nul_title"  # the real page, its first job's title holding a NUL character
    WRONG_CITY = "wrong_city"  # another city's page (北京's for any other city, 上海's for 北京)
    GBK_AS_UTF8 = "gbk_as_utf8"  # the real page encoded as GBK, declared UTF-8
    HTTP_429 = "http_429"  # 429 with Retry-After: 1
    HTTP_404 = "http_404"
    MAINTENANCE = "maintenance"  # 200 "系统维护中" page: no job data
    NEXT_NETWORK_ERROR = "next_network_error"  # Next.js error page 「网络出错啦」
    NEXT_UNEXPECTED_ERROR = "next_unexpected_error"  # Next.js "An unexpected error has occurred"
    REDIRECT_LOGIN_ANY = "redirect_login_any"  # 302 to /account/login?service=… (any URL with /login)
    TITLE_SECURITY_VERIFY = "title_security_verify"  # 200 page titled 安全验证
    TITLE_HUMAN_VERIFY = "title_human_verify"  # 200 page titled 人机验证
    TITLE_VERIFY_CENTER = "title_verify_center"  # 200 page titled 验证中心
    HTML_FOR_JSON = "html_for_json"  # __NEXT_DATA__ holding an HTML error page instead of JSON
    OFFSITE_REDIRECT = "offsite_redirect"  # 302 to the same path on another loopback address


COMMON_OPTIONS = frozenset({"cities", "times"})
KIND_OPTIONS: dict[FaultKind, frozenset[str]] = {
    kind: COMMON_OPTIONS | {"every"} for kind in FaultKind if kind is not FaultKind.RATE_LIMIT
}
KIND_OPTIONS[FaultKind.SLOW] = KIND_OPTIONS[FaultKind.SLOW] | {"seconds"}
KIND_OPTIONS[FaultKind.RATE_LIMIT] = COMMON_OPTIONS | {"per_minute"}


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """One fault and when it fires. Invalid values raise ValueError when built.

    `every`: fire on every k-th listing request of a city. `cities`: only these cities (None:
    all). `times`: at most this many injections in all (None: no limit). `seconds`: the delay
    of `slow`. `per_minute`: the limit of `rate_limit` (required there, refused elsewhere).
    """

    kind: FaultKind
    every: int = 1
    cities: frozenset[str] | None = None
    times: int | None = None
    seconds: float = DEFAULT_SLOW_SECONDS
    per_minute: int | None = None

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"fault option every must be at least 1, got {self.every}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"fault option times must be at least 1, got {self.times}")
        if not (math.isfinite(self.seconds) and self.seconds > 0):
            raise ValueError(f"fault option seconds must be a positive number, got {self.seconds}")
        if self.cities is not None and not self.cities:
            raise ValueError("fault option cities must name at least one city")
        if (self.kind is FaultKind.RATE_LIMIT) != (self.per_minute is not None):
            raise ValueError("fault option per_minute is required by rate_limit and only valid there")
        if self.per_minute is not None and self.per_minute < 1:
            raise ValueError(f"fault option per_minute must be at least 1, got {self.per_minute}")

    @classmethod
    def parse(cls, text: str) -> FaultPlan:
        """Parse ``kind[:option=value[,option=value…]]``; raise ValueError saying what is wrong.

        Options: every, cities (names joined by ``/`` or ``|``), times, seconds (slow only),
        per_minute (rate_limit only, required).
        """
        name, _, rest = text.strip().partition(":")
        try:
            kind = FaultKind(name.strip())
        except ValueError:
            known = ", ".join(kind.value for kind in FaultKind)
            raise ValueError(f"unknown fault kind {name.strip()!r} (known: {known})") from None
        values: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in rest.split(","))):
            key, sep, value = (piece.strip() for piece in item.partition("="))
            if not sep or not value:
                raise ValueError(f"fault option {item!r} is not key=value")
            if key not in KIND_OPTIONS[kind]:
                valid = ", ".join(sorted(KIND_OPTIONS[kind]))
                raise ValueError(f"fault option {key!r} is not valid for {kind.value} (valid: {valid})")
            if key in values:
                raise ValueError(f"fault option {key!r} is given twice")
            values[key] = value
        every = _whole(values, "every")
        return cls(
            kind=kind,
            every=1 if every is None else every,
            cities=_cities(values["cities"]) if "cities" in values else None,
            times=_whole(values, "times"),
            seconds=_seconds(values.get("seconds")),
            per_minute=_whole(values, "per_minute"),
        )

    @property
    def spec(self) -> str:
        """The plan as text that `parse` reads back to an equal plan."""
        options: list[str] = []
        if self.per_minute is not None:
            options.append(f"per_minute={self.per_minute}")
        elif self.every != 1:
            options.append(f"every={self.every}")
        if self.kind is FaultKind.SLOW:
            options.append(f"seconds={self.seconds:g}")
        if self.cities is not None:
            options.append("cities=" + "/".join(sorted(self.cities)))
        if self.times is not None:
            options.append(f"times={self.times}")
        return self.kind.value + (":" + ",".join(options) if options else "")


def _whole(values: dict[str, str], key: str) -> int | None:
    if key not in values:
        return None
    try:
        return int(values[key])
    except ValueError:
        raise ValueError(f"fault option {key} must be a whole number, got {values[key]!r}") from None


def _seconds(text: str | None) -> float:
    if text is None:
        return DEFAULT_SLOW_SECONDS
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"fault option seconds must be a number, got {text!r}") from None


def _cities(text: str) -> frozenset[str]:
    for separator in CITY_SEPARATORS[1:]:
        text = text.replace(separator, CITY_SEPARATORS[0])
    return frozenset(filter(None, (name.strip() for name in text.split(CITY_SEPARATORS[0]))))


@dataclass
class FaultInjector:
    """One server's fault state. `decide` is thread-safe; a None plan never injects."""

    plan: FaultPlan | None
    clock: Callable[[], float]
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _counts: dict[str, int] = field(default_factory=lambda: defaultdict(int), init=False)
    _injected: int = field(default=0, init=False)
    _blocked_tokens: set[str] = field(default_factory=set, init=False)
    _windows: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque), init=False)

    def decide(self, *, city: str, client_token: str) -> FaultKind | None:
        """The fault for this listing request of `city` by `client_token`, or None to serve it."""
        plan = self.plan
        if plan is None or (plan.cities is not None and city not in plan.cities):
            return None
        with self._lock:
            if plan.kind is FaultKind.STICKY_BLOCK and client_token in self._blocked_tokens:
                return plan.kind
            if plan.kind is FaultKind.RATE_LIMIT:
                fires = self._over_rate(city, plan.per_minute or 0)
            else:
                self._counts[city] += 1
                fires = self._counts[city] % plan.every == 0
            if not fires or (plan.times is not None and self._injected >= plan.times):
                return None
            self._injected += 1
            if plan.kind is FaultKind.STICKY_BLOCK:
                self._blocked_tokens.add(client_token)
            return plan.kind

    def _over_rate(self, key: str, limit: int) -> bool:
        now = self.clock()
        window = self._windows[key]
        while window and window[0] <= now - RATE_WINDOW_SECONDS:
            window.popleft()
        window.append(now)
        return len(window) > limit
