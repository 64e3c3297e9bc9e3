"""The replica on later days: known, deterministic changes; day 0 untouched."""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import urllib.request

import pytest

from charts.summary import format_change
from scraper.model.salary import parse_salary
from scraper.sandbox import data, days
from scraper.sandbox.__main__ import main as sandbox_main
from scraper.sandbox.server import ReplicaServer

CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都")


def pairs(jobs: list[data.Job]) -> set[tuple[str, str]]:
    return {(job["positionName"].strip(), job["salary"]) for job in jobs}


def test_day_0_is_the_replica_as_it_always_was() -> None:
    for city in CITIES:
        assert data.jobs_for(city, "Python") == data.jobs_for(city, "Python", 0)
        assert data.changes(city, "Python", 0) == ([], [])
    assert ReplicaServer().day == 0


@pytest.mark.parametrize("city", CITIES)
def test_each_day_takes_some_down_lists_new_ones_first_and_keeps_the_rest_in_order(city: str) -> None:
    size = data.JOB_COUNTS[city]
    ever = pairs(data.jobs_for(city, "Python", 0))
    for day in (1, 2, 3):
        before, now = data.jobs_for(city, "Python", day - 1), data.jobs_for(city, "Python", day)
        added, removed = data.changes(city, "Python", day)
        assert len(added) == max(1, round(size * days.NEW_SHARE))
        assert len(removed) == round(len(before) * days.GONE_SHARE)
        assert now[: len(added)] == added  # newest first
        kept = [job for job in before if job not in removed]
        assert now[len(added) :] == kept[: data.MAX_TOTAL - len(added)]
        assert not pairs(added) & ever  # never listed before: every one is new to a scraper
        ever |= pairs(added)
        assert {job["positionId"] for job in added}.isdisjoint(job["positionId"] for job in before)
    assert data.jobs_for(city, "Python", 3) == data.jobs_for(city, "Python", 3)  # deterministic


def test_new_postings_pay_drifts_up_by_the_known_factor() -> None:
    def median_low(day: int) -> float:
        lows = [
            parse_salary(job["salary"]).monthly_min
            for city in CITIES[:4]
            for job in data.changes(city, "Python", day)[0]
        ]
        return statistics.median(low for low in lows if low is not None)

    assert median_low(10) > median_low(1) * (1 + days.PAY_DRIFT) ** 5


def test_a_day_outside_the_known_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^replica day must be between 0 and 365, got 366$"):
        ReplicaServer(day=366)
    done = subprocess.run(
        [sys.executable, "-m", "scraper.sandbox", "--day", "x"], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 2
    assert "day must be a whole number from 0 to 365, got 'x'" in done.stderr


def test_the_standalone_replica_serves_the_day_it_was_given(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=sandbox_main, args=(["--day", "2"],), kwargs={"stop": stop})
    thread.start()
    try:
        for _ in range(100):
            base = capsys.readouterr().out.strip()
            if base:
                break
            stop.wait(0.05)
        with urllib.request.urlopen(f"{base}/wn/jobs?city=%E5%8C%97%E4%BA%AC&kd=Python&pn=1") as answer:  # noqa: S310
            body = answer.read().decode()
    finally:
        stop.set()
        thread.join(timeout=10)
    first = data.jobs_on_page("北京", "Python", 1, 2)[0]
    assert str(first["positionId"]) in body
    assert str(data.jobs_on_page("北京", "Python", 1, 0)[0]["positionId"]) not in body


def test_median_changes_are_signed_with_a_real_minus_or_a_dash() -> None:
    assert [format_change(v) for v in (1250.0, -500.0, 0.2, None, 12345.6)] == [
        "+1,250",
        "\u2212500",
        "0",
        "\u2014",
        "+12,346",
    ]
