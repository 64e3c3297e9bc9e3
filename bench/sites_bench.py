"""`python -m bench.sites_bench [--reps N]`: 51job beside Lagou, each with the real CLI against its replica.

Per site: `python -m scraper --site S --base-url <replica> --cities 北京,上海,广州,深圳 --limit 100
--delay 0 --no-report` in a subprocess (`bench.measure.run_measured`), the 51job replica's render
delay set to 0 so the figures measure the scraper, not the replica's wait. Pages come from the
replica's own log (Lagou: listing pages answered; 51job: the page's data calls, one per page read).
Printed per site, medians over the repetitions: wall time, pages per second, CPU-seconds per page
(the whole process tree: Python, chromedriver, Chromium) and PSS per browser. A run's CPU includes
starting four browsers (about 3 CPU-s), which 51job's fewer, larger pages (20 postings, not 15)
share among fewer pages; so each site also runs at `--limit 300`, and its cost per page is the
marginal one, (CPU at 300 - CPU at 100) / (pages at 300 - pages at 100). 51job's marginal cost per
page as a multiple of Lagou's is judged against the target (at most 1.5); the whole-run ratio is
printed beside it. Last, the peak memory of both sites × 4 cities at once (two CLIs started
together, as two cron jobs would be). Also written to `bench/results/sites-<time>.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shlex
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.contenders import ALL_CITIES, child_env
from bench.measure import CommandRun, run_measured
from scraper.sandbox.job51.server import Job51Replica
from scraper.sandbox.server import ReplicaServer

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SITES = ("lagou", "51job")
LIMIT = 100
LONG_LIMIT = 300  # the second point of the marginal cost per page
COST_TARGET = 1.5  # 51job's CPU-seconds per page at most this multiple of Lagou's


@contextlib.contextmanager
def replica(site: str) -> Iterator[tuple[str, Any]]:
    """A fresh replica of `site` on 127.0.0.1 (51job's rendering at once): (root URL, server)."""
    server: Any = Job51Replica(render_delay=0.0) if site == "51job" else ReplicaServer()
    with server:
        yield server.base_url, server


def pages_read(site: str, server: Any) -> int:
    """Listing pages the scraper read, from the replica's log."""
    if site == "51job":
        return sum(1 for r in server.requests if r.kind == "data" and r.is_signed)
    return sum(1 for r in server.listing_requests() if r.status == 200 and r.fault is None)


def cli_argv(site: str, root: str, folder: Path, limit: int = LIMIT) -> list[str]:
    """The scrape command of one site into its own SQLite file in `folder`."""
    return [
        sys.executable, "-m", "scraper", "--site", site, "--base-url", root, "--cities", ",".join(ALL_CITIES),
        "--limit", str(limit), "--delay", "0", "--no-report", "--db", f"sqlite:///{folder / f'{site}.sqlite3'}",
    ]  # fmt: skip


def measure_site(site: str, limit: int = LIMIT) -> dict[str, Any]:
    """One measured scrape of `site` at `limit` postings per city (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{site}-") as folder, replica(site) as (root, server):
        run = run_measured(cli_argv(site, root, Path(folder), limit), env=child_env(), cwd=Path(folder))
        pages = pages_read(site, server)
    return _figures(run, pages)


def measure_both_at_once() -> dict[str, Any]:
    """Both sites × 4 cities at once: two CLIs under one shell, memory sampled over the whole tree."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-both-") as folder,
        replica("lagou") as (lagou_root, lagou),
        replica("51job") as (job51_root, job51),
    ):
        commands = [shlex.join(cli_argv(s, r, Path(folder))) for s, r in (("lagou", lagou_root), ("51job", job51_root))]
        script = " & ".join(commands) + " & wait"
        run = run_measured(["sh", "-c", script], env=child_env(), cwd=Path(folder))
        pages = pages_read("lagou", lagou) + pages_read("51job", job51)
    figures = _figures(run, pages)
    figures["browser_pss_total_mb"] = round(run.memory.browser_pss_total_mb, 1)
    figures["chromedriver_pss_mb"] = round(run.memory.driver_pss_mb, 1)
    figures["max_browsers"] = run.memory.max_browsers
    return figures


