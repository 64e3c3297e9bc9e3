"""`python -m scraper.sandbox`: prints its base URL, serves until stopped, refuses a bad fault spec."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sandbox_helpers import fetch

from scraper.sandbox.__main__ import main as sandbox_main
from scraper.sandbox.pages import listing_url


def test_cli_prints_the_base_url_and_serves_until_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(sandbox_main(["--fault", "http_503:every=2"], stop=stop)))
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while not (out := capsys.readouterr().out) and time.monotonic() < deadline:
            time.sleep(0.05)
        base = out.strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        statuses = [fetch(base, listing_url("北京", "Python", n)).status for n in (1, 2)]
    finally:
        stop.set()
        runner.join(timeout=10)
    assert (statuses, codes) == ([200, 503], [0])


def test_cli_rejects_a_bad_fault_spec(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sandbox_main(["--fault", "slow:every=zero"])
    assert exit_info.value.code == 2
    assert "argument --fault: fault option every must be a whole number, got 'zero'" in capsys.readouterr().err
