"""How soon a run ends when it must: a frozen chromedriver under `--timeout 30`, and pages of 20 s
and 60 s under `--timeout 10` (the figures docs/reliability.md quotes).

Each case runs the real CLI in a fresh process against the replica, `reps` times, and prints the
median and range of the wall seconds from start to exit, the exit codes, and how many of the run's
browser processes (found by the run's marker) were left afterwards. Run by hand:
`.venv/bin/python -m bench.stop_times [reps]`.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scraper.browser.processes import RUN_MARKER_VAR
from scraper.sandbox.server import ReplicaServer

FREEZE_AFTER_S = 8.0  # every city has its browser by then


def marked(owner: int) -> list[int]:
    """Live processes carrying the run marker of process `owner`."""
    found = []
    prefix = f"{RUN_MARKER_VAR}={owner}:".encode()
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes() if entry.name.isdigit() else b""
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] if environ else "Z"
        except OSError:
            continue
        if state != "Z" and any(item.startswith(prefix) for item in environ.split(b"\0")):
            found.append(int(entry.name))
    return found


def run_once(base_url: str, cities: str, timeout: str, *, freeze: bool) -> tuple[int, float, int]:
    """(exit code, seconds, browser processes left) of one run; `freeze`: SIGSTOP one chromedriver."""
    folder = tempfile.mkdtemp(prefix="jss-stop-")
    env = {**os.environ, "SCRAPER_LOCK_FILE": f"{folder}/run.lock"}
    command = [sys.executable, "-m", "scraper", "--base-url", base_url, "--cities", cities, "--limit", "450"]
    command += ["--delay", "1", "--timeout", timeout, "--db", f"sqlite:///{folder}/jobs.sqlite3", "--no-report"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if freeze:
        time.sleep(FREEZE_AFTER_S)
        driver = next(p for p in marked(process.pid) if Path(f"/proc/{p}/comm").read_text().strip() == "chromedriver")
        os.kill(driver, signal.SIGSTOP)
    code = process.wait(timeout=300)
    seconds = time.monotonic() - started
    time.sleep(0.5)
    left = len(marked(process.pid))
    shutil.rmtree(folder, ignore_errors=True)
    return code, seconds, left


def measure(reps: int) -> None:
    cases = [
        ("frozen chromedriver, 4 cities, --timeout 30", 0.0, "北京,上海,广州,深圳", "30", True),
        ("20 s pages, 2 cities, --timeout 10", 20.0, "北京,上海", "10", False),
        ("60 s pages, 2 cities, --timeout 10", 60.0, "北京,上海", "10", False),
    ]
    for name, latency, cities, timeout, freeze in cases:
        with ReplicaServer(latency=latency) as replica:
            results = [run_once(replica.base_url, cities, timeout, freeze=freeze) for _ in range(reps)]
        seconds = [s for _c, s, _l in results]
        codes, left = sorted({c for c, _s, _l in results}), sum(n for *_x, n in results)
        print(
            f"{name}: median {statistics.median(seconds):.1f} s (range {min(seconds):.1f}-{max(seconds):.1f}), "
            f"exit codes {codes}, browser processes left {left}"
        )


if __name__ == "__main__":
    measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
