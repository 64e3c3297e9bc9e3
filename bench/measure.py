"""Measurement: run one contender in a subprocess while sampling its memory ~10 times a second.

Memory comes from /proc, the only honest source for a multi-process browser: each Chromium
process's PSS (`/proc/<pid>/smaps_rollup`, shared pages split between the processes that map
them, so summing over a process tree does not count the shared library text several times) and
the Python process's RSS (`/proc/<pid>/status`). Only the contender's own process tree is
walked, so other Chromium instances on the machine are never counted. A "browser" is a Chromium
process whose parent is not Chromium (the one chromedriver starts); its PSS is the sum over its
subtree (zygotes, renderers, GPU and network services).
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.cpuload import cpu_times

SAMPLE_INTERVAL_S = 0.1  # ~10 samples a second, as the brief asks
KB = 1024
BROWSER_NAMES = ("chromium", "chrome", "headless_shell")
DRIVER_NAME = "chromedriver"
PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # /proc/stat counts in these
RUN_TIMEOUT_S = 600.0  # no contender takes anywhere near this; a hung one must not hang the bench
UTIME_FIELD, STIME_FIELD = 14, 15  # in /proc/<pid>/stat, 1-based as proc(5) numbers them


@dataclass(frozen=True, slots=True)
class ProcInfo:
    """One process: its parent, its short command name (`comm`) and CPU used so far (clock ticks)."""

    pid: int
    ppid: int
    comm: str
    cpu_ticks: int = 0


def list_processes() -> dict[int, ProcInfo]:
    """Every process visible in /proc right now (those that vanish while read are skipped)."""
    found: dict[int, ProcInfo] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # comm sits in parentheses and may itself contain spaces or parentheses.
        open_at, close_at = text.find("("), text.rfind(")")
        fields = text[close_at + 2 :].split()  # fields[0] is field 3 (state) of proc(5)
        ticks = int(fields[UTIME_FIELD - 3]) + int(fields[STIME_FIELD - 3])
        found[int(entry.name)] = ProcInfo(int(entry.name), int(fields[1]), text[open_at + 1 : close_at], ticks)
    return found


def descendants(root: int, processes: Mapping[int, ProcInfo]) -> list[int]:
    """`root` and all its descendants, parents before children."""
    children: dict[int, list[int]] = defaultdict(list)
    for info in processes.values():
        children[info.ppid].append(info.pid)
    order, stack = [], [root]
    while stack:
        pid = stack.pop()
        order.append(pid)
        stack.extend(children.get(pid, ()))
    return order


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def pss_kb(pid: int) -> int:
    """Proportional set size of `pid` in KiB; 0 when the process is gone or unreadable."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def rss_kb(pid: int) -> int:
    """Resident set size of `pid` in KiB (VmRSS); 0 when gone."""
    return _status_kb(pid, "VmRSS")


def peak_rss_kb(pid: int) -> int:
    """The kernel's high-water mark of `pid`'s RSS in KiB (VmHWM); 0 when gone."""
    return _status_kb(pid, "VmHWM")


def _is_browser(comm: str) -> bool:
    return comm.startswith(BROWSER_NAMES) and comm != DRIVER_NAME


@dataclass(slots=True)
class MemoryPeaks:
    """Peak memory of one contender run, in MiB, and how the sampling went."""

    browser_pss_total_mb: float = 0.0  # all browsers of the run together, at the worst sample
    browser_pss_per_browser_mb: float = 0.0  # the largest single browser tree at any sample
    driver_pss_mb: float = 0.0  # chromedriver processes together
    python_rss_mb: float = 0.0  # the root (Python) process, max of samples and VmHWM
    max_browsers: int = 0  # most browsers alive at once
    max_chromium_processes: int = 0
    samples: int = 0
    sampler_cpu_s: float = 0.0  # CPU the sampler itself used (it shares the machine)
    # CPU seconds by process kind (python = the root, chromedriver, chromium), as last sampled:
    # up to one sample interval of each process's life is missed.
    cpu_by_kind: dict[str, float] = field(default_factory=dict)


