"""One backoff rule for every retry in the tool: blocks, transient page faults, WebDriver session
starts and database outages all wait `base × 2^(attempt − 1)` seconds, capped, with ±30 % jitter so
that retries of several workers never march in lockstep."""

from __future__ import annotations

import random

JITTER = 0.3  # ±30 %: wide enough to spread four workers apart, narrow enough to keep the schedule
MAX_EXPONENT = 64  # beyond this a cap applies anyway; keeps the float power from overflowing


def backoff_delay(base: float, attempt: int, rng: random.Random, *, cap: float | None = None) -> float:
    """Seconds to wait before retry number `attempt` (1-based): 10, 20, 40, 80 s for base 10, jittered.

    `cap` bounds the un-jittered step (the jitter may still take it up to 30 % past the cap).
    Raises ValueError for an attempt below 1 or a negative base.
    """
    if attempt < 1 or base < 0:
        raise ValueError(f"backoff needs attempt >= 1 and base >= 0, got attempt={attempt}, base={base}")
    step = base * 2.0 ** min(attempt - 1, MAX_EXPONENT)
    if cap is not None:
        step = min(step, cap)
    return step * rng.uniform(1 - JITTER, 1 + JITTER)
