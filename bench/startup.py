"""Start-up cost: `python -m scraper --help` and a usage error, each in a fresh interpreter.

Every cron run and every typo pays it. Each command runs `reps` times after one warm-up (so the
page cache holds the modules, as it does on a machine that runs the tool daily); the figures
are wall seconds from process start to exit, median and range.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Any

from bench.contenders import REPO_ROOT, child_env

COMMANDS = {"help_s": ("--help",), "usage_error_s": ("--cities", "nowhere")}


def measure_startup(*, reps: int = 5) -> dict[str, Any]:
    """Median, min and max wall seconds of each start-up command."""
    results: dict[str, Any] = {}
    for name, args in COMMANDS.items():
        command = [sys.executable, "-m", "scraper", *args]
        subprocess.run(command, cwd=REPO_ROOT, env=child_env(), capture_output=True, check=False)  # warm-up
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            subprocess.run(command, cwd=REPO_ROOT, env=child_env(), capture_output=True, check=False)
            times.append(time.perf_counter() - started)
        results[name] = round(statistics.median(times), 3)
        results[f"{name}_range"] = [round(min(times), 3), round(max(times), 3)]
    results["reps"] = reps
    return results
