"""Run progress for people watching: a live table of the cities on a terminal, nothing otherwise.

Workers (or the run's join loop) call `update(report, delay)` from any thread; the display
copies the numbers at once, so a report that keeps changing is never read half-way. On a
terminal, `LiveProgress` shows one row per city in a `rich.live.Live` on the run's one
`rich.console.Console`, redrawn `REFRESH_PER_SECOND` times a second. Anything else printed while
it is live must go through that console, or the redraw would overwrite it: the CLI hands the
console to `configure_logging` (log records then print above the table) and routes the run's
stdout lines through `output(out)`. Without a terminal (cron, pipes) `SilentProgress` writes
nothing and never an escape code: the INFO log lines tell the story there.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TYPE_CHECKING, Protocol, TextIO, cast

from rich.console import Console, ConsoleOptions, RenderResult
from rich.live import Live
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from scraper.model.statuses import CityStatus

if TYPE_CHECKING:
    from scraper.crawl.city_report import CityReport

REFRESH_PER_SECOND = 4.0  # live enough, and cheap over ssh
STATUS_LABELS = {CityStatus.PENDING: "running"}  # a worker that sends updates has started
STATUS_STYLES = {
    CityStatus.DONE: "green",
    CityStatus.EXHAUSTED: "green",
    CityStatus.PARKED: "yellow",
    CityStatus.FAILED: "red",
    CityStatus.INTERRUPTED: "magenta",
}
NUMBER_COLUMNS = ("pages", "jobs", "blocks", "delay")
UNBOUNDED = 10_000  # cells: wider than any terminal, so a measurement is the content's own width


@dataclass(frozen=True, slots=True)
class CityProgress:
    """The numbers one progress row shows, copied from a worker's report at one moment."""

    city: str
    status: CityStatus
    pages: int
    postings: int
    blocks: int
    delay: float

    @classmethod
    def of(cls, report: CityReport, delay: float) -> CityProgress:
        """A copy of `report`'s counters and the worker's current delay between page loads."""
        return cls(report.city, report.status, report.pages, report.postings, report.blocks, delay)


def progress_table(snapshots: list[CityProgress]) -> Table:
    """The table the live display shows: a header, then one row per city in the given order."""
    table = Table(box=None, pad_edge=False, padding=(0, 1))
    table.add_column("city", no_wrap=True)
    for name in NUMBER_COLUMNS:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True, overflow="ellipsis")
    for s in snapshots:
        status = STATUS_LABELS.get(s.status, s.status)
        table.add_row(
            Text(s.city),
            str(s.pages),
            str(s.postings),
            str(s.blocks),
            f"{s.delay:.1f}s",
            Text(status, style=STATUS_STYLES.get(s.status, "")),
        )
    return table


def _cut_at_edge(table: Table, console: Console, options: ConsoleOptions) -> RenderResult:
    """`table` drawn at its natural width and cut at the terminal's right edge, the way a terminal
    shows a long line, instead of squeezing every column (a city's name stays readable)."""
    natural = Measurement.get(console, options.update_width(UNBOUNDED), table).maximum
    for line in console.render_lines(table, options.update_width(natural), pad=False):
        yield from Segment.adjust_line_length(line, options.max_width, pad=False)
        yield Segment.line()


