"""Faults of the 51job replica (51job-pages.md §12.6), switched on as the Lagou replica's are.

A plan is text such as ``verify_card:every=3,cities=北京/上海,times=1``: the kind fires on every
`every`-th request it watches for a city (counted per city, only `cities` when given), at most
`times` times in all. `slider_page` watches the search page loads (the whole page is the slider);
the others watch the page's own data calls: `verify_card` answers one 「访问验证」 card,
`silent_throttle` an empty list that the page shows under 「全国招聘」, `xhr_fail` the WAF's HTML
(the page then shows the slider overlay and no cards). Deterministic: counters, not dice.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

OPTIONS = frozenset({"every", "cities", "times"})


class Job51Fault(StrEnum):
    """The block answers the 51job replica can give."""

    SLIDER_PAGE = "slider_page"  # the search page load answers the full slider page
    VERIFY_CARD = "verify_card"  # the data call answers one 访问验证 card and no jobs
    SILENT_THROTTLE = "silent_throttle"  # the data call answers nothing; the page shows 全国招聘, no cards
    XHR_FAIL = "xhr_fail"  # the data call answers WAF HTML; the page shows the slider overlay

    @property
    def is_on_page_load(self) -> bool:
        """True when the fault replaces the search page itself (else it answers the data call)."""
        return self is Job51Fault.SLIDER_PAGE


@dataclass(frozen=True, slots=True)
class Job51FaultPlan:
    """One fault and when it fires. Invalid values raise ValueError."""

    kind: Job51Fault
    every: int = 1
    cities: frozenset[str] | None = None
    times: int | None = None

    def __post_init__(self) -> None:
        if self.every < 1 or (self.times is not None and self.times < 1):
            raise ValueError("fault options every and times must be at least 1")

    @classmethod
    def parse(cls, text: str) -> Job51FaultPlan:
        """Parse ``kind[:every=N,cities=A/B,times=N]``; raise ValueError saying what is wrong."""
        name, _, rest = text.strip().partition(":")
        try:
            kind = Job51Fault(name.strip())
        except ValueError:
            known = ", ".join(kind.value for kind in Job51Fault)
            raise ValueError(f"unknown 51job fault kind {name.strip()!r} (known: {known})") from None
        values: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in rest.split(","))):
            key, sep, value = (piece.strip() for piece in item.partition("="))
            if not sep or not value or key not in OPTIONS:
                raise ValueError(f"fault option {item!r} is not one of every=N, cities=A/B, times=N")
            values[key] = value
        try:
            every, times = int(values.get("every", "1")), int(values["times"]) if "times" in values else None
        except ValueError:
            raise ValueError("fault options every and times must be whole numbers") from None
        named = values.get("cities")
        cities = frozenset(c.strip() for c in named.replace("|", "/").split("/") if c.strip()) if named else None
        return cls(kind, every, cities or None, times)


@dataclass
class Job51FaultInjector:
    """One server's fault state; `decide` is thread-safe. No plans never inject."""

    plans: tuple[Job51FaultPlan, ...] = ()
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _counts: dict[tuple[Job51Fault, str], int] = field(default_factory=lambda: defaultdict(int), init=False)
    _injected: dict[Job51Fault, int] = field(default_factory=lambda: defaultdict(int), init=False)

    def decide(self, *, city: str, is_page_load: bool) -> Job51Fault | None:
        """The fault for this request (a search page load, or a data call) of `city`, or None."""
        with self._lock:
            for plan in self.plans:
                if plan.kind.is_on_page_load != is_page_load or (plan.cities is not None and city not in plan.cities):
                    continue
                self._counts[plan.kind, city] += 1
                if self._counts[plan.kind, city] % plan.every:
                    continue
                if plan.times is not None and self._injected[plan.kind] >= plan.times:
                    continue
                self._injected[plan.kind] += 1
                return plan.kind
        return None
