"""The contenders: run one measured scrape each (real CLI, fleet, baseline, plain HTTP) and read it.

Every contender runs in its own subprocess against a fresh replica on 127.0.0.1 that this
process serves, so page counts and timings come from the replica's request log (the same
monotonic clock as the launch time) rather than from the contender's own claims. Each
run is checked against the replica's oracle: the first `limit` unique (city, title, salary)
keys of each listing. Subprocesses run in a temporary folder, so no `.env`, log, lock or
snapshot of the checkout is read or written, and SCRAPER_* variables are removed from their
environment.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.measure import CommandRun, run_measured
from scraper.sandbox import data
from scraper.sandbox.server import ReplicaServer

REPO_ROOT = Path(__file__).resolve().parent.parent
ALL_CITIES = ("北京", "上海", "广州", "深圳")
CITY_LINE = re.compile(r"^(\S+): \w+, (\d+) postings .*?, (\d+) pages", re.MULTILINE)
SCRUBBED_VARIABLES = ("DATABASE_URL", "CHROMEDRIVER", "CHROME_BIN")
HTTP_OK = 200

Pair = tuple[str, str]


def child_env() -> dict[str, str]:
    """This environment without the scraper's settings, with the checkout importable (for bench.*)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SCRAPER_") and key not in SCRUBBED_VARIABLES
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO_ROOT), env.get("PYTHONPATH", ""))))
    return env


def expected_keys(city: str, keyword: str, limit: int) -> list[tuple[str, str, str]]:
    """The replica's first `limit` unique (city, title, salary) keys for a search, in listing order."""
    return data.first_unique(city, keyword, limit)


def _expected(pairs: Sequence[Pair], limit: int) -> set[tuple[str, str, str]]:
    return {key for city, keyword in pairs for key in expected_keys(city, keyword, limit)}


def _request_figures(server: ReplicaServer | None, launched: float) -> dict[str, Any]:
    """Pages, time to each worker's first page and page rates, from the replica's log.

    Workers are told apart by their cookie token (each browser gets its own; no run here is
    blocked, so none clears it). `all_active_pages_per_s` counts only the time when every
    worker had loaded its first page and none had loaded its last: the aggregate rate of N
    workers, free of staggered start-ups and early finishers.
    """
    if server is None:
        return {}
    listing = [r for r in server.listing_requests() if r.status == HTTP_OK and r.fault is None]
    if not listing:
        return {"pages": 0}
    times: dict[str, list[float]] = {}
    for record in listing:
        times.setdefault(record.client_token, []).append(record.time)
    span = listing[-1].time - listing[0].time
    window_start = max(worker[0] for worker in times.values())
    window_end = min(worker[-1] for worker in times.values())
    inside = [r.time for r in listing if window_start <= r.time <= window_end]
    window = window_end - window_start
    return {
        "pages": len(listing),
        "first_page_s": round(window_start - launched, 3),  # the slowest browser's first page
        "first_page_min_s": round(min(worker[0] for worker in times.values()) - launched, 3),
        "last_page_s": round(listing[-1].time - launched, 3),
        "page_phase_pages_per_s": round((len(listing) - 1) / span, 2) if span > 0 else None,
        "all_active_pages_per_s": (
            round((len(inside) - 1) / window, 2) if window > 0 and len(inside) > len(times) else None
        ),
        "all_active_s": round(max(window, 0.0), 3),
        "asset_requests": len(server.requests) - len(server.listing_requests()),
    }


