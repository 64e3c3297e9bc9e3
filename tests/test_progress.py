"""Run progress: a live table on a terminal, redrawn in place with log and run lines above it; silence otherwise."""

from __future__ import annotations

import fcntl
import io
import logging
import os
import pty
import re
import struct
import termios
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from rich.cells import cell_len
from rich.console import Console

from scraper.cli.logsetup import QUIET_LOGGERS, configure_logging
from scraper.cli.progress import LiveProgress, SilentProgress, make_progress
from scraper.crawl.city_report import CityReport
from scraper.model.statuses import CityStatus

WAIT_SECONDS = 5.0
# What rich writes to a terminal: colours, cursor up, erase line, hide/show the cursor.
CONTROL = re.compile(r"\x1b\[(\??[0-9;]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+")


def report(
    city: str, *, status: CityStatus = CityStatus.PENDING, pages: int = 0, postings: int = 0, blocks: int = 0
) -> CityReport:
    return CityReport(city=city, status=status, pages=pages, postings=postings, blocks=blocks, errors=Counter())


def screen(output: str) -> list[str]:
    """The lines a terminal shows after `output`: a replay of the few controls rich uses for Live."""
    lines, row, column = [""], 0, 0
    for match in CONTROL.finditer(output):
        text = match.group(0)
        if text == "\n":
            row, column = row + 1, 0
            lines += [""] * (row + 1 - len(lines))
        elif text == "\r":
            column = 0
        elif match.group(2) == "A":
            row = max(0, row - int(match.group(1) or 1))
        elif match.group(2) == "K":
            lines[row] = ""
        elif not text.startswith("\x1b"):
            lines[row] = lines[row][:column] + text
            column += len(text)
    while lines and not lines[-1]:
        lines.pop()
    return [line.rstrip() for line in lines]


def buffer_console(width: int = 80) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=width, color_system=None), buffer


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet_levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, quiet_level in quiet_levels.items():
        logging.getLogger(name).setLevel(quiet_level)


def test_live_display_shows_an_aligned_row_per_city_and_redraws_in_place() -> None:
    console, buffer = buffer_console()
    progress = LiveProgress(console, refresh_per_second=None)
    progress.update(report("北京", pages=2, postings=30), 3.0)
    progress.update(report("Xi'an", pages=1, postings=15, blocks=1), 6.25)
    progress.refresh()
    assert screen(buffer.getvalue()) == [
        "city   pages  jobs  blocks  delay  status",
        "北京       2    30       0   3.0s  running",
        "Xi'an      1    15       1   6.2s  running",
    ]
    progress.update(report("北京", status=CityStatus.DONE, pages=7, postings=100), 3.0)
    progress.update(report("深圳", status=CityStatus.PARKED, pages=12, postings=165, blocks=5), 120.0)
    progress.close()
    progress.update(report("北京", status=CityStatus.FAILED), 3.0)  # after close: ignored
    assert screen(buffer.getvalue()) == [
        "city   pages  jobs  blocks   delay  status",
        "北京       7   100       0    3.0s  done",
        "Xi'an      1    15       1    6.2s  running",
        "深圳      12   165       5  120.0s  parked",
    ]
    assert buffer.getvalue().endswith("\n\x1b[?25h")  # the cursor is shown again, below the table


def test_a_display_without_updates_leaves_the_terminal_untouched() -> None:
    console, buffer = buffer_console()
    with LiveProgress(console) as progress:
        progress.refresh()
    assert buffer.getvalue() == ""


def test_log_records_and_run_lines_are_printed_above_the_live_display() -> None:
    console, buffer = buffer_console(width=120)
    progress = LiveProgress(console, refresh_per_second=None)
    configure_logging("INFO", stream=io.StringIO(), console=progress.console)
    progress.update(report("上海", pages=2, postings=30), 2.0)
    progress.refresh()
    progress.update(report("上海", pages=3, postings=45), 2.0)
    logging.getLogger("scraper.crawl.worker").warning("上海: blocked at http://u:pa/ss@grid:4444 (captcha)")
    shown = screen(buffer.getvalue())  # drawn again below the record, with the numbers of now
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d WARNING +scraper\.crawl\.worker: 上海: blocked at http://u:\*\*\*@grid:4444 "
        r"\(captcha\)",
        shown[0],
    )
    assert shown[1:] == [
        "city  pages  jobs  blocks  delay  status",
        "上海      3    45       0   2.0s  running",
    ]
    assert "pa/ss" not in buffer.getvalue()
    out = io.StringIO()
    assert progress.output(out) is out  # not the terminal: left alone
    progress.close()
    assert screen(buffer.getvalue()) == shown


