"""The replica on a later day: some postings taken down, new ones listed first, pay drifting up.

Day 0 is the replica as it always was. Day d (≥ 1) is day d − 1 changed in three known ways,
all a pure function of (city, keyword, d):
- `GONE_SHARE` of the previous day's postings are taken down (chosen by a seeded draw);
- `NEW_SHARE` of a city's size are new postings listed first (Lagou lists newest first), with
  (title, salary) pairs never listed before, so a scraper sees each as new;
- the new postings' pay level is `(1 + PAY_DRIFT) ** d` times the day-0 level, so medians drift
  up by a known amount as old postings give way to new ones.
The rest keeps its order. A list that grows past `MAX_TOTAL` loses its oldest postings off the
end, as Lagou's 30-page cap does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from scraper.sandbox.generate import Job, generate_new

GONE_SHARE = 0.05
NEW_SHARE = 0.06
PAY_DRIFT = 0.08
MAX_DAY = 365


@dataclass(frozen=True, slots=True)
class DayListing:
    """A search's list on one day, what changed since the day before, and every pair ever listed."""

    jobs: tuple[Job, ...]
    added: tuple[Job, ...]
    removed: tuple[Job, ...]
    pairs_ever: frozenset[tuple[str, str]]


def check_day(day: int) -> int:
    """`day` when it is a day the replica knows (0 to `MAX_DAY`), else ValueError."""
    if not 0 <= day <= MAX_DAY:
        raise ValueError(f"replica day must be between 0 and {MAX_DAY}, got {day}")
    return day


def next_day(previous: DayListing, *, city: str, keyword: str, day: int, size: int, cap: int) -> DayListing:
    """Day `day`'s list, from the day before's (`size`: the city's day-0 count)."""
    rng = random.Random(f"{city}|{keyword.casefold()}|changes{day}")
    gone = set(rng.sample(range(len(previous.jobs)), round(len(previous.jobs) * GONE_SHARE)))
    taken = set(previous.pairs_ever)
    added = generate_new(
        city, keyword, day=day, count=max(1, round(size * NEW_SHARE)), taken=taken, pay=(1 + PAY_DRIFT) ** day
    )
    kept = [job for index, job in enumerate(previous.jobs) if index not in gone]
    return DayListing(
        jobs=tuple([*added, *kept][:cap]),
        added=tuple(added),
        removed=tuple(job for index, job in enumerate(previous.jobs) if index in gone),
        pairs_ever=frozenset(taken),
    )