def _summary(
    name: str, run: CommandRun, figures: dict[str, Any], *, jobs: int, keys_ok: bool, startup: Sequence[float]
) -> dict[str, Any]:
    pages = figures.get("pages", 0)
    memory = run.memory
    result = {
        "name": name,
        "exit_code": run.exit_code,
        "wall_s": round(run.wall_s, 3),
        "jobs": jobs,
        "keys_ok": keys_ok,
        "pages_per_s": round(pages / run.wall_s, 3),
        "jobs_per_s": round(jobs / run.wall_s, 2),
        "browser_start_s": round(statistics.median(startup), 3) if startup else None,
        "browser_start_max_s": round(max(startup), 3) if startup else None,
        "pss_per_browser_mb": round(memory.browser_pss_per_browser_mb, 1),
        "pss_total_mb": round(memory.browser_pss_total_mb, 1),
        "chromedriver_pss_mb": round(memory.driver_pss_mb, 1),
        "python_rss_mb": round(memory.python_rss_mb, 1),
        "max_browsers": memory.max_browsers,
        "max_chromium_processes": memory.max_chromium_processes,
        "memory_samples": memory.samples,
        "sampler_cpu_s": memory.sampler_cpu_s,
        "cpu_s": run.cpu_s,
        "loadavg_before": round(run.loadavg_before, 2),
        "machine_busy": run.machine_busy,
        "others_busy": run.others_busy,
        "replica_cpu_s": run.bench_cpu_s,
        "cpu_by_kind": memory.cpu_by_kind,
    }
    result.update(figures)
    if run.exit_code != 0:
        result["stderr_tail"] = run.stderr[-600:]
    return result


def _db_keys(path: Path) -> set[tuple[str, str, str]]:
    if not path.exists():
        return set()
    with sqlite3.connect(path) as conn:
        return {(city, title, salary) for city, title, salary in conn.execute("SELECT city, title, salary FROM jobs")}


def run_cli(
    *, cities: Sequence[str] = ALL_CITIES, limit: int = 100, sandbox: bool = False, browser: str = "auto"
) -> dict[str, Any]:
    """The real CLI (`python -m scraper … --delay 0 --no-report --browser B`) against a fresh replica,
    or with `--sandbox` (the CLI serves its own replica; pages then come from its output lines)."""
    pairs = [(city, "Python") for city in cities]
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        database = Path(folder) / "jobs.sqlite3"
        argv = [
            sys.executable,
            "-m",
            "scraper",
            "--cities",
            ",".join(cities),
            "--limit",
            str(limit),
            "--delay",
            "0",
            "--no-report",
            "--db",
            f"sqlite:///{database}",
            "--browser",
            browser,
        ]
        if sandbox:
            run = run_measured([*argv, "--sandbox"], env=child_env(), cwd=Path(folder))
            figures: dict[str, Any] = {"pages": sum(int(m[3]) for m in CITY_LINE.finditer(run.stdout))}
        else:
            with ReplicaServer() as server:
                run = run_measured([*argv, "--base-url", server.base_url], env=child_env(), cwd=Path(folder))
                figures = _request_figures(server, run.started)
        keys = _db_keys(database)
    name = ("scraper CLI --sandbox" if sandbox else "scraper CLI") + ("" if browser == "auto" else f" ({browser})")
    return _summary(name, run, figures, jobs=len(keys), keys_ok=keys == _expected(pairs, limit), startup=())


def run_child(name: str, module: str, pairs: Sequence[Pair], *, limit: int = 100) -> dict[str, Any]:
    """A bench child (`bench.baseline`, `bench.plain_http` or `bench.fleet`) against a fresh replica."""
    with tempfile.TemporaryDirectory(prefix="bench-child-") as folder, ReplicaServer() as server:
        argv = [sys.executable, "-m", module, "--base-url", server.base_url, "--limit", str(limit)]
        if module == "bench.fleet":
            argv += [
                "--pairs",
                ",".join(f"{city}:{keyword}" for city, keyword in pairs),
                "--delay",
                "0",
                "--db",
                f"sqlite:///{Path(folder) / 'jobs.sqlite3'}",
            ]
        else:
            argv += ["--cities", ",".join(city for city, _ in pairs), "--keyword", pairs[0][1]]
        run = run_measured(argv, env=child_env(), cwd=Path(folder))
        figures = _request_figures(server, run.started)
    try:
        output = json.loads(run.stdout)
    except json.JSONDecodeError:
        output = {"cities": [], "startup_s": []}
    keys = {tuple(key) for city in output["cities"] for key in city["keys"]}
    startup = output.get("startup_s") or [c["startup_s"] for c in output["cities"] if c.get("startup_s")]
    result = _summary(name, run, figures, jobs=len(keys), keys_ok=keys == _expected(pairs, limit), startup=startup)
    result["workers"] = len(pairs)
    return result
