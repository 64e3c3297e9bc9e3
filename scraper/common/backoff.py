"""One backoff rule for every retry in the tool: blocks, transient page faults, WebDriver session
starts and database outages all wait `base × 2^(attempt − 1)` seconds, capped, with ±30 % jitter so
that retries of several workers never march in lockstep. `RetryPolicy` is the database writer's
use of it: how long it waits out an outage before giving up."""

from __future__ import annotations

import random
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long and how often the writer retries a batch while the database is unavailable."""

    first_wait: float = 0.25
    max_wait: float = 10.0
    give_up_after: float = 120.0

    def wait_before(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before retry number `attempt` (0-based): the shared backoff rule, capped."""
        return backoff_delay(self.first_wait, attempt + 1, rng, cap=self.max_wait)