class Progress(Protocol):
    """What the CLI talks to. `close()` is idempotent; after it, `update` is ignored.

    `console` is the terminal's console while a display is live, None when there is none.
    """

    @property
    def console(self) -> Console | None: ...

    def update(self, report: CityReport, delay: float) -> None: ...

    def output(self, out: TextIO) -> TextIO: ...

    def close(self) -> None: ...

    def __enter__(self) -> Progress: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class SilentProgress:
    """No terminal: shows nothing, and output goes where it was going."""

    console: Console | None = None

    def update(self, report: CityReport, delay: float) -> None:
        """Ignored: without a terminal the per-page log lines are the progress report."""

    def output(self, out: TextIO) -> TextIO:
        """`out` itself."""
        return out

    def close(self) -> None:
        """Nothing to close."""

    def __enter__(self) -> SilentProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _TerminalFile(io.TextIOBase):
    """The console's file: a terminal that went away (ssh dropped, stream closed) swallows writes,
    because progress is not worth failing a run."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str, /) -> int:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()


class _ConsoleLines(io.TextIOBase):
    """A text stream whose complete lines are printed through the console, above the live display."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._partial = ""

    def write(self, text: str, /) -> int:
        self._partial += text
        complete, newline, self._partial = self._partial.rpartition("\n")
        if newline:
            self._console.print(Text(complete), soft_wrap=True)
        return len(text)

    def flush(self) -> None:
        """Complete lines are printed as they come; a partial line waits for its newline."""


class LiveProgress:
    """A table of one row per city (first-update order), redrawn in place by rich on a terminal.

    It is itself the renderable the `Live` draws, so every drawing (a refresh, or a line printed
    above it) shows the latest numbers. `refresh_per_second=None` redraws only on `refresh()`,
    on a line printed above, and on `close()` (for tests).
    """

    def __init__(self, console: Console, *, refresh_per_second: float | None = REFRESH_PER_SECOND) -> None:
        self.console: Console | None = console
        self._lock = threading.Lock()
        self._cities: dict[str, CityProgress] = {}
        self._is_closed = False
        self._live = Live(
            self,
            console=console,
            auto_refresh=refresh_per_second is not None,
            refresh_per_second=refresh_per_second or REFRESH_PER_SECOND,
            # stdout may be a pipe: only the run's own lines come up, through output(); stray
            # writes to stderr (the console's own terminal) are printed above the display.
            redirect_stdout=False,
            redirect_stderr=True,
        )

    def update(self, report: CityReport, delay: float) -> None:
        """Record the city's latest numbers; the next redraw shows them. Safe from any thread.

        The first update starts the display, so a run that ends before any city starts leaves
        the terminal as it was.
        """
        snapshot = CityProgress.of(report, delay)
        with self._lock:
            if not self._is_closed:
                self._cities[snapshot.city] = snapshot
                self._live.start()  # idempotent

    def refresh(self) -> None:
        """Redraw now (the background refresh does this on its own)."""
        self._live.refresh()

    def output(self, out: TextIO) -> TextIO:
        """A stream for `out` whose lines appear above the display when `out` is the console's
        terminal (they would be overwritten otherwise); `out` itself when it is not."""
        if not _is_same_terminal(out, self._live.console.file):
            return out
        # The console prints each complete line; the rest of TextIO is never used by the run.
        return cast(TextIO, _ConsoleLines(self._live.console))

    def close(self) -> None:
        """Stop redrawing and leave the final state on screen (below it, output continues normally)."""
        with self._lock:
            self._is_closed = True
        self._live.stop()

    def __enter__(self) -> LiveProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        with self._lock:
            snapshots = list(self._cities.values())
        yield from _cut_at_edge(progress_table(snapshots), console, options)


def _is_same_terminal(out: TextIO, console_file: IO[str]) -> bool:
    try:
        return out.isatty() and os.path.samestat(os.fstat(out.fileno()), os.fstat(console_file.fileno()))
    except (AttributeError, OSError, ValueError):  # StringIO in tests, a closed stream
        return False


def make_progress(stream: TextIO, *, is_tty: bool | None = None) -> Progress:
    """A live display on `stream` when it is a terminal (or `is_tty` says so), else a silent one."""
    if is_tty is None:
        try:
            is_tty = stream.isatty()
        except (AttributeError, ValueError):
            is_tty = False
    if not is_tty:
        return SilentProgress()
    # One console for the run; the terminal decides colours (NO_COLOR is honoured), not rich's
    # guess about whether this is a terminal: that decision was made above.
    console = Console(file=cast(IO[str], _TerminalFile(stream)), force_terminal=True)
    return LiveProgress(console)
