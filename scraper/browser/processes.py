"""Local browser processes tied to their run: marked, grouped, killed with it, and swept after it.

Every local chromedriver starts in a process group of its own, and Chromium's processes inherit
that group, so one `killpg` ends a driver and all of its browser's processes (also when the
driver died first and left its browser orphaned). Each driver also carries this run's marker in
its environment (`RUN_MARKER_VAR` = "<pid>:<start time>" of the run's process), which Chromium's
browser process inherits: a later run finds the groups of a run that is gone by that marker,
never by a process name, and ends them (`end_leftovers`); `status` lists them (`find_leftovers`).

While the run lives, a small lifeline process (`Lifeline`) holds the read end of a pipe and the
list of the run's groups. When the run dies in any way, even by SIGKILL, the pipe closes and the
lifeline kills the groups it was told of, so the browsers go at once rather than at the next run.
Linux only (`/proc`); elsewhere the functions find nothing and the lifeline is not started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

RUN_MARKER_VAR = "JOB_SALARY_SCRAPER_RUN"
PROC = Path("/proc")
# The lifeline's whole program: read "+pgid" / "-pgid" lines; at end of input kill what is left.
# It ignores SIGINT and SIGTERM meant for the run's terminal or group: only the pipe ends it.
_LIFELINE_CODE = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
groups = set()
for line in sys.stdin:
    line = line.strip()
    if line[:1] == "+":
        groups.add(int(line[1:]))
    elif line[:1] == "-":
        groups.discard(int(line[1:]))
for group in groups:
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass
"""


def _start_time(pid: int) -> str | None:
    """The kernel's start time of `pid` (clock ticks since boot), or None when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":
        return None
    return fields[19]  # field 22 of stat; the split starts at field 3


def run_marker(pid: int | None = None) -> str:
    """This process's marker: its PID and start time, which a reused PID cannot repeat."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}:{_start_time(pid) or 0}"


def is_marker_alive(marker: str) -> bool:
    """True while the process that wrote `marker` still runs."""
    pid_text, _sep, started = marker.partition(":")
    return pid_text.isdigit() and _start_time(int(pid_text)) == started


def _marker_of(pid: int) -> str | None:
    try:
        environ = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return None
    prefix = f"{RUN_MARKER_VAR}=".encode()
    for entry in environ.split(b"\0"):
        if entry.startswith(prefix):
            return entry[len(prefix) :].decode("ascii", "replace")
    return None


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class Leftover:
    """A process group of browsers whose run (`marker`) is gone; `pids` are its marked processes."""

    group: int
    marker: str
    pids: tuple[int, ...]


def find_leftovers() -> list[Leftover]:
    """The browser groups of runs that are no longer alive, found by their marker (never by name)."""
    if not PROC.is_dir():
        return []
    found: dict[int, tuple[str, list[int]]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        marker = _marker_of(pid)
        if marker is None or is_marker_alive(marker):
            continue
        group = _group_of(pid)
        if group is None or _start_time(pid) is None:
            continue
        found.setdefault(group, (marker, []))[1].append(pid)
    return [Leftover(group, marker, tuple(sorted(pids))) for group, (marker, pids) in sorted(found.items())]


def end_leftovers() -> int:
    """Kill the browser groups of dead runs (see `find_leftovers`); the number of groups ended."""
    ended = 0
    for leftover in find_leftovers():
        if kill_group(leftover.group, marker=leftover.marker):
            ended += 1
    if ended:
        log.warning("ended %d browser(s) left running by a run that died", ended)
    return ended


def kill_group(group: int, *, marker: str) -> bool:
    """SIGKILL the process group `group` if one of its processes carries `marker` (so a group
    number reused by someone else's processes is never touched). True if it was killed."""
    if group <= 1 or group == os.getpgrp():
        return False
    members = [pid for pid in _pids() if _group_of(pid) == group]
    if not any(_marker_of(pid) == marker for pid in members):
        return False
    with contextlib.suppress(OSError):  # the group may have ended meanwhile
        os.killpg(group, signal.SIGKILL)
        return True
    return False


def _pids() -> list[int]:
    try:
        return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]
    except OSError:
        return []


class Lifeline:
    """The run's browser groups, known to a watcher process that kills them if the run dies.

    `add(group)` / `discard(group)` as drivers start and quit; `kill_all()` ends every group now
    (a hard stop); `close()` at the end of the run. Thread-safe.
    """

    def __init__(self, *, marker: str | None = None) -> None:
        self.marker = marker or run_marker()
        self._groups: set[int] = set()
        self._lock = threading.RLock()  # kill_all may run in a signal handler of the main thread
        self._process: subprocess.Popen[bytes] | None = None
        if PROC.is_dir():
            try:
                self._process = subprocess.Popen(  # noqa: S603 - our own interpreter, a fixed program
                    [sys.executable, "-S", "-c", _LIFELINE_CODE],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a signal to the run's group must not end the watcher
                )
            except OSError as exc:
                log.warning("no browser lifeline (%s); the next run ends browsers this run leaves", exc)

    def environment(self) -> dict[str, str]:
        """The environment a local chromedriver starts with: ours plus the run's marker."""
        return {**os.environ, RUN_MARKER_VAR: self.marker}

    def add(self, group: int) -> None:
        with self._lock:
            self._groups.add(group)
            self._tell(f"+{group}")

    def discard(self, group: int) -> None:
        with self._lock:
            self._groups.discard(group)
            self._tell(f"-{group}")

    def kill_all(self) -> int:
        """Kill every browser group of this run now; the number of groups killed."""
        with self._lock:
            groups = sorted(self._groups)
        return sum(kill_group(group, marker=self.marker) for group in groups)

    def close(self) -> None:
        """End the watcher (it kills whatever groups are still registered) and wait for it."""
        process, self._process = self._process, None
        if process is None or process.stdin is None:
            return
        with contextlib.suppress(OSError):
            process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def _tell(self, line: str) -> None:
        if self._process is None or self._process.stdin is None:
            return
        try:
            self._process.stdin.write(f"{line}\n".encode("ascii"))
            self._process.stdin.flush()
        except OSError:  # the watcher died: the sweep of the next run still covers us
            log.debug("browser lifeline is gone", exc_info=True)
            self._process = None
