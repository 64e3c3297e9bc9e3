"""Adaptive politeness: how long a worker waits between two page loads of its city.

A `Pacer` starts at the configured delay. A block doubles the delay (at least
`MIN_DELAY_AFTER_BLOCK`), and each clean page eases it back by `EASE_FACTOR`, but never below a
floor. The floor is where the pacer learns: when the site blocks after the worker made N loads
in the last `window` seconds (default `RATE_WINDOW_S`), the site evidently allows about N - 1 in that window, so
the floor becomes that pace plus `FLOOR_MARGIN`, and the next load waits until the window has
room again under that limit (a site that counts refused requests too would otherwise refuse the
retry as well). A rate-limited worker therefore settles just under the site's limit after one
block instead of bouncing off it. Pure: the clock is passed in.
"""

from __future__ import annotations

import random
from collections import deque

JITTER = 0.3  # ±30 % around the current delay, so page loads do not tick like a clock
BLOCK_FACTOR = 2.0  # a block doubles the delay ...
EASE_FACTOR = 0.8  # ... and each clean page eases it back toward the floor
MIN_DELAY_AFTER_BLOCK = 1.0
MAX_DELAY = 120.0
# Sites count requests per sliding window; a minute is the common one (the replica's, and the
# usual "N requests a minute" limit). Lagou's own window is not published.
RATE_WINDOW_S = 60.0
FLOOR_MARGIN = 1.02  # settle a little slower than the pace that was blocked (clocks differ)
# Once a limit is learned the jitter only lengthens waits: a wait shorter than the floor would
# put one load too many into some window and earn the next block.
LIMITED_JITTER = 0.1
RESUME_SLACK_S = 0.5  # clocks and request timestamps on both sides are not exact
MIN_LOADS_FOR_ESTIMATE = 5  # fewer loads in the window say nothing about a rate limit


class Pacer:
    """The delay policy of one worker (not thread-safe: each worker owns one)."""

    def __init__(self, delay: float, *, window: float = RATE_WINDOW_S, rng: random.Random | None = None) -> None:
        self.window = window
        self.floor = delay
        self.delay = delay
        self._rng = rng or random.Random()
        self._loads: deque[float] = deque()
        self._resume_at = 0.0  # after a learned limit: when the window has room again

    def on_load(self, now: float) -> None:
        """A page load ended at `now` (monotonic seconds); waits count from there."""
        self._loads.append(now)
        while self._loads and self._loads[0] < now - self.window:
            self._loads.popleft()

    def on_success(self) -> None:
        """A page loaded cleanly: ease the delay back toward the floor."""
        self.delay = max(self.floor, self.delay * EASE_FACTOR)

    def on_block(self) -> None:
        """The last load was blocked: learn the floor from the recent pace and slow down."""
        loads = len(self._loads)
        if loads >= MIN_LOADS_FOR_ESTIMATE:
            allowed_interval = self.window / (loads - 1)
            self.floor = min(MAX_DELAY, max(self.floor, allowed_interval * FLOOR_MARGIN))
            # Under a limit of loads - 1 per window, the next load fits once the two oldest expire.
            self._resume_at = self._loads[1] + self.window + RESUME_SLACK_S
        self.delay = min(MAX_DELAY, max(MIN_DELAY_AFTER_BLOCK, self.floor, self.delay * BLOCK_FACTOR))

    def wait_before_next(self, now: float) -> float:
        """Seconds to wait at `now` before the next load: the jittered delay since the last load."""
        if not self._loads:
            return 0.0
        factor = self._rng.uniform(1, 1 + LIMITED_JITTER) if self._resume_at else self.jitter()
        return max(0.0, self.delay * factor - (now - self._loads[-1]), self._resume_at - now)

    def jitter(self) -> float:
        """A random factor within ±JITTER."""
        return self._rng.uniform(1 - JITTER, 1 + JITTER)
