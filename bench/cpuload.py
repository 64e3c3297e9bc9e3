"""Machine CPU load: how busy all cores are (from /proc/stat), and a wait for a quiet machine.

Other jobs on a 2-core machine distort every figure, so each run records the load it ran under
and a benchmark may first wait for the machine to calm down.
"""

from __future__ import annotations

import time
from pathlib import Path

PROC = Path("/proc")
QUIET_PROBE_S = 1.0


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine (all cores) from /proc/stat."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:8]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def busy_share_since(before: tuple[int, int]) -> float:
    """Share of all cores busy since `before` (a `cpu_times()` reading)."""
    busy_after, total_after = cpu_times()
    return (busy_after - before[0]) / max(1, total_after - before[1])


def machine_busy_share(seconds: float) -> float:
    """Share of all cores busy over the next `seconds` (blocks that long)."""
    before = cpu_times()
    time.sleep(seconds)
    return busy_share_since(before)


def wait_for_quiet(*, threshold: float, max_wait_s: float, probe_s: float = QUIET_PROBE_S) -> dict[str, float]:
    """Wait (at most `max_wait_s`) until the machine is less than `threshold` busy over one probe.

    Other jobs on a 2-core machine distort every figure; this only waits, it never gives up
    the run. Returns the seconds waited and the last busy share seen.
    """
    started = time.monotonic()
    busy = machine_busy_share(probe_s)
    while busy >= threshold and time.monotonic() - started < max_wait_s:
        busy = machine_busy_share(probe_s)
    return {"waited_s": round(time.monotonic() - started, 1), "busy_before": round(busy, 3)}
