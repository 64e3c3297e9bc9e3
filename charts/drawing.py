"""Drawing charts in a second process while the report reads the history.

Drawing the charts and reading a long history each take seconds of one core; on a machine with
two cores the report is faster when a forked child draws the charts that need no history while
the parent reads it. `start_drawing` forks only when that is safe and useful: the `fork` start
method exists, there is more than one core, and this process runs no other thread (a lock held by
another thread at the fork would stay held in the child). Otherwise, and whenever the child does
not finish cleanly, the parent draws the same charts itself, so the files are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

CHILD_TIMEOUT_S = 120.0  # a child this late is stuck, not slow: the parent draws instead


@dataclass
class Drawing:
    """Charts being drawn: `finish()` waits for them (drawing them here if the child could not)."""

    draw: Callable[[], object]
    process: multiprocessing.process.BaseProcess | None

    def finish(self) -> None:
        """Return once the charts are written."""
        process, self.process = self.process, None
        if process is None:
            return
        process.join(CHILD_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join()
        if process.exitcode != 0:
            self.draw()


def start_drawing(draw: Callable[[], object], *, parallel: bool) -> Drawing:
    """Run `draw` (which writes the chart files) in a forked child when `parallel` and it is safe
    (see the module), else right here; call `finish()` on the result before reading the files."""
    if not (parallel and can_fork()):
        draw()
        return Drawing(draw, None)
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_child, args=(draw,), name="report-charts", daemon=True)
    process.start()
    return Drawing(draw, process)


def can_fork() -> bool:
    """Whether a forked child can draw beside this process (see the module)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def _child(draw: Callable[[], object]) -> None:
    draw()  # an exception gives a non-zero exit code: the parent then draws itself