@dataclass
class MemorySampler:
    """Samples the process tree under `root` every `interval` seconds until `stop()`.

    `include_root_rss=False` leaves the root's RSS out (when the root is not a Python contender).
    """

    root: int
    interval: float = SAMPLE_INTERVAL_S
    include_root_rss: bool = True
    peaks: MemoryPeaks = field(default_factory=MemoryPeaks)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _cpu_seen: dict[int, tuple[str, int]] = field(default_factory=dict)  # pid -> (kind, ticks)

    def start(self) -> MemorySampler:
        """Start sampling in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> MemoryPeaks:
        """Stop sampling and return the peaks (with the CPU by process kind)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        totals: dict[str, float] = defaultdict(float)
        for kind, ticks in self._cpu_seen.values():
            totals[kind] += ticks / CLOCK_TICKS
        self.peaks.cpu_by_kind = {kind: round(seconds, 2) for kind, seconds in sorted(totals.items())}
        return self.peaks

    def sample_once(self) -> None:
        """Take one sample now and fold it into the peaks."""
        processes = list_processes()

        def comm(pid: int) -> str:
            info = processes.get(pid)
            return info.comm if info is not None else ""

        tree = [pid for pid in descendants(self.root, processes) if pid in processes]
        browsers = [pid for pid in tree if _is_browser(comm(pid)) and not _is_browser(comm(processes[pid].ppid))]
        per_browser = [sum(pss_kb(p) for p in descendants(b, processes) if _is_browser(comm(p))) for b in browsers]
        drivers = sum(pss_kb(p) for p in tree if comm(p) == DRIVER_NAME)
        chromium_count = sum(1 for p in tree if _is_browser(comm(p)))
        for pid in tree:
            kind = "python" if pid == self.root else "chromium" if _is_browser(comm(pid)) else comm(pid)
            self._cpu_seen[pid] = (kind, processes[pid].cpu_ticks)
        peaks = self.peaks
        peaks.samples += 1
        peaks.browser_pss_total_mb = max(peaks.browser_pss_total_mb, sum(per_browser) / KB)
        peaks.browser_pss_per_browser_mb = max(peaks.browser_pss_per_browser_mb, max(per_browser, default=0) / KB)
        peaks.driver_pss_mb = max(peaks.driver_pss_mb, drivers / KB)
        peaks.max_browsers = max(peaks.max_browsers, len(browsers))
        peaks.max_chromium_processes = max(peaks.max_chromium_processes, chromium_count)
        if self.include_root_rss:
            root_rss = max(rss_kb(self.root), peak_rss_kb(self.root))
            peaks.python_rss_mb = max(peaks.python_rss_mb, root_rss / KB)

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.is_set():
            self.sample_once()
            self._stop.wait(self.interval)
        self.peaks.sampler_cpu_s = round(time.thread_time() - started, 3)


@dataclass(frozen=True, slots=True)
class CommandRun:
    """One measured subprocess: timing, exit code, output, CPU and memory."""

    argv: tuple[str, ...]
    started: float  # time.monotonic() just before the process was created
    wall_s: float
    exit_code: int
    stdout: str
    stderr: str
    cpu_s: float  # user + system of the process tree (rusage of reaped children, or sampled if more)
    memory: MemoryPeaks
    loadavg_before: float
    machine_busy: float  # share of all cores busy during the run (any process, ours or not)
    others_busy: float  # share of all cores used by processes that are neither the contender nor us
    bench_cpu_s: float  # CPU of this process meanwhile, less the sampler: mostly the replica serving pages


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = RUN_TIMEOUT_S,
) -> CommandRun:
    """Run `argv` to completion while sampling memory; never raises for a non-zero exit.

    Raises subprocess.TimeoutExpired (after killing the process) when it runs past `timeout`.
    """
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = _own_cpu_s()
    busy_before, total_before = cpu_times()
    load = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env) if env is not None else None,
        cwd=cwd,
    )
    sampler = MemorySampler(process.pid).start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        sampler.stop()
        raise
    wall = time.monotonic() - started
    peaks = sampler.stop()
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_after, total_after = cpu_times()
    reaped = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
    # Rusage misses descendants nobody in the chain waited for (Chromium's helpers are often
    # reparented); the sampler saw each process until shortly before it ended. Take the larger.
    cpu = max(reaped, sum(peaks.cpu_by_kind.values()))
    busy_s = (busy_after - busy_before) / CLOCK_TICKS
    capacity_s = (total_after - total_before) / CLOCK_TICKS
    others = max(0.0, busy_s - cpu - (_own_cpu_s() - own_before)) / max(capacity_s, 1e-9)
    return CommandRun(
        argv=tuple(argv),
        started=started,
        wall_s=wall,
        exit_code=process.returncode,
        stdout=stdout,
        stderr=stderr,
        cpu_s=round(cpu, 3),
        memory=peaks,
        loadavg_before=load,
        machine_busy=round((busy_after - busy_before) / max(1, total_after - total_before), 3),
        others_busy=round(others, 3),
        bench_cpu_s=round(_own_cpu_s() - own_before - peaks.sampler_cpu_s, 3),
    )
