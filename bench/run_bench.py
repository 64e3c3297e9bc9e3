"""`python -m bench.run_bench [--quick]`: the whole benchmark, its table, JSON and plot.

Sections, in order: start-up (`--help` and a usage error in fresh interpreters), the comparison
(the real CLI against the replica with the headless shell and with full Chromium, the literal
`--sandbox` command, the naive baseline and the plain-HTTP lower bound, interleaved per
repetition so a burst of load elsewhere hits them alike), the scaling curve (1, 2, 4, 8 workers
at 100 jobs and 4 workers at 450), writer throughput (SQLite, PostgreSQL) and the rate-limited run.
Figures are medians over the repetitions; the targets are judged on them. Results go to
`bench/results/bench-<timestamp>.json` and `.png`. A full run takes 9–12 minutes on 2 cores
(more when other jobs share them), `--quick` about 3. `--report FILE` reprints a stored run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.contenders import ALL_CITIES, run_child, run_cli
from bench.cpuload import wait_for_quiet
from bench.machine import describe_machine
from bench.ratelimit import run_rate_limited
from bench.startup import measure_startup
from bench.summary import evaluate_targets, median_runs, print_report
from bench.writer_bench import measure_writer

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCALING_WORKERS = (1, 2, 4, 8)
SECOND_KEYWORD = "Java"  # eight workers: the four big cities × Python and Java
LONG_LIMIT = 450
DEFAULT_LIMIT = 100
FULL = {"reps": 3, "writer_rows": 100_000, "writer_runs": 3, "rate_seconds": 180.0}
QUICK = {"reps": 1, "writer_rows": 20_000, "writer_runs": 1, "rate_seconds": 60.0}
SECTIONS = ("startup", "comparison", "scaling", "writer", "rate")

log = logging.getLogger("bench")


def scaling_pairs(workers: int) -> list[tuple[str, str]]:
    """City/keyword pairs for `workers` workers: cities first, then a second keyword."""
    pairs = [(city, keyword) for keyword in ("Python", SECOND_KEYWORD) for city in ALL_CITIES]
    return pairs[:workers]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; `--quick` changes the defaults of the sizing options."""
    parser = argparse.ArgumentParser(prog="python -m bench.run_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, smaller writer run, 1-minute rate run")
    parser.add_argument("--reps", type=int, help="repetitions of each scrape (default 3, quick 1)")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    parser.add_argument("--writer-rows", type=int, help="rows per writer run (default 100000, quick 20000)")
    parser.add_argument("--writer-runs", type=int, help="writer runs per database (default 3, quick 1)")
    parser.add_argument("--rate-per-minute", type=int, default=30, help="the replica's limit R (default 30)")
    parser.add_argument("--rate-delay", type=float, help="the scraper's starting delay (default 30/R s, half of 60/R)")
    parser.add_argument("--rate-seconds", type=float, help="rate-limited run length (default 180, quick 60)")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=5.0,
        help="seconds to wait, before each scrape, for other jobs to leave the CPU (default 5)",
    )
    parser.add_argument("--quiet-threshold", type=float, default=0.5, help="machine busy share counted as quiet")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder (default bench/results)")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="JSON",
        help="measure nothing: print the tables of a stored results file and redraw its PNG",
    )
    args = parser.parse_args(argv)
    sizing = QUICK if args.quick else FULL
    for key, value in sizing.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.rate_delay is None:
        args.rate_delay = 30.0 / args.rate_per_minute
    return args


