"""Run progress: exact live lines on a terminal, redrawn in place and throttled; silence otherwise."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import termios
import threading
import time
from collections import Counter

from scraper.cli.progress import (
    ERASE_DOWN,
    LiveProgress,
    SilentProgress,
    cursor_up,
    make_progress,
    strip_ansi,
)
from scraper.crawl.worker import CityReport

NEVER = 3600.0  # a redraw interval the test never reaches: only refresh() and close() draw
WAIT_SECONDS = 5.0


def report(city: str, *, status: str = "pending", pages: int = 0, postings: int = 0, blocks: int = 0) -> CityReport:
    return CityReport(city=city, status=status, pages=pages, postings=postings, blocks=blocks, errors=Counter())


def test_live_display_draws_one_aligned_line_per_city_and_redraws_in_place() -> None:
    stream = io.StringIO()
    progress = make_progress(stream, is_tty=True, interval=NEVER)
    assert isinstance(progress, LiveProgress)
    progress.update(report("北京", pages=2, postings=30), 3.0)
    progress.update(report("Xi'an", pages=1, postings=15, blocks=1), 6.25)
    progress.refresh()
    first = (
        "北京   pages  2  jobs  30  blocks  0  delay  3.0s  running\n"
        "Xi'an  pages  1  jobs  15  blocks  1  delay  6.2s  running\n"
    )
    assert stream.getvalue() == first
    progress.refresh()  # nothing changed: nothing drawn
    progress.update(report("北京", status="done", pages=7, postings=100), 3.0)
    progress.update(report("深圳", status="parked", pages=12, postings=165, blocks=5), 120.0)
    progress.close()
    second = (
        "北京   pages  7  jobs 100  blocks  0  delay  3.0s  done\n"
        "Xi'an  pages  1  jobs  15  blocks  1  delay  6.2s  running\n"
        "深圳   pages 12  jobs 165  blocks  5  delay 120.0s  parked\n"
    )
    assert stream.getvalue() == first + cursor_up(2) + ERASE_DOWN + second
    assert strip_ansi(stream.getvalue()) == first + "\r" + second


def test_log_lines_are_printed_above_the_live_display() -> None:
    stream = io.StringIO()
    progress = LiveProgress(stream, interval=NEVER)
    progress.update(report("上海", pages=3, postings=45), 2.0)
    progress.refresh()
    frame = "上海  pages  3  jobs  45  blocks  0  delay  2.0s  running\n"
    progress.log_stream.write("WARNING scraper.crawl.worker: 上海: blocked (captcha)")
    assert stream.getvalue() == frame  # an unfinished line waits for its newline
    progress.log_stream.write("\n")
    progress.close()
    progress.log_stream.write("after close\n")
    assert stream.getvalue() == (
        frame
        + cursor_up(1)
        + ERASE_DOWN
        + "WARNING scraper.crawl.worker: 上海: blocked (captcha)\n"
        + frame
        + "after close\n"
    )


def test_background_thread_redraws_without_being_asked_and_at_most_four_times_a_second() -> None:
    stream = io.StringIO()
    progress = make_progress(stream, is_tty=True)
    started = time.monotonic()
    pages = 0
    while time.monotonic() - started < 1.0:  # a burst of updates, far more often than the display redraws
        pages += 1
        progress.update(report("广州", pages=pages), 1.0)
        time.sleep(0.001)
    deadline = time.monotonic() + WAIT_SECONDS
    while f"pages {pages:>2}" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    drawn = stream.getvalue()
    elapsed = time.monotonic() - started
    progress.close()
    assert f"广州  pages {pages:>2}  jobs   0  blocks  0  delay  1.0s  running\n" in drawn
    redraws = drawn.count(ERASE_DOWN) + 1
    assert 1 <= redraws <= elapsed / 0.25 + 1
    assert stream.getvalue() == drawn  # close() had nothing new to draw


def test_updates_from_many_threads_end_in_the_exact_final_state() -> None:
    stream = io.StringIO()
    progress = make_progress(stream, is_tty=True, interval=0.01)
    cities = ("北京", "上海", "广州", "深圳")

    def work(city: str) -> None:
        for page in range(1, 51):
            progress.update(report(city, pages=page, postings=page * 15 % 451), 3.0)
        progress.update(report(city, status="done", pages=30, postings=450), 3.0)

    threads = [threading.Thread(target=work, args=(city,)) for city in cities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress.close()
    final = strip_ansi(stream.getvalue()).rsplit("\r", 1)[-1]
    assert sorted(final.splitlines()) == sorted(
        f"{city}  pages 30  jobs 450  blocks  0  delay  3.0s  done" for city in cities
    )


def test_without_a_terminal_nothing_is_written_and_logs_pass_through_plain() -> None:
    stream = io.StringIO()
    progress = make_progress(stream)  # StringIO.isatty() is False
    assert isinstance(progress, SilentProgress)
    with progress:
        progress.update(report("北京", pages=1, postings=15), 3.0)
        progress.update(report("北京", status="done", pages=7, postings=100), 3.0)
    assert stream.getvalue() == ""
    progress.log_stream.write("INFO scraper.crawl.worker: 北京 page 1: 15 postings\n")
    assert stream.getvalue() == "INFO scraper.crawl.worker: 北京 page 1: 15 postings\n"
    assert "\x1b" not in stream.getvalue()


def test_a_closed_terminal_stops_the_display_without_raising() -> None:
    stream = io.StringIO()
    progress = LiveProgress(stream, interval=NEVER)
    stream.close()
    progress.update(report("北京", pages=1), 3.0)
    progress.refresh()
    progress.log_stream.write("still fine\n")
    progress.close()
    assert stream.closed


def test_on_a_real_terminal_lines_are_cut_to_its_width() -> None:
    master, slave = pty.openpty()
    columns = 30
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    attributes = termios.tcgetattr(slave)
    attributes[1] &= ~termios.ONLCR  # keep "\n" as written instead of the terminal's "\r\n"
    termios.tcsetattr(slave, termios.TCSANOW, attributes)
    with os.fdopen(slave, "w", encoding="utf-8") as terminal, os.fdopen(master, "rb", buffering=0) as screen:
        progress = make_progress(terminal, interval=NEVER)  # detected: a pty is a terminal
        assert isinstance(progress, LiveProgress)
        progress.update(report("北京", pages=2, postings=30), 3.0)
        progress.close()
        shown = screen.read(4096).decode("utf-8")
    # 29 columns at most: "北京" takes four of them.
    assert shown == "北京  pages  2  jobs  30  blo\n"
