"""A scripted fake of the `Browser` protocol (scraper.browser.handle), for the worker's policy tests.

`ScriptedBrowsers` is a worker's `start_browser`: every browser it starts takes its answers from
one shared script, in order. A scripted answer is a `FetchedPage` (returned), an exception
(raised, as the real browser raises TransientError or BrowserCrashedError), or `REPLICA` (the
replica's real HTML for the requested URL, rendered in-process by `scraper.sandbox.pages`). Once
the script runs out every load answers `REPLICA`. The site adapter that reads the pages is the
real one: only Chromium is left out, so a policy test runs in milliseconds.

`RecordingStop` is a stop event whose `wait` records the seconds asked for and returns at once,
so backoffs and pacing delays are checked as numbers instead of slept.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qs, urlsplit

from scraper.browser.fetch import FetchedPage
from scraper.model.navigation import ReadyRule, Step
from scraper.sandbox import blocks, pages

BASE_URL = "http://127.0.0.1:9"  # never contacted: the fake browser answers every URL itself


class _Replica:
    """The marker of a scripted answer 'what the replica serves for this URL'."""


REPLICA: Final = _Replica()
Answer = FetchedPage | BaseException | _Replica


def replica_page(url: str) -> FetchedPage:
    """The replica's listing page for `url` (`…/wn/jobs?kd=…&city=…&pn=…`), as a browser would read it."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    html = pages.render_listing(city=query["city"], keyword=query["kd"], page=int(query["pn"]), query=query)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    return FetchedPage(url=url, title=title, html=html, status=200)


def verify_redirect() -> FetchedPage:
    """Where a blocked load ends: the replica's verify page (a redirect away from the listing)."""
    return FetchedPage(
        url=f"{BASE_URL}{blocks.VERIFY_PATH}?t=1", title="", html=blocks.verify_page(blocks.VERIFY_PATH), status=200
    )


def page_without_data(keyword: str = "Python") -> FetchedPage:
    """A page that loads but holds no job data (what a changed layout looks like)."""
    return FetchedPage(
        url=f"{BASE_URL}/wn/jobs", title="拉勾招聘", html=pages.render_shell_without_data(keyword), status=200
    )


@dataclass
class ScriptedBrowser:
    """One started fake browser; it records what the worker asked of it."""

    script: deque[Answer]
    loads: list[str] = field(default_factory=list)
    cookie_clears: int = 0
    quits: int = 0

    def page(self, url: str) -> FetchedPage:
        """The next scripted answer for `url`."""
        self.loads.append(url)
        answer = self.script.popleft() if self.script else REPLICA
        if isinstance(answer, BaseException):
            raise answer
        return replica_page(url) if isinstance(answer, _Replica) else answer

    def follow(self, url: str, steps: Sequence[Step], ready: ReadyRule) -> FetchedPage:
        """Like `page`: the steps are the real browser's business."""
        return self.page(url)

    def clear_cookies(self) -> None:
        """Counted."""
        self.cookie_clears += 1

    def screenshot(self) -> bytes | None:
        """A stand-in PNG signature, so snapshots get a screenshot file."""
        return b"\x89PNG\r\n\x1a\n"

    def quit(self) -> None:
        """Counted; never raises."""
        self.quits += 1


class ScriptedBrowsers:
    """A worker's `start_browser`: each call starts a new `ScriptedBrowser` on the shared script."""

    def __init__(self, script: Iterable[Answer] = ()) -> None:
        self.script: deque[Answer] = deque(script)
        self.started: list[ScriptedBrowser] = []

    def __call__(self) -> ScriptedBrowser:
        browser = ScriptedBrowser(self.script)
        self.started.append(browser)
        return browser

    @property
    def loads(self) -> list[str]:
        """Every URL loaded, by every browser, in order."""
        return [url for browser in self.started for url in browser.loads]

    @property
    def cookie_clears(self) -> int:
        """Cookie clears of every browser."""
        return sum(browser.cookie_clears for browser in self.started)


class RecordingStop(threading.Event):
    """A stop event that never sleeps: `wait(seconds)` records the seconds and returns at once.

    `stop_after` sets the event on that many waits (a Ctrl-C during a backoff, say).
    """

    def __init__(self, *, stop_after: int | None = None) -> None:
        super().__init__()
        self.waits: list[float] = []
        self._stop_after = stop_after

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(0.0 if timeout is None else timeout)
        if self._stop_after is not None and len(self.waits) >= self._stop_after:
            self.set()
        return self.is_set()
