"""Summaries of a benchmark: medians over repetitions, the targets, and the printed tables.

The targets are the issue's numbers. Each is judged on the median of its runs and names
the figure it was judged on, so a reader can see why it passed or failed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any, TextIO

SPEEDUP_TARGET = 6.0  # × faster than the baseline, end to end (wall time)
CPU_TARGET_S = 6.0  # CPU-seconds of the scraper, its drivers and browsers, 4 × 100
AGGREGATE_PAGES_TARGET = 10.0  # pages/s with 4 workers at delay 0
END_TO_END_TARGET_S = 8.0
PSS_PER_BROWSER_TARGET_MB = 200.0
PYTHON_RSS_TARGET_MB = 120.0
STARTUP_TARGET_S = 0.3  # --help, and a usage error
WRITER_TARGET_ROWS_S = 5000.0
RATE_PAGES_SHARE = 0.9
RATE_BLOCKED_SHARE = 0.02
FOUR_WORKERS = 4
LONG_LIMIT = 450
BUSY_WARNING_SHARE = 0.15  # warn when other processes took more than this share of the CPU

COMPARISON_COLUMNS = (
    ("wall_s", "wall s", "{:.2f}"),
    ("pages", "pages", "{:.0f}"),
    ("jobs", "jobs", "{:.0f}"),
    ("pages_per_s", "pages/s", "{:.2f}"),
    ("jobs_per_s", "jobs/s", "{:.1f}"),
    ("page_phase_pages_per_s", "phase p/s", "{:.1f}"),
    ("all_active_pages_per_s", "all-on p/s", "{:.1f}"),
    ("browser_start_s", "start s", "{:.2f}"),
    ("first_page_s", "1st page s", "{:.2f}"),
    ("pss_per_browser_mb", "PSS/br MB", "{:.0f}"),
    ("pss_total_mb", "PSS tot MB", "{:.0f}"),
    ("python_rss_mb", "Py RSS MB", "{:.0f}"),
    ("cpu_s", "CPU s", "{:.1f}"),
    ("others_busy", "others", "{:.0%}"),
)


def median_runs(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One dict of medians: numbers → median (None ignored), booleans → all, the rest from the first run."""
    if not runs:
        return {}
    merged: dict[str, Any] = {}
    for key, first in runs[0].items():
        values = [run.get(key) for run in runs]
        if isinstance(first, bool):
            merged[key] = all(bool(value) for value in values)
        elif isinstance(first, int | float) or first is None:
            numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
            merged[key] = round(statistics.median(numbers), 3) if numbers else None
        elif isinstance(first, dict):
            # A dict of numbers (e.g. CPU by process kind): the median of each entry.
            names = {name for value in values if isinstance(value, dict) for name in value}
            merged[key] = {
                name: round(statistics.median(v.get(name, 0) for v in values if isinstance(v, dict)), 3)
                for name in sorted(names)
            }
        else:
            merged[key] = first
    return merged


def _target(
    name: str, measured: float | None, threshold: float, *, basis: str, is_max: bool = False, is_strict: bool = False
) -> dict[str, Any]:
    """One target: met when `measured` ≥ `threshold` (≤ with `is_max`; < or > with `is_strict`)."""
    if measured is None:
        met = False
    elif is_max:
        met = measured < threshold if is_strict else measured <= threshold
    else:
        met = measured > threshold if is_strict else measured >= threshold
    return {"target": name, "threshold": threshold, "measured": measured, "met": met, "basis": basis}