def _measured(args: argparse.Namespace, label: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Wait for a quiet machine, run one measurement, print one progress line."""
    quiet = wait_for_quiet(threshold=args.quiet_threshold, max_wait_s=args.quiet_wait)
    result = run()
    result["quiet_wait"] = quiet
    print(
        f"  {label:<28} {result['wall_s']:7.2f} s  {result.get('pages', 0):4d} pages  {result['jobs']:5d} jobs"
        f"  keys {'ok' if result['keys_ok'] else 'MISMATCH'}  others busy {result['others_busy']:.0%}",
        flush=True,
    )
    return result


def run_comparison(args: argparse.Namespace) -> dict[str, Any]:
    """CLI, CLI --sandbox, baseline and plain HTTP, `args.reps` times each, interleaved."""
    pairs = [(city, "Python") for city in ALL_CITIES]
    contenders: dict[str, Callable[[], dict[str, Any]]] = {
        "scraper": lambda: run_cli(browser="headless-shell"),
        "scraper_chromium": lambda: run_cli(browser="chromium"),
        "scraper_sandbox": lambda: run_cli(sandbox=True),
        "baseline": lambda: run_child("baseline", "bench.baseline", pairs),
        "plain_http": lambda: run_child("plain HTTP", "bench.plain_http", pairs),
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in contenders}
    for rep in range(1, args.reps + 1):
        print(f"comparison, repetition {rep}/{args.reps}", flush=True)
        for name, run in contenders.items():
            runs[name].append(_measured(args, name, run))
    medians = {name: median_runs(results) for name, results in runs.items()}
    base = medians["baseline"]
    ratios = {
        name: {
            "pages_per_s": round(m["pages_per_s"] / base["pages_per_s"], 2) if base.get("pages_per_s") else None,
            "jobs_per_s": round(m["jobs_per_s"] / base["jobs_per_s"], 2) if base.get("jobs_per_s") else None,
            "wall_s": round(base["wall_s"] / m["wall_s"], 2) if m.get("wall_s") else None,
        }
        for name, m in medians.items()
    }
    return {"runs": runs, "median": medians, "speedup_vs_baseline": ratios}


def run_startup(args: argparse.Namespace) -> dict[str, Any]:
    """`--help` and a usage error, 5 fresh interpreters each."""
    print("start-up: --help and a usage error, 5 runs each", flush=True)
    result = measure_startup(reps=5)
    print(f"  --help {result['help_s']:.3f} s, usage error {result['usage_error_s']:.3f} s (medians)", flush=True)
    return result


def run_scaling(args: argparse.Namespace) -> dict[str, Any]:
    """Our workers (bench.fleet) at 1, 2, 4, 8 workers × 100 jobs, and 4 workers × 450 jobs."""
    points = [(workers, DEFAULT_LIMIT) for workers in SCALING_WORKERS] + [(len(ALL_CITIES), LONG_LIMIT)]
    results = []
    for workers, limit in points:
        print(f"scaling: {workers} workers, {limit} jobs each", flush=True)
        pairs = scaling_pairs(workers)
        runs = []
        for rep in range(args.reps):

            def measure(pairs: list[tuple[str, str]] = pairs, limit: int = limit) -> dict[str, Any]:
                return run_child(f"fleet {len(pairs)}x{limit}", "bench.fleet", pairs, limit=limit)

            runs.append(_measured(args, f"fleet {workers}×{limit} rep {rep + 1}", measure))
        results.append({"workers": workers, "limit": limit, "median": median_runs(runs), "runs": runs})
    return {"points": results}


def run_writer(args: argparse.Namespace) -> dict[str, Any]:
    """JobWriter rows a second on SQLite and PostgreSQL."""
    results = {}
    for backend in ("sqlite", "postgresql"):
        print(f"writer: {backend}, {args.writer_runs} × {args.writer_rows} rows", flush=True)
        results[backend] = measure_writer(backend, rows=args.writer_rows, runs=args.writer_runs)
        print(f"  {results[backend].get('rows_per_s', results[backend].get('error'))} rows/s", flush=True)
    return results


def run_rate(args: argparse.Namespace) -> dict[str, Any]:
    """The rate-limited run with the scraper's own adaptive delay."""
    print(
        f"rate-limited: R={args.rate_per_minute}/min, start delay {args.rate_delay:g} s, {args.rate_seconds:g} s",
        flush=True,
    )
    result = run_rate_limited(per_minute=args.rate_per_minute, delay=args.rate_delay, duration_s=args.rate_seconds)
    kind = "sustained" if result["steady_after_s"] else "over the whole run"
    print(f"  {result['pages_per_min']:.1f} pages/min {kind}, {result['blocked_share']:.1%} refused", flush=True)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected sections, print the table, write JSON and PNG; 0 when everything ran."""
    args = parse_args(argv)
    if args.report is not None:
        return reprint(args.report)
    logging.basicConfig(level=logging.ERROR, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    started = time.monotonic()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    sections = args.only or list(SECTIONS)
    results: dict[str, Any] = {
        "started_utc": stamp,
        "argv": list(sys.argv[1:] if argv is None else argv),
        "quick": args.quick,
        "reps": args.reps,
        "machine": describe_machine(),
    }
    runners = {
        "startup": run_startup,
        "comparison": run_comparison,
        "scaling": run_scaling,
        "writer": run_writer,
        "rate": run_rate,
    }
    for section in SECTIONS:
        if section in sections:
            results[section] = runners[section](args)
    results["duration_s"] = round(time.monotonic() - started, 1)
    results["targets"] = evaluate_targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    json_path = args.out / f"bench-{stamp}.json"
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    png_path = args.out / f"bench-{stamp}.png"
    from bench.plot import draw_results  # matplotlib only once the measurements are done

    draw_results(results, png_path)
    print_report(results, out=sys.stdout)
    print(f"\nresults: {json_path}\nplot:    {png_path}")
    return 0


def reprint(path: Path) -> int:
    """Print the tables of a stored results file (targets judged again) and redraw its PNG."""
    from bench.plot import draw_results

    results = json.loads(path.read_text(encoding="utf-8"))
    results["targets"] = evaluate_targets(results)
    print_report(results, out=sys.stdout)
    draw_results(results, path.with_suffix(".png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
