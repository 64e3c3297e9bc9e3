"""The machine a benchmark ran on: cores, memory, CPU, browser, driver, Python and database versions.

Stored in every results file, because a figure without its machine means little (the
reference machine has 2 cores, and other jobs on it show up in `others_busy` of each run).
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg2

from bench.writer_bench import PG_ADMIN_DSN
from scraper.browser.local import find_chrome_binary

VERSION_TIMEOUT_S = 20.0


def _first_output_line(argv: list[str]) -> str | None:
    """The first line `argv` prints on stdout, or None when it cannot run."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=VERSION_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[0] if lines else None


def _meminfo_mb(key: str) -> int | None:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
    return None


def _cpu_model() -> str | None:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return None


def _postgres_version() -> str | None:
    try:
        connection = psycopg2.connect(PG_ADMIN_DSN)
    except psycopg2.Error:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
            return str(row[0]) if row else None
    finally:
        connection.close()


def _checkout() -> str | None:
    """The commit under test, with "+dirty" when the work tree has changes (read-only git calls)."""
    root = Path(__file__).resolve().parent.parent
    commit = _first_output_line(["git", "-C", str(root), "rev-parse", "--short", "HEAD"])
    if commit is None:
        return None
    changes = _first_output_line(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"])
    return commit + ("+dirty" if changes else "")


def _package(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def describe_machine() -> dict[str, Any]:
    """Facts about this machine and the software under test; unknown values are None."""
    chromium = find_chrome_binary(None)
    driver = shutil.which("chromedriver")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_total_mb": _meminfo_mb("MemTotal"),
        "memory_available_mb": _meminfo_mb("MemAvailable"),
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "chromium": _first_output_line([chromium, "--version"]) if chromium else None,
        "chromedriver": _first_output_line([driver, "--version"]) if driver else None,
        "selenium": _package("selenium"),
        "sqlalchemy": _package("SQLAlchemy"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        "loadavg_at_start": [round(value, 2) for value in os.getloadavg()],
        "commit": _checkout(),
    }