def _scaling_point(results: dict[str, Any], workers: int, limit: int) -> dict[str, Any]:
    for point in results.get("scaling", {}).get("points", []):
        if point["workers"] == workers and point["limit"] == limit:
            median: dict[str, Any] = point["median"]
            return median
    return {}


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target the sections that ran can answer, judged on medians."""
    targets = []
    comparison = results.get("comparison", {}).get("median", {})
    if comparison:
        cli, sandbox = comparison["scraper"], comparison["scraper_sandbox"]
        speedup = results["comparison"]["speedup_vs_baseline"]["scraper"]["wall_s"]
        targets += [
            _target(
                "faster than the baseline (×)",
                speedup,
                SPEEDUP_TARGET,
                basis="baseline wall ÷ CLI wall (headless shell), 4 × 100, delay 0, end to end",
            ),
            _target(
                "CPU-seconds, 4 × 100",
                cli.get("cpu_s"),
                CPU_TARGET_S,
                is_max=True,
                basis="CLI run (headless shell): Python + chromedriver + browsers, user + system",
            ),
            _target(
                "sandbox all/100/delay 0 end to end (s)",
                sandbox.get("wall_s"),
                END_TO_END_TARGET_S,
                is_max=True,
                basis="literal `--sandbox … --no-report` command, process start to exit",
            ),
            _target(
                "PSS per browser worker (MB)",
                cli.get("pss_per_browser_mb"),
                PSS_PER_BROWSER_TARGET_MB,
                is_max=True,
                basis="CLI run (headless shell), peak PSS of the largest browser tree",
            ),
            _target(
                "Python process RSS (MB)",
                cli.get("python_rss_mb"),
                PYTHON_RSS_TARGET_MB,
                is_max=True,
                basis="CLI run, peak RSS (VmHWM) of the Python process",
            ),
        ]
    startup = results.get("startup")
    if startup:
        targets += [
            _target(
                "--help (s)",
                startup["help_s"],
                STARTUP_TARGET_S,
                is_max=True,
                basis=f"median of {startup['reps']} fresh interpreters, wall",
            ),
            _target(
                "usage error, unknown city (s)",
                startup["usage_error_s"],
                STARTUP_TARGET_S,
                is_max=True,
                basis=f"median of {startup['reps']} fresh interpreters, wall",
            ),
        ]
    long_run = _scaling_point(results, FOUR_WORKERS, LONG_LIMIT)
    if long_run:
        runs = next(
            p["runs"] for p in results["scaling"]["points"] if p["workers"] == FOUR_WORKERS and p["limit"] == LONG_LIMIT
        )
        # A run has no such stretch when one browser starts after another has finished its city.
        counted = sum(1 for run in runs if run.get("all_active_pages_per_s") is not None)
        targets.append(
            _target(
                "aggregate pages/s, 4 workers, delay 0",
                long_run.get("all_active_pages_per_s"),
                AGGREGATE_PAGES_TARGET,
                basis=f"fleet 4×450, while all 4 browsers were loading "
                f"pages ({counted} of {len(runs)} runs had such a stretch)",
            )
        )
    for backend, figures in results.get("writer", {}).items():
        targets.append(
            _target(
                f"writer rows/s, {backend}",
                figures.get("rows_per_s"),
                WRITER_TARGET_ROWS_S,
                basis=f"median of {len(figures.get('runs', []))} runs of {figures.get('rows')} rows",
            )
        )
    rate = results.get("rate")
    if rate and not rate["steady_after_s"]:
        # Under 90 s there is no sustained part: the first window's free pages would flatter any delay.
        targets.append(
            {
                "target": f"rate-limited R={rate['per_minute']}",
                "threshold": None,
                "measured": None,
                "met": None,
                "basis": "not judged: the run is too short for a sustained rate",
            }
        )
    elif rate:
        per_minute = rate["per_minute"]
        targets += [
            _target(
                f"pages/min under R={per_minute}",
                rate["pages_per_min"],
                RATE_PAGES_SHARE * per_minute,
                basis=f"median city, sustained (after the first {rate['steady_after_s']:.0f} s)",
            ),
            _target(
                "requests refused (share)",
                rate["blocked_share"],
                RATE_BLOCKED_SHARE,
                is_max=True,
                is_strict=True,
                basis="median city, whole run",
            ),
        ]
    return targets


def _busiest_run(results: dict[str, Any]) -> tuple[str, float] | None:
    """The measured scrape during which other processes used the most CPU, and their share."""
    runs = [run for runs in results.get("comparison", {}).get("runs", {}).values() for run in runs]
    runs += [run for point in results.get("scaling", {}).get("points", []) for run in point["runs"]]
    if not runs:
        return None
    worst = max(runs, key=lambda run: run.get("others_busy", 0.0))
    return str(worst["name"]), float(worst.get("others_busy", 0.0))


def _cell(value: Any, fmt: str) -> str:
    if value is None:
        return "–"
    return fmt.format(value)


def _table(title: str, rows: Sequence[tuple[str, dict[str, Any]]], out: TextIO, first: str = "") -> None:
    out.write(f"\n{title}\n")
    header = [first.ljust(22)] + [label.rjust(10) for _key, label, _fmt in COMPARISON_COLUMNS]
    out.write(" ".join(header) + "\n")
    for name, figures in rows:
        cells = [name.ljust(22)] + [_cell(figures.get(key), fmt).rjust(10) for key, _label, fmt in COMPARISON_COLUMNS]
        out.write(" ".join(cells) + "\n")


def print_report(results: dict[str, Any], *, out: TextIO) -> None:
    """The medians, ratios, scaling, writer, rate-limit figures and targets as plain-text tables."""
    machine = results["machine"]
    out.write(
        f"\nmachine: {machine['nproc']} cores ({machine['cpu_model']}), {machine['memory_total_mb']} MB, "
        f"{machine['chromium']}, Python {machine['python']}, reps {results['reps']}\n"
    )
    startup = results.get("startup")
    if startup:
        out.write(
            f"\nstart-up (fresh interpreter, median of {startup['reps']}): --help {startup['help_s']:.3f} s "
            f"{startup['help_s_range']}, usage error {startup['usage_error_s']:.3f} s "
            f"{startup['usage_error_s_range']}\n"
        )
    comparison = results.get("comparison")
    if comparison:
        _table("comparison (medians; 4 cities × 100 jobs, delay 0)", list(comparison["median"].items()), out)
        ratios = comparison["speedup_vs_baseline"]
        out.write(
            "ratio to baseline: "
            + ", ".join(
                f"{name} {r['pages_per_s']}× pages/s, {r['wall_s']}× faster"
                for name, r in ratios.items()
                if name != "baseline"
            )
            + "\n"
        )
    scaling = results.get("scaling")
    if scaling:
        rows = [(f"{p['workers']} workers × {p['limit']}", p["median"]) for p in scaling["points"]]
        _table("scaling (our workers, bench.fleet; medians)", rows, out)
    for backend, figures in results.get("writer", {}).items():
        out.write(
            f"\nwriter {backend}: {figures.get('rows_per_s', figures.get('error'))} rows/s (runs {figures.get('runs')})"
        )
    rate = results.get("rate")
    if rate:
        kind = "sustained" if rate["steady_after_s"] else "over the whole run, free first window included"
        out.write(
            f"\n\nrate-limited R={rate['per_minute']}/min, start delay {rate['start_delay_s']:g} s, "
            f"{rate['duration_s']:g} s: {rate['pages_per_min']:.1f} pages/min {kind} "
            f"({rate['share_of_limit']:.0%} of R), {rate['blocked_share']:.1%} refused\n"
        )
        for city in rate["cities"]:
            overall, steady = city["overall"], city["steady"]
            out.write(
                f"  {city['city']}: {overall['pages']} pages, {overall['blocked']} refused of "
                f"{overall['requests']}; {overall['pages_per_min']}/min overall, "
                f"{steady['pages_per_min']}/min sustained\n"
            )
    out.write("\n\ntargets\n")
    for target in results.get("targets", []):
        measured = "–" if target["measured"] is None else f"{target['measured']:g}"
        threshold = "–" if target["threshold"] is None else f"{target['threshold']:g}"
        verdict = "n/a" if target["met"] is None else "met" if target["met"] else "MISSED"
        out.write(f"  {verdict:<6} {target['target']:<42} {measured:>10} (target {threshold}; {target['basis']})\n")
    busiest = _busiest_run(results)
    if busiest is not None and busiest[1] > BUSY_WARNING_SHARE:
        out.write(
            f"\nwarning: other processes used up to {busiest[1]:.0%} of the CPU during a measured run "
            f"({busiest[0]}); on this shared machine the scrape figures are pessimistic\n"
        )
