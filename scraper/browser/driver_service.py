"""A local chromedriver service tied to its run: its own process group, the run's marker, and the
group reported the moment the process exists (before the browser starts), so the run's
`Lifeline` can kill the driver and its whole browser even when the run dies during a start."""

from __future__ import annotations

from collections.abc import Callable

from selenium.webdriver.chrome.service import Service

from scraper.browser.processes import Lifeline


class GroupedService(Service):
    """A chromedriver service in a process group of its own, carrying the run's marker, that
    reports its group (the driver's PID) the moment the process exists."""

    def __init__(self, path: str, *, lifeline: Lifeline, on_start: Callable[[int], None]) -> None:
        super().__init__(path, env=lifeline.environment(), popen_kw={"start_new_session": True})
        self._on_start = on_start

    def _start_process(self, path: str) -> None:
        super()._start_process(path)
        self._on_start(self.process.pid)
