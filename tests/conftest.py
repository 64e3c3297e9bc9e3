"""Shared fixtures: a SQLite file per test, a throwaway PostgreSQL database per test, the replica
(`replica`), the shared reference pages (`reference_pages`), and the real remote WebDriver servers
(`grid_url`: a Selenium Grid 4 standalone; `chromedriver_url`: a bare chromedriver).

Every test runs in its own empty folder with no `SCRAPER_*` or `DATABASE_URL` variable set, so
neither a developer's `.env` nor their environment can change a test. Helpers shared by the test
modules (`run_cli`, the DB readers) are in helpers.py.

`db_url` runs a test once per backend (ids "sqlite" and "postgres"; the PostgreSQL case carries
the `postgres` mark). `migrated_engine` is an engine on that database after `upgrade_schema`.
PostgreSQL must listen on 127.0.0.1:5432 with trust auth for user postgres; when it does not,
its tests are skipped with the reason, except under CI (the CI variable set), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from psycopg2 import sql
from remote_helpers import (
    GRID_DIR,
    GRID_JAR_GLOB,
    GRID_SESSIONS,
    GRID_START_SECONDS,
    free_port,
    skip_or_fail,
    stop_process,
    wait_until_ready,
)
from sqlalchemy import Engine

from db.engine import make_engine, upgrade_schema
from scraper.browser.local import find_chrome_binary, find_chromedriver
from scraper.sandbox.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
# The shared folder beside the checkout (`../shared`), or wherever this variable points. It is read
# once, here: the autouse fixture below clears SCRAPER_* variables for each test.
SHARED_DIR_VAR = "SCRAPER_SHARED_DIR"
SHARED_DIR = Path(os.environ.get(SHARED_DIR_VAR) or ROOT.parent / "shared")

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_ADMIN_DSN = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres connect_timeout=3"
# psycopg2 named explicitly: SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3 (not installed),
# and some tests build engines with plain create_engine().
PG_URL_TEMPLATE = f"postgresql+psycopg2://postgres@{PG_HOST}:{PG_PORT}/{{name}}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin DSN of the local PostgreSQL server, checked once per session; skips (fails in CI) if down."""
    try:
        psycopg2.connect(PG_ADMIN_DSN).close()
    except psycopg2.Error as exc:
        lines = str(exc).strip().splitlines()
        reason = f"PostgreSQL not reachable on {PG_HOST}:{PG_PORT}: {lines[0] if lines else type(exc).__name__}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return PG_ADMIN_DSN


def _admin(dsn: str, statement: sql.Composable) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    connection = psycopg2.connect(dsn)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file in a not-yet-existing folder under the test's temp dir."""
    return f"sqlite:///{tmp_path / 'data' / 'jobs.sqlite3'}"


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    """URL of a freshly created, uniquely named PostgreSQL database, dropped (FORCE) after the test."""
    name = f"test_jobs_{uuid.uuid4().hex[:12]}"
    _admin(postgres_server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield PG_URL_TEMPLATE.format(name=name)
    finally:
        _admin(postgres_server, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """URL of an empty database, once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def migrated_engine(db_url: str) -> Iterator[Engine]:
    """Engine on `db_url` with the schema migrated to head; disposed after the test."""
    engine = make_engine(db_url)
    upgrade_schema(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own empty folder: no stray .env is read, no data/ or snapshots/ left behind."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SCRAPER_* or DATABASE_URL variable of the developer's reaches a test (or its subprocesses)."""
    for var in list(os.environ):
        if var.startswith("SCRAPER_") or var == "DATABASE_URL":
            monkeypatch.delenv(var)


@pytest.fixture
def replica() -> Iterator[ReplicaServer]:
    """The replica, serving on a free port of 127.0.0.1 for one test."""
    with ReplicaServer() as server:
        yield server


@pytest.fixture(scope="session")
def reference_pages() -> Path:
    """The real saved pages in the shared reference folder (../shared beside the checkout, or
    $SCRAPER_SHARED_DIR); the test is skipped when the folder is absent. Read in place, never copied."""
    folder = SHARED_DIR / "reference" / "real-pages"
    if not folder.is_dir():
        pytest.skip(f"shared reference pages not found at {folder} (set {SHARED_DIR_VAR} to the shared folder)")
    return folder


@pytest.fixture(scope="session")
def grid_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Selenium Grid 4 standalone on 127.0.0.1 running the OS chromedriver and Chromium."""
    jars = sorted(GRID_DIR.glob(GRID_JAR_GLOB))
    java = shutil.which("java")
    if not jars:
        skip_or_fail(f"no Selenium Grid jar under {GRID_DIR}: run scripts/install_grid.sh")
    if java is None:
        skip_or_fail("java not found: the Selenium Grid needs Java 11+")
    assert java is not None
    chromedriver, chromium = find_chromedriver(None), find_chrome_binary(None)
    stereotype: dict[str, Any] = {"browserName": "chrome"}
    if chromium:
        stereotype["goog:chromeOptions"] = {"binary": chromium}
    port = free_port()
    log = tmp_path_factory.mktemp("grid") / "grid.log"
    command = [
        java,
        "-jar",
        str(jars[-1]),
        "standalone",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--max-sessions",
        str(GRID_SESSIONS),
        "--override-max-sessions",
        "true",
        "--selenium-manager",
        "false",
        "--detect-drivers",
        "false",
        "--tracing",
        "false",
        "--driver-configuration",
        "display-name=chromium",
        f"max-sessions={GRID_SESSIONS}",
        f"webdriver-executable={chromedriver}",
        f"stereotype={json.dumps(stereotype)}",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, process, log, GRID_START_SECONDS)
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def chromedriver_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A bare chromedriver listening on 127.0.0.1."""
    port = free_port()
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [find_chromedriver(None), f"--port={port}"], stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, process, log, 30)
        yield url
    finally:
        stop_process(process)
