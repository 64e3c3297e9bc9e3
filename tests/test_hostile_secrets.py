"""No URL credential is ever stored (issue 20, item 7): a password in `--base-url` reaches no table,
log line, export, status output or snapshot; a PostgreSQL password holding a raw '@' is refused
before any connection (exit 2) with the advice to percent-encode it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli
from hostile_helpers import expected, quick_policy, rows_by_city, scrape
from sqlalchemy import create_engine, text

from db.models import Base
from scraper.common.masking import without_credentials
from scraper.sandbox.faults import FaultPlan
from scraper.sandbox.server import ReplicaServer

PASSWORD = "S3cretPw77"
AT_URL = "postgresql://scraper:Sec@ret_Pw91@127.0.0.1/db"


def everything_stored(url: str) -> str:
    """Every value of every table, as text."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return "\n".join(
                repr(tuple(row))
                for table in Base.metadata.sorted_tables
                for row in conn.execute(text(f"SELECT * FROM {table.name}"))
            )
    finally:
        engine.dispose()


@pytest.mark.browser
def test_a_password_in_the_base_url_is_stored_logged_exported_and_snapshotted_nowhere(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    quick_policy(tmp_path, monkeypatch)
    monkeypatch.setenv("SCRAPER_LOG_LEVEL", "DEBUG")
    cities, limit = ("北京",), 20
    texts: list[str] = []
    # One transient fault (its message names the URL) and one block (a snapshot), each in one run.
    for fault in ("http_500:every=2,times=1", "redirect_verify:every=2,times=1"):
        with ReplicaServer(faults=FaultPlan.parse(fault)) as server:
            base = server.base_url.replace("http://", f"http://scraper:{PASSWORD}@")
            code, out, err = scrape(base, db_url, cities, limit, "--fresh")
        assert code == 0, err + out
        texts += [out, err]
    assert rows_by_city(db_url, cities) == expected(cities, limit)
    for fmt in ("csv", "jsonl"):
        code, out, err = run_cli("export", "--format", fmt, "--output", str(tmp_path / f"jobs.{fmt}"), "--db", db_url)
        assert code == 0, err
        texts.append((tmp_path / f"jobs.{fmt}").read_text(encoding="utf-8"))
    texts += list(run_cli("status", "--db", db_url)[1:])
    snapshots = list((tmp_path / "snapshots").iterdir())
    assert any(path.suffix == ".html" for path in snapshots)
    stored = everything_stored(db_url)
    assert "127.0.0.1" in stored  # the URLs are there, without their credentials
    logged = capfd.readouterr().err  # the log as written (passwords masked by the log filter)
    assert "HTTP 500 from http://scraper:***@127.0.0.1:" in logged
    assert PASSWORD not in logged
    for where, content in [("tables", stored), *(("output", t) for t in texts)]:
        assert PASSWORD not in content, where
        assert "scraper:" not in content, where  # stored URLs keep no user name either
    for path in snapshots:
        assert PASSWORD.encode() not in path.read_bytes(), path.name


def test_without_credentials_keeps_everything_but_the_user_information() -> None:
    assert (
        without_credentials("http://u:p%40ss@127.0.0.1:8000/wn/jobs?kd=x#f") == "http://127.0.0.1:8000/wn/jobs?kd=x#f"
    )
    assert without_credentials("http://u:a@b@127.0.0.1") == "http://127.0.0.1"
    assert without_credentials("https://www.lagou.com/wn/jobs") == "https://www.lagou.com/wn/jobs"
    assert without_credentials("not a url") == "not a url"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_postgresql_password_with_a_raw_at_sign_is_refused_before_connecting(how: str) -> None:
    """Run without a network (`unshare -n`): were the URL used, the driver would look up a host name."""
    argv = [sys.executable, "-m", "scraper", "status"] + (["--db", AT_URL] if how == "option" else [])
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.cwd())} | (
        {"DATABASE_URL": AT_URL} if how == "environment" else {}
    )
    done = subprocess.run(
        ["unshare", "-n", *argv], capture_output=True, text=True, timeout=60, env=env, cwd=Path.cwd(), check=False
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "error: invalid database URL 'postgresql://scraper:***@127.0.0.1/db': the user name or password holds "
        "an '@'; percent-encode it (%40), e.g. postgresql://user:p%40ss@host/dbname\n"
    )
    assert "Sec" not in done.stderr + done.stdout
    assert "ret_Pw91" not in done.stderr + done.stdout