def _figures(run: CommandRun, pages: int) -> dict[str, Any]:
    return {
        "exit_code": run.exit_code,
        "wall_s": round(run.wall_s, 2),
        "pages": pages,
        "pages_per_s": round(pages / run.wall_s, 3) if run.wall_s else 0.0,
        "cpu_s": round(run.cpu_s, 2),
        "cpu_s_per_page": round(run.cpu_s / pages, 4) if pages else None,
        "pss_per_browser_mb": round(run.memory.browser_pss_per_browser_mb, 1),
        "machine_busy": round(run.machine_busy, 2),
        "cpu_by_kind": run.memory.cpu_by_kind,
        "stderr_tail": run.stderr[-400:] if run.exit_code else "",
    }


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each numeric figure's median over `runs` (the first run's value for the rest)."""
    merged = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, int | float) and not isinstance(value, bool) and all(r.get(key) is not None for r in runs):
            merged[key] = round(statistics.median(r[key] for r in runs), 4)
    return merged


def print_table(result: dict[str, Any]) -> None:
    """The per-site table and the cost ratio against the target."""
    print(
        f"{'site':8} {'wall s':>7} {'pages':>6} {'pages/s':>8} {'CPU-s':>7} {'CPU-s/page':>11} {'PSS/browser MB':>15} "
        f"{'pages@300':>10} {'CPU-s@300':>10} {'marginal CPU-s/page':>20}"
    )
    for site in SITES:
        f, long = result[site], result[site]["at_limit_300"]
        print(
            f"{site:8} {f['wall_s']:>7} {f['pages']:>6} {f['pages_per_s']:>8} {f['cpu_s']:>7} "
            f"{f['cpu_s_per_page']!s:>11} {f['pss_per_browser_mb']:>15} {long['pages']:>10} {long['cpu_s']:>10} "
            f"{f['marginal_cpu_s_per_page']!s:>20}"
        )
    ratio = result["cost_ratio_51job_to_lagou"]
    verdict = "met" if ratio is not None and ratio <= COST_TARGET else "NOT met"
    print(
        f"51job marginal cost per page / Lagou's: {ratio} (target <= {COST_TARGET}: {verdict}); "
        f"whole runs at --limit {LIMIT}: {result['whole_run_cost_ratio_51job_to_lagou']}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print its table and write the JSON. Returns 0, or 1 when a run failed."""
    parser = argparse.ArgumentParser(prog="python -m bench.sites_bench", description=__doc__)
    parser.add_argument("--reps", type=int, default=3, help="repetitions per site (default 3)")
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, Any]]] = {site: [] for site in SITES}
    long_runs: dict[str, list[dict[str, Any]]] = {site: [] for site in SITES}
    for _ in range(args.reps):
        for site in SITES:  # interleaved, so a burst of load elsewhere hits both alike
            runs[site].append(measure_site(site))
            long_runs[site].append(measure_site(site, LONG_LIMIT))
    result: dict[str, Any] = {site: median_of(site_runs) for site, site_runs in runs.items()}
    for site in SITES:
        long = median_of(long_runs[site])
        result[site]["at_limit_300"] = long
        extra_pages = long["pages"] - result[site]["pages"]
        extra_cpu = long["cpu_s"] - result[site]["cpu_s"]
        result[site]["marginal_cpu_s_per_page"] = round(extra_cpu / extra_pages, 4) if extra_pages > 0 else None
    result["both_at_once"] = measure_both_at_once()
    lagou_cost, job51_cost = result["lagou"]["cpu_s_per_page"], result["51job"]["cpu_s_per_page"]
    result["whole_run_cost_ratio_51job_to_lagou"] = (
        round(job51_cost / lagou_cost, 3) if lagou_cost and job51_cost else None
    )
    lagou_marginal, job51_marginal = (result[s]["marginal_cpu_s_per_page"] for s in SITES)
    result["cost_ratio_51job_to_lagou"] = (
        round(job51_marginal / lagou_marginal, 3) if lagou_marginal and job51_marginal else None
    )
    result["reps"] = args.reps
    print_table(result)
    both = result["both_at_once"]
    print(
        f"both sites x 4 cities at once: {both['max_browsers']} browsers, peak PSS of all browsers "
        f"{both['browser_pss_total_mb']} MB (+ chromedrivers {both['chromedriver_pss_mb']} MB), "
        f"{both['pages']} pages in {both['wall_s']} s"
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"sites-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path}")
    failed = [
        run for group in (runs, long_runs) for site_runs in group.values() for run in site_runs if run["exit_code"]
    ]
    return 1 if failed or both["exit_code"] else 0


if __name__ == "__main__":
    sys.exit(main())
