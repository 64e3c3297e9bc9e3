"""The recorded runs as the report page lists them: when, how they ended, and what they scraped.

A run's `arguments` (stored by the crawl when it starts) say whether it scraped the bundled
replica (`sandbox`, and from which replica day) or a real site (`base_url`). Runs recorded
before a field was stored read as not sandbox, day 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Engine, select

from db.writes import RUNS


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One recorded run: its times (naive UTC), outcome, cities asked for and source."""

    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str
    cities: tuple[str, ...]
    is_sandbox: bool
    sandbox_day: int
    base_url: str


def load_runs(engine: Engine, ids: Collection[int] | None = None) -> list[RunInfo]:
    """The runs with these ids (None: every run), oldest first; unknown ids are left out."""
    stmt = select(RUNS.c.id, RUNS.c.started_at, RUNS.c.ended_at, RUNS.c.outcome, RUNS.c.arguments)
    if ids is not None:
        stmt = stmt.where(RUNS.c.id.in_(list(ids)))
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(RUNS.c.id)).all()
    return [_run_info(row.id, row.started_at, row.ended_at, row.outcome, row.arguments or {}) for row in rows]


def _run_info(
    run_id: int, started: dt.datetime, ended: dt.datetime | None, outcome: str, arguments: dict[str, object]
) -> RunInfo:
    cities = arguments.get("cities")
    day = arguments.get("sandbox_day")
    return RunInfo(
        id=run_id,
        started_at=started,
        ended_at=ended,
        outcome=outcome,
        cities=tuple(str(c) for c in cities) if isinstance(cities, list) else (),
        is_sandbox=arguments.get("sandbox") is True,
        sandbox_day=day if isinstance(day, int) else 0,
        base_url=str(arguments.get("base_url") or ""),
    )
