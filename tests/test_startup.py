"""Start-up stays light: `--help`, a usage error and a bad setting answer without importing the
database, migration, browser or plotting stacks (each costs a cron run or a typo a few tenths of a
second). Checked in a fresh interpreter, the way a user runs the command."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "alembic", "selenium", "webdriver_manager", "requests", "matplotlib", "psycopg2")
PROBE = """
import runpy, sys
sys.argv = ["scraper", *sys.argv[1:]]
try:
    runpy.run_module("scraper", run_name="__main__")
except SystemExit as exc:
    code = exc.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))
print("CODE", code, "HEAVY", ",".join(heavy) or "-", file=sys.stderr)
"""


def loaded_after(*argv: str) -> tuple[str, str]:
    script = f"HEAVY = {HEAVY!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60, check=False
    )
    last = result.stderr.strip().splitlines()[-1].split()
    return last[1], last[3]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("--help",), "0"),
        (("scrape", "--help"), "0"),
        (("--cities", "nowhere"), "2"),
        (("--limit", "0"), "2"),
        (("--no-such-option",), "2"),
        (("--delay=-1",), "2"),
        (("--browser", "firefox"), "2"),
        (("export", "--format", "xml"), "2"),
        (("--db", "postgres://user:secret@localhost/jobs"), "2"),
        (("report", "--db", "mysql://localhost/jobs"), "2"),
    ],
)
def test_help_and_usage_errors_load_no_database_browser_or_chart_stack(argv: tuple[str, ...], code: str) -> None:
    assert loaded_after(*argv) == (code, "-")
