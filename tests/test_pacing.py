"""The adaptive delay against the replica's own rate limiter, on a simulated clock (pure, fast)."""

from __future__ import annotations

import random

import pytest

from scraper.crawl.pacing import MAX_DELAY, MIN_DELAY_AFTER_BLOCK, Pacer
from scraper.sandbox.faults import FaultInjector, FaultPlan

PAGE_LOAD_S = 0.15  # what one page costs on this machine (a headless load with images blocked)
BACKOFF_S = 10.0  # the default SCRAPER_BACKOFF


def simulate(per_minute: int, start_delay: float, seconds: float, seed: int) -> tuple[int, int, list[float]]:
    """Drive a Pacer against the replica's limiter for `seconds`; (pages, blocked, load times)."""
    clock = [0.0]
    limiter = FaultInjector(FaultPlan.parse(f"rate_limit:per_minute={per_minute}"), clock=lambda: clock[0])
    pacer = Pacer(start_delay, rng=random.Random(seed))
    pages = blocked = 0
    loads: list[float] = []
    in_a_row = 0
    while clock[0] < seconds:
        clock[0] += pacer.wait_before_next(clock[0])
        pacer.on_load(clock[0])
        refused = limiter.decide(city="北京", client_token="t") is not None
        clock[0] += PAGE_LOAD_S
        if refused:
            blocked += 1
            in_a_row += 1
            pacer.on_block()
            clock[0] += BACKOFF_S * 2 ** (in_a_row - 1)
        else:
            pages += 1
            in_a_row = 0
            loads.append(clock[0])
            pacer.on_success()
    return pages, blocked, loads


@pytest.mark.parametrize(("per_minute", "start_delay"), [(30, 1.0), (30, 0.0), (20, 0.5), (60, 0.2)])
def test_rate_limited_worker_settles_just_under_the_limit(per_minute: int, start_delay: float) -> None:
    for seed in range(5):
        pages, blocked, loads = simulate(per_minute, start_delay, seconds=180, seed=seed)
        # After the first minute (where it learns), it keeps at least 90 % of the allowed pace ...
        steady = [t for t in loads if 60 <= t < 180]
        assert len(steady) / 2 >= 0.9 * per_minute, (seed, len(steady) / 2)
        # ... and is refused for under 2 % of its requests over the three minutes.
        assert blocked / (pages + blocked) < 0.02, (seed, blocked, pages)


def test_a_clean_run_keeps_the_configured_delay() -> None:
    pacer = Pacer(3.0, rng=random.Random(1))
    for second in range(0, 100, 3):
        pacer.on_load(float(second))
        pacer.on_success()
    assert (pacer.delay, pacer.floor) == (3.0, 3.0)


def test_an_early_block_doubles_the_delay_then_eases_back_to_the_configured_one() -> None:
    pacer = Pacer(0.5, rng=random.Random(1))
    pacer.on_load(0.0)
    pacer.on_block()  # one load says nothing about a rate: no floor is learned
    assert (pacer.delay, pacer.floor) == (MIN_DELAY_AFTER_BLOCK, 0.5)
    for _ in range(10):
        pacer.on_success()
    assert pacer.delay == 0.5


def test_the_learned_floor_and_the_delay_stay_bounded() -> None:
    pacer = Pacer(0.0, rng=random.Random(1))
    for index in range(5):
        pacer.on_load(float(index))
    pacer.on_block()
    assert pacer.floor == pytest.approx(60 / 4 * 1.02)
    for _ in range(20):
        pacer.on_block()
    assert pacer.delay == MAX_DELAY
    assert MAX_DELAY <= pacer.wait_before_next(4.0) <= MAX_DELAY * 1.1
