"""Logging set-up: plain lines on the stream, rich ones on the live console, rotation, no duplicates, no passwords."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from scraper.cli.logsetup import QUIET_LOGGERS, configure_logging
from scraper.common.errors import ConfigError

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", re.MULTILINE)


def unstamped(text: str) -> str:
    """Log text without the asctime prefix of each line, which the test cannot predict."""
    return STAMP.sub("", text)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quieted loggers back as they were (pytest's handlers included)."""
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


def test_records_go_to_the_stream_in_the_plain_format_at_the_level_given() -> None:
    stream = io.StringIO()
    configure_logging("info", stream=stream, log_file=None)
    log = logging.getLogger("scraper.crawl.worker")
    log.debug("hidden")
    log.info("北京 page %d: %d postings", 3, 15)
    logging.getLogger("urllib3.connectionpool").info("Starting new HTTP connection")
    logging.getLogger("selenium.webdriver").warning("driver slow")
    assert unstamped(stream.getvalue()) == (
        "INFO scraper.crawl.worker: 北京 page 3: 15 postings\nWARNING selenium.webdriver: driver slow\n"
    )


def test_file_rotates_at_max_bytes_keeping_the_given_number_of_backups(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "scraper.log"
    line_chars = len("2024-01-01 00:00:00,000 INFO rotation: line 00\n")
    # RotatingFileHandler rolls over when the next line would reach max_bytes: 3 lines per file.
    configure_logging("INFO", stream=io.StringIO(), log_file=log_file, max_bytes=3 * line_chars + 1, backups=2)
    log = logging.getLogger("rotation")
    for number in range(1, 11):
        log.info("line %02d", number)
    files = sorted(path.name for path in log_file.parent.iterdir())
    assert files == ["scraper.log", "scraper.log.1", "scraper.log.2"]
    assert unstamped(log_file.read_text(encoding="utf-8")) == "INFO rotation: line 10\n"
    assert unstamped((tmp_path / "logs" / "scraper.log.1").read_text(encoding="utf-8")) == (
        "INFO rotation: line 07\nINFO rotation: line 08\nINFO rotation: line 09\n"
    )
    assert unstamped((tmp_path / "logs" / "scraper.log.2").read_text(encoding="utf-8")) == (
        "INFO rotation: line 04\nINFO rotation: line 05\nINFO rotation: line 06\n"
    )


def test_calling_twice_replaces_its_own_handlers_without_duplicates(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    first, second = io.StringIO(), io.StringIO()
    configure_logging("INFO", stream=first, log_file=tmp_path / "a.log")
    configure_logging("INFO", stream=second, log_file=tmp_path / "a.log")
    logging.getLogger("twice").info("once")
    added = [h for h in root.handlers if h not in before]
    assert [type(h).__name__ for h in added] == ["_StderrHandler", "_FileHandler"]
    assert first.getvalue() == ""
    assert unstamped(second.getvalue()) == "INFO twice: once\n"
    assert unstamped((tmp_path / "a.log").read_text(encoding="utf-8")) == "INFO twice: once\n"
    assert root.handlers[: len(before)] == before  # other handlers (pytest's) are left alone


def test_passwords_in_urls_are_masked_in_messages_arguments_and_tracebacks(tmp_path: Path) -> None:
    stream = io.StringIO()
    log_file = tmp_path / "scraper.log"
    configure_logging("INFO", stream=stream, log_file=log_file)
    log = logging.getLogger("db.engine")
    log.info("connecting to %s", "postgresql://scraper:s3cret@db.local:5432/jobs")
    log.warning("retrying postgresql+psycopg2://u:p%40ss@h/db?sslmode=require")
    try:
        raise RuntimeError("could not connect to postgresql://scraper:s3cret@db.local/jobs")
    except RuntimeError:
        log.exception("writer gave up")
    expected_head = (
        "INFO db.engine: connecting to postgresql://scraper:***@db.local:5432/jobs\n"
        "WARNING db.engine: retrying postgresql+psycopg2://u:***@h/db?sslmode=require\n"
        "ERROR db.engine: writer gave up\n"
        "Traceback (most recent call last):\n"
    )
    expected_tail = "RuntimeError: could not connect to postgresql://scraper:***@db.local/jobs\n"
    for text in (unstamped(stream.getvalue()), unstamped(log_file.read_text(encoding="utf-8"))):
        assert text.startswith(expected_head)
        assert text.endswith(expected_tail)
        assert "s3cret" not in text
        assert "p%40ss" not in text


def test_on_the_live_console_records_are_rich_lines_and_the_log_file_stays_plain(tmp_path: Path) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=200, color_system="standard")
    log_file = tmp_path / "scraper.log"
    configure_logging("INFO", stream=io.StringIO(), console=console, log_file=log_file)
    log = logging.getLogger("scraper.crawl.worker")
    log.info("北京 page [%d]: %d postings", 3, 15)
    try:
        raise RuntimeError("lost postgresql://scraper:s3/cr@t@db.local/jobs")
    except RuntimeError:
        log.exception("writer gave up")
    shown = buffer.getvalue()
    assert "\x1b[" in shown  # coloured: a terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert re.match(r"\d\d:\d\d:\d\d INFO +scraper\.crawl\.worker: 北京 page \[3\]: 15 postings *\n", plain)
    assert "RuntimeError: lost postgresql://scraper:***@db.local/jobs" in plain
    assert "s3/cr@t" not in shown
    assert unstamped(log_file.read_text(encoding="utf-8")).startswith(
        "INFO scraper.crawl.worker: 北京 page [3]: 15 postings\nERROR scraper.crawl.worker: writer gave up\n"
    )
    assert "s3/cr@t" not in log_file.read_text(encoding="utf-8")


def test_unknown_level_and_unopenable_log_file_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^unknown log level 'LOUD'$"):
        configure_logging("LOUD", stream=io.StringIO())
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^cannot open log file .*file/scraper\.log: "):
        configure_logging("INFO", stream=io.StringIO(), log_file=blocker / "scraper.log")