def test_background_refresh_redraws_without_being_asked_and_at_most_four_times_a_second() -> None:
    console, buffer = buffer_console()
    progress = LiveProgress(console)
    started = time.monotonic()
    pages = 0
    while time.monotonic() - started < 1.0:  # a burst of updates, far more often than the display redraws
        pages += 1
        progress.update(report("广州", pages=pages), 1.0)
        time.sleep(0.001)
    deadline = time.monotonic() + WAIT_SECONDS
    while f"广州  {pages:>5}" not in buffer.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    drawn = buffer.getvalue()
    elapsed = time.monotonic() - started
    progress.close()
    assert screen(drawn)[-1] == f"广州  {pages:>5}     0       0   1.0s  running"
    redraws = drawn.count("\r\x1b[2K")
    assert 1 <= redraws <= elapsed * 4 + 2


def test_updates_from_many_threads_end_in_the_exact_final_state() -> None:
    console, buffer = buffer_console()
    progress = LiveProgress(console, refresh_per_second=100)
    cities = ("北京", "上海", "广州", "深圳")

    def work(city: str) -> None:
        for page in range(1, 51):
            progress.update(report(city, pages=page, postings=page * 15 % 451), 3.0)
        progress.update(report(city, status=CityStatus.DONE, pages=30, postings=450), 3.0)

    threads = [threading.Thread(target=work, args=(city,)) for city in cities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress.close()
    shown = screen(buffer.getvalue())
    assert shown[0] == "city  pages  jobs  blocks  delay  status"
    assert sorted(shown[1:]) == sorted(f"{city}     30   450       0   3.0s  done" for city in cities)


def test_without_a_terminal_nothing_is_shown_and_output_is_left_alone() -> None:
    stream, out = io.StringIO(), io.StringIO()
    progress = make_progress(stream)  # StringIO.isatty() is False
    assert isinstance(progress, SilentProgress)
    assert progress.console is None
    with progress:
        progress.update(report("北京", pages=1, postings=15), 3.0)
        progress.update(report("北京", status=CityStatus.DONE, pages=7, postings=100), 3.0)
    assert progress.output(out) is out
    assert stream.getvalue() == ""


def test_a_closed_terminal_stops_the_display_without_raising() -> None:
    stream = io.StringIO()
    progress = make_progress(stream, is_tty=True)
    assert isinstance(progress, LiveProgress)
    progress.update(report("北京", pages=1), 3.0)
    stream.close()
    progress.refresh()
    progress.close()
    assert stream.closed


def open_terminal(columns: int) -> tuple[int, int]:
    """A pseudo-terminal `columns` wide that keeps "\\n" as written (no "\\r\\n")."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    attributes = termios.tcgetattr(slave)
    attributes[1] &= ~termios.ONLCR
    termios.tcsetattr(slave, termios.TCSANOW, attributes)
    return master, slave


def read_all(master: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8")


def test_on_a_real_terminal_the_run_lines_land_above_the_table_and_rows_are_cut_at_its_edge(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "36")  # rich sizes itself by the process's terminal; this is the test's
    master, slave = open_terminal(36)
    with os.fdopen(slave, "w", encoding="utf-8") as terminal, os.fdopen(os.dup(slave), "w", encoding="utf-8") as out:
        progress = make_progress(terminal)  # detected: a pty is a terminal
        assert isinstance(progress, LiveProgress)
        progress.update(report("乌鲁木齐", pages=2, postings=30), 3.0)
        progress.update(report("北京", status=CityStatus.PARKED, pages=12, postings=165, blocks=5), 120.0)
        progress.refresh()
        progress.output(out).write("乌鲁木齐: done, 30 postings\n")  # the run's stdout, same terminal
        progress.close()
    raw = read_all(master)
    os.close(master)
    # Columns keep their width (Chinese characters take two cells); the row is cut at column 36.
    assert screen(raw) == [
        "乌鲁木齐: done, 30 postings",
        "city      pages  jobs  blocks   dela",
        "乌鲁木齐      2    30       0    3.0",
        "北京         12   165       5  120.0",
    ]
    assert all(cell_len(line) <= 36 for line in screen(raw))
