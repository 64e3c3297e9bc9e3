"""How long `report` takes over a year of daily runs (issue 17: at most 3 s, median of 3).

Run by hand: `.venv/bin/python -m bench.report_bench [--backend sqlite|postgresql|both] [--days 365]`.
Builds `bench.history_db`'s synthetic year in a throwaway database (SQLite file or a PostgreSQL
database on 127.0.0.1:5432, dropped afterwards), then times:

- `report` as a user runs it (`python -m scraper report --db … --out …` in a subprocess: start-up,
  imports, queries, charts, files), median of `--runs`;
- the same report in-process (`charts.report.build_report`), and its parts, each median of
  `--runs`: the headline's jobs, the history's observations, the history's figures, and drawing
  and saving the charts (the rest of the in-process time), so the figures say what dominates;
- the report with the charts drawn in a second process while the history is read (what the
  `report` command does, `charts.drawing`); its CPU figure is the parent's own share, the
  critical path when two cores are free.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.history_db import CITIES, DAYS, KEYWORD, build_history
from bench.writer_bench import throwaway_database
from charts.history import history_points
from charts.report import HistoryQuery, build_report
from db.engine import make_engine, upgrade_schema
from db.latest import load_latest_jobs
from db.observations import load_history

TARGET_S = 3.0


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """The median wall and the median CPU seconds of `runs` calls of `action` (CPU: this process's
    own time, which a busy machine inflates far less than the wall clock)."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = time.process_time(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def cli_seconds(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system, the child's own) of each of `runs` runs of `command`."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def bench_backend(backend: str, *, days: int, runs: int) -> None:
    with throwaway_database(backend) as url, tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        engine = make_engine(url)
        try:
            upgrade_schema(engine)
            start = time.perf_counter()
            counts = build_history(engine, days=days)
            print(f"{backend}: built {counts} in {time.perf_counter() - start:.1f} s")
            out = Path(folder)
            command = [sys.executable, "-m", "scraper", "report", "--db", url, "--out", str(out / "cli")]
            cli_times, cli_cpus = cli_seconds(command, runs)
            cli, cli_cpu = statistics.median(cli_times), statistics.median(cli_cpus)
            query = HistoryQuery(keyword=KEYWORD)
            total = median_seconds(lambda: build_report(engine, out / "in", None, query=query), runs)
            beside = median_seconds(
                lambda: build_report(engine, out / "beside", None, query=query, parallel=True), runs
            )
            latest = median_seconds(lambda: load_latest_jobs(engine, keyword=KEYWORD, cities=None), runs)
            history = load_history(engine, site="lagou", keyword=KEYWORD, cities=list(CITIES))
            observed = median_seconds(
                lambda: load_history(engine, site="lagou", keyword=KEYWORD, cities=list(CITIES)), runs
            )
            figures = median_seconds(lambda: history_points(history), runs)
        finally:
            engine.dispose()
    verdict = "ok" if cli <= TARGET_S else "OVER"
    print(f"  report (CLI, subprocess): {cli:.2f} s median of {runs} {[round(t, 2) for t in cli_times]} "
          f"target {TARGET_S:.0f} s: {verdict}; CPU {cli_cpu:.2f} s {[round(t, 2) for t in cli_cpus]}")  # fmt: skip
    # On a shared machine the wall time includes waiting for a core; the load says how much of that there was.
    print(f"  load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    rest = tuple(t - a - b - c for t, a, b, c in zip(total, latest, observed, figures, strict=True))
    print("  in-process, median wall / CPU seconds:")
    for label, (wall, cpu) in (
        ("build_report, all of it", total),
        ("build_report, charts in a second process", beside),
        ("  headline jobs (latest crawls)", latest),
        ("  history observations (load)", observed),
        ("  history figures (per crawl)", figures),
        ("  charts, summary.json, index.html (the rest)", rest),
    ):
        print(f"    {label:<46} {wall:6.2f} / {cpu:5.2f}")
    print(f"  start-up, imports and migration check (CLI CPU − in-process CPU): {cli_cpu - total[1]:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        bench_backend(backend, days=args.days, runs=args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
