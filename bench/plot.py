"""The benchmark's picture: scaling curve, comparison bars and memory, one PNG (matplotlib Agg).

Reads only the results dict `run_bench` writes as JSON, so a stored results file can be
drawn again: `python -m bench.plot bench/results/bench-….json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on the benchmark machine; must precede pyplot
import matplotlib.pyplot as plt

from bench.summary import PSS_PER_BROWSER_TARGET_MB

FIGURE_SIZE = (16, 5)
DPI = 110
LABEL_HEADROOM = 4.0  # log axis: the top sits this factor above the tallest bar
LEGEND_HEADROOM = 1.35  # linear axis: room for the legend above the bars
PSS_TARGET_MB = PSS_PER_BROWSER_TARGET_MB
COMPARISON_ORDER = ("plain_http", "scraper", "scraper_chromium", "scraper_sandbox", "baseline")
COLOURS = {
    "plain_http": "#8c8c8c",
    "scraper": "#00b680",
    "scraper_chromium": "#3a7bd5",
    "scraper_sandbox": "#5fd3a8",
    "baseline": "#fd5f39",
}


def _scaling_panel(axis: Any, results: dict[str, Any]) -> None:
    points = [p for p in results.get("scaling", {}).get("points", []) if p["limit"] == 100]
    long_runs = [p for p in results.get("scaling", {}).get("points", []) if p["limit"] != 100]
    axis.set_title("scaling: our workers, delay 0")
    if not points:
        axis.text(0.5, 0.5, "not measured", ha="center", transform=axis.transAxes)
        return
    workers = [p["workers"] for p in points]
    phase = [p["median"].get("page_phase_pages_per_s") or 0 for p in points]
    end_to_end = [p["median"].get("pages_per_s") or 0 for p in points]
    axis.plot(workers, phase, "o-", color=COLOURS["scraper"], label="pages/s while loading pages")
    axis.plot(workers, end_to_end, "s--", color="#2b6cb0", label="pages/s end to end (with start-up)")
    cores = int(results.get("machine", {}).get("nproc") or 1)
    axis.plot(
        workers,
        [phase[0] * min(w, cores) for w in workers],
        ":",
        color="#999999",
        label=f"linear from 1 worker, up to {cores} cores",
    )
    all_on = [(w, p["median"].get("all_active_pages_per_s")) for w, p in zip(workers, points, strict=True)]
    axis.plot(
        [w for w, v in all_on if v],
        [v for _w, v in all_on if v],
        "^",
        color="#d69e2e",
        label="pages/s while all browsers were loading",
    )
    for point in long_runs:
        axis.plot(
            [point["workers"]],
            [point["median"].get("all_active_pages_per_s") or 0],
            "D",
            color="#805ad5",
            label=f"{point['workers']} workers × {point['limit']} jobs, all browsers loading",
        )
    axis.set_xticks(workers)
    axis.set_xlabel("workers (one browser each)")
    axis.set_ylabel("listing pages per second")
    axis.set_ylim(0, phase[0] * min(max(workers), cores) * LEGEND_HEADROOM * LEGEND_HEADROOM)
    axis.legend(fontsize=7, loc="upper right")
    axis.grid(alpha=0.3)


def _comparison_panel(axis: Any, results: dict[str, Any]) -> None:
    medians = results.get("comparison", {}).get("median", {})
    axis.set_title("4 cities × 100 jobs: pages/s end to end (log)")
    names = [name for name in COMPARISON_ORDER if name in medians]
    if not names:
        axis.text(0.5, 0.5, "not measured", ha="center", transform=axis.transAxes)
        return
    values = [medians[name].get("pages_per_s") or 0 for name in names]
    bars = axis.bar(names, values, color=[COLOURS[name] for name in names])
    base = medians.get("baseline", {}).get("pages_per_s")
    for bar, value in zip(bars, values, strict=True):
        label = f"{value:.2f}" + (f"\n{value / base:.1f}× baseline" if base else "")
        axis.annotate(label, (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom", fontsize=8)
    axis.set_yscale("log")
    axis.set_ylim(top=max(values) * LABEL_HEADROOM)  # room for the labels above the tallest bar
    axis.set_ylabel("pages per second")
    axis.tick_params(axis="x", labelsize=8, labelrotation=15)


def _memory_panel(axis: Any, results: dict[str, Any]) -> None:
    axis.set_title("peak memory")
    bars: list[tuple[str, float, float]] = []
    for name in ("scraper", "scraper_chromium", "baseline"):
        median = results.get("comparison", {}).get("median", {}).get(name)
        if median:
            bars.append((name, median.get("pss_per_browser_mb") or 0, median.get("python_rss_mb") or 0))
    for point in results.get("scaling", {}).get("points", []):
        median = point["median"]
        bars.append(
            (
                f"{point['workers']}×{point['limit']}",
                median.get("pss_per_browser_mb") or 0,
                median.get("python_rss_mb") or 0,
            )
        )
    if not bars:
        axis.text(0.5, 0.5, "not measured", ha="center", transform=axis.transAxes)
        return
    positions = range(len(bars))
    width = 0.4
    axis.bar(
        [p - width / 2 for p in positions],
        [b[1] for b in bars],
        width,
        label="PSS of largest browser",
        color=COLOURS["scraper"],
    )
    axis.bar([p + width / 2 for p in positions], [b[2] for b in bars], width, label="Python RSS", color="#2b6cb0")
    axis.axhline(
        PSS_TARGET_MB, color="#fd5f39", linestyle="--", linewidth=1, label=f"{PSS_TARGET_MB:.0f} MB target per browser"
    )
    axis.set_xticks(list(positions), [b[0] for b in bars], fontsize=8, rotation=30)
    axis.set_ylabel("MB")
    axis.set_ylim(top=max(PSS_TARGET_MB, *(b[1] for b in bars)) * LEGEND_HEADROOM)
    axis.legend(fontsize=8, loc="upper left")


def draw_results(results: dict[str, Any], path: Path) -> None:
    """Draw the three panels of `results` into the PNG file `path`."""
    figure, axes = plt.subplots(1, 3, figsize=FIGURE_SIZE)
    _scaling_panel(axes[0], results)
    _comparison_panel(axes[1], results)
    _memory_panel(axes[2], results)
    machine = results.get("machine", {})
    figure.suptitle(
        f"job-salary-scraper benchmark {results.get('started_utc', '')} — {machine.get('nproc')} cores, "
        f"{machine.get('chromium')}, median of {results.get('reps')}",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    plt.close(figure)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    draw_results(json.loads(source.read_text(encoding="utf-8")), source.with_suffix(".png"))
