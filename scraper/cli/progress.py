"""Run progress for people watching: one live line per city on a terminal, nothing otherwise.

Workers (or the run's join loop) call `update(report, delay)` from any thread; the display
copies the numbers at once, so a report that keeps changing is never read half-way. On a
terminal, `LiveProgress` redraws its block of lines in place with ANSI cursor movement from a
background thread, at most `REDRAW_INTERVAL` apart. Log records must not land inside that
block, so the CLI points the console log handler at `progress.log_stream`, which lifts the
display, prints the record above it and puts the display back. Without a terminal (cron, pipes)
`SilentProgress` writes nothing and never an ANSI code: the INFO log lines tell the story there.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TextIO

from scraper.cli.logsetup import TextSink

if TYPE_CHECKING:
    from scraper.crawl.worker import CityReport

REDRAW_INTERVAL = 0.25  # ~4 redraws a second: live enough, and cheap over ssh
STATUS_LABELS = {"pending": "running"}  # a worker that sends updates has started
WIDE = ("W", "F")  # East Asian wide/full-width characters take two terminal columns
ERASE_DOWN = "\x1b[J"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def cursor_up(lines: int) -> str:
    """ANSI: to the start of the line `lines` rows up."""
    return f"\r\x1b[{lines}A"


@dataclass(frozen=True, slots=True)
class CityProgress:
    """The numbers one progress line shows, copied from a worker's report at one moment."""

    city: str
    status: str
    pages: int
    postings: int
    blocks: int
    delay: float

    @classmethod
    def of(cls, report: CityReport, delay: float) -> CityProgress:
        """A copy of `report`'s counters and the worker's current delay between page loads."""
        return cls(report.city, report.status, report.pages, report.postings, report.blocks, delay)


def display_width(text: str) -> int:
    """Terminal columns `text` takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in WIDE else 1 for char in text)


def format_progress_line(snapshot: CityProgress, city_columns: int) -> str:
    """One line, e.g. `北京  pages  3  jobs  45  blocks  1  delay  6.0s  running`."""
    city = snapshot.city + " " * (city_columns - display_width(snapshot.city))
    status = STATUS_LABELS.get(snapshot.status, snapshot.status)
    return (
        f"{city}  pages {snapshot.pages:>2}  jobs {snapshot.postings:>3}  blocks {snapshot.blocks:>2}  "
        f"delay {snapshot.delay:>4.1f}s  {status}"
    )


def _fit(line: str, columns: int | None) -> str:
    """`line` cut to fit `columns` minus one: a line that wraps would break the cursor arithmetic."""
    if columns is None or display_width(line) < columns:
        return line
    kept, used = [], 0
    for char in line:
        used += display_width(char)
        if used >= columns:
            break
        kept.append(char)
    return "".join(kept)


class Progress(Protocol):
    """What the run talks to. `close()` is idempotent; after it, `update` is ignored."""

    @property
    def log_stream(self) -> TextSink: ...

    def update(self, report: CityReport, delay: float) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Progress: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class SilentProgress:
    """No terminal: shows nothing; logs go straight to the stream."""

    def __init__(self, stream: TextSink) -> None:
        self.log_stream = stream

    def update(self, report: CityReport, delay: float) -> None:
        """Ignored: without a terminal the per-page log lines are the progress report."""

    def close(self) -> None:
        """Nothing to close."""

    def __enter__(self) -> SilentProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _AboveDisplay:
    """The log stream of a live display: every complete line is printed above the city lines."""

    def __init__(self, progress: LiveProgress) -> None:
        self._progress = progress

    def write(self, text: str, /) -> int:
        self._progress.print_above(text)
        return len(text)

    def flush(self) -> None:
        """Writes are flushed as they happen."""


class LiveProgress:
    """A block of one line per city (first-update order), redrawn in place on a terminal."""

    def __init__(self, stream: TextIO, *, interval: float = REDRAW_INTERVAL) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._cities: dict[str, CityProgress] = {}
        self._drawn = 0  # lines of the block currently on screen, below everything else
        self._is_dirty = False
        self._is_closed = False
        self._partial = ""  # log text not yet ended by a newline
        self.log_stream: TextSink = _AboveDisplay(self)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._redraw_loop, args=(interval,), name="progress", daemon=True)
        self._thread.start()

    def update(self, report: CityReport, delay: float) -> None:
        """Record the city's latest numbers; the next redraw shows them. Safe from any thread."""
        snapshot = CityProgress.of(report, delay)
        with self._lock:
            if not self._is_closed:
                self._cities[snapshot.city] = snapshot
                self._is_dirty = True

    def refresh(self) -> None:
        """Redraw now if anything changed since the last drawing (the background thread calls this)."""
        with self._lock:
            if self._is_dirty and not self._is_closed:
                self._write(self._erase() + self._frame())

    def print_above(self, text: str) -> None:
        """Print `text` above the display; complete lines go out at once, a partial line waits."""
        with self._lock:
            self._partial += text
            complete, newline, self._partial = self._partial.rpartition("\n")
            if not newline:
                return
            self._write(self._erase() + complete + newline + ("" if self._is_closed else self._frame()))

    def close(self) -> None:
        """Stop redrawing and leave the final state on screen (below it, output continues normally)."""
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        with self._lock:
            if self._is_closed:
                return
            final = (self._erase() + self._frame()) if self._is_dirty else ""
            self._write(final + self._partial)
            self._is_closed, self._drawn, self._partial = True, 0, ""

    def __enter__(self) -> LiveProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _redraw_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.refresh()

    def _erase(self) -> str:
        """The escape codes that remove the drawn block; the cursor ends where it began."""
        lines, self._drawn = self._drawn, 0
        return cursor_up(lines) + ERASE_DOWN if lines else ""

    def _frame(self) -> str:
        if not self._cities:
            return ""
        columns = max(display_width(city) for city in self._cities)
        width = self._terminal_columns()
        lines = [_fit(format_progress_line(s, columns), width) for s in self._cities.values()]
        self._drawn, self._is_dirty = len(lines), False
        return "".join(f"{line}\n" for line in lines)

    def _terminal_columns(self) -> int | None:
        try:
            return os.get_terminal_size(self._stream.fileno()).columns
        except (OSError, ValueError):  # not a real terminal (StringIO in tests, a closed stream)
            return None

    def _write(self, text: str) -> None:
        if not text:
            return
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            # The terminal went away (ssh dropped, stream closed): progress is not worth failing a run.
            self._is_closed = True


def make_progress(stream: TextIO, *, is_tty: bool | None = None, interval: float = REDRAW_INTERVAL) -> Progress:
    """A live display when `stream` is a terminal (or `is_tty` says so), else a silent one."""
    if is_tty is None:
        try:
            is_tty = stream.isatty()
        except (AttributeError, ValueError):
            is_tty = False
    return LiveProgress(stream, interval=interval) if is_tty else SilentProgress(stream)


def strip_ansi(text: str) -> str:
    """`text` without ANSI escape sequences (for tests and plain copies of the display)."""
    return ANSI_ESCAPE.sub("", text)
