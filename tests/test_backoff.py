"""The one backoff rule: doubling steps, the cap, the jitter band, and bad arguments."""

from __future__ import annotations

import random

import pytest

from scraper.common.backoff import JITTER, backoff_delay


@pytest.mark.parametrize(("attempt", "step"), [(1, 10), (2, 20), (3, 40), (4, 80)])
def test_backoff_doubles_each_attempt_within_the_jitter_band(attempt: int, step: float) -> None:
    rng = random.Random(7)
    waits = [backoff_delay(10, attempt, rng) for _ in range(500)]
    assert min(waits) >= step * (1 - JITTER)
    assert max(waits) <= step * (1 + JITTER)
    # The band is used, not one point of it: the jitter really spreads retries apart.
    assert max(waits) - min(waits) > step * JITTER


def test_backoff_cap_bounds_the_step_before_jitter() -> None:
    rng = random.Random(1)
    waits = [backoff_delay(1, 20, rng, cap=5) for _ in range(200)]
    assert min(waits) >= 5 * (1 - JITTER)
    assert max(waits) <= 5 * (1 + JITTER)


def test_backoff_is_repeatable_with_the_same_seed() -> None:
    assert backoff_delay(3, 2, random.Random(42)) == backoff_delay(3, 2, random.Random(42))


@pytest.mark.parametrize(("base", "attempt"), [(10, 0), (-1, 1)])
def test_backoff_refuses_bad_arguments(base: float, attempt: int) -> None:
    with pytest.raises(ValueError, match="backoff needs attempt >= 1"):
        backoff_delay(base, attempt, random.Random())
