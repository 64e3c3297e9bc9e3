"""Exit paths of the CLI as a shell sees them: a reader that closes the pipe early (`| head -1`)
ends a command quietly, and an unexpected bug exits 70 (EX_SOFTWARE), apart from 1 (partial).

The pipe tests run `python -m scraper` as a real subprocess whose stdout pipe is closed early."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import make_engine, upgrade_schema
from db.writes import upsert_postings
from scraper.cli import main as cli_main
from scraper.cli.exit_codes import ExitCode
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

JOB_COUNT = 3000  # a CSV of well over a pipe buffer (64 KiB), so the writer is still writing when head leaves


@pytest.fixture
def big_db(sqlite_url: str) -> str:
    engine = make_engine(sqlite_url)
    upgrade_schema(engine)
    postings = [
        Posting(city="北京", title=f"Python开发{n}", salary=parse_salary("20k-30k"), company=f"公司{n}")
        for n in range(JOB_COUNT)
    ]
    with engine.begin() as conn:
        upsert_postings(
            conn, postings, seen_at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC), site="lagou", keyword="Python"
        )
    engine.dispose()
    return sqlite_url


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


def test_export_into_a_pipe_closed_after_the_first_line_ends_quietly(big_db: str) -> None:
    process = start("export", "--format", "csv", "--db", big_db)
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()  # `| head -1`
    process.stdout.close()
    err = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert first.startswith(b"id,")
    assert (code, err) == (0, "")


@pytest.mark.parametrize("command", [("status",), ("export", "--format", "jsonl"), ("report", "--out", "r")])
def test_a_pipe_closed_before_anything_was_written_ends_quietly(big_db: str, command: tuple[str, ...]) -> None:
    process = start(*command, "--db", big_db)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader is gone before the first write
    err = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert "BrokenPipeError" not in err
    assert "Exception ignored" not in err
    assert code == 0, err


def test_an_unexpected_bug_exits_70_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_args: object, _out: object, _err: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli_main, "_dispatch", broken)
    out, err = io.StringIO(), io.StringIO()
    code = cli_main.main(["status"], out=out, err=err)
    assert code == 70
    assert (
        err.getvalue() == "error: unexpected ZeroDivisionError: division by zero (run with --traceback for details)\n"
    )


def test_an_unexpected_bug_with_traceback_shows_it_and_still_exits_70(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_args: object, _out: object, _err: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli_main, "_dispatch", broken)
    err = io.StringIO()
    code = cli_main.main(["status", "--traceback"], out=io.StringIO(), err=err)
    assert code == 70
    assert "Traceback (most recent call last)" in err.getvalue()
    assert err.getvalue().rstrip().endswith("ZeroDivisionError: division by zero")


def test_the_readme_exit_table_lists_every_code() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} |" in readme, code
