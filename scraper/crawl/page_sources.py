"""Page sources: where a city worker gets its next listing page number.

`LocalPages` is an in-process queue of the pages still to load (a resumed crawl leaves out the
stored ones). `SharedPages` claims pages from the crawl's queue in the database, through the
writer thread (the one thread that touches the database), so several processes can work one
query; when other processes hold the remaining pages it waits and asks again, which is also
how an expired claim of a crashed process gets taken over.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy import Connection

from db.shared_queue import Claim, claim_page

T = TypeVar("T")
CLAIM_POLL_SECONDS = 1.0


class PageSource(Protocol):
    """The page numbers of one city, in listing order."""

    is_shared: bool

    def next_page(self, stop: threading.Event) -> int | None:
        """The next page to load, or None when the city needs no more pages (or on stop)."""
        ...


class LocalPages:
    """Pages 1..max_pages less the ones already stored, handed out from a `queue.Queue`."""

    is_shared = False

    def __init__(self, pages: list[int]) -> None:
        self._queue: queue.Queue[int] = queue.Queue()
        for page in pages:
            self._queue.put(page)

    def next_page(self, stop: threading.Event) -> int | None:
        """The next queued page, or None when none is left."""
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None


class SharedPages:
    """Pages claimed from the database queue of a shared crawl (see `db.shared_queue`)."""

    is_shared = True

    def __init__(
        self, *, crawl_id: int, owner: str, ttl: float, call: Callable[[Callable[[Connection], Claim]], Claim]
    ) -> None:
        self._crawl_id, self._owner, self._ttl, self._call = crawl_id, owner, ttl, call

    def next_page(self, stop: threading.Event) -> int | None:
        """Claim the lowest free page; wait while other processes hold the rest; None when finished."""
        while not stop.is_set():
            claim = self._call(self._claim)
            if claim.page is not None:
                return claim.page
            if claim.is_finished:
                return None
            stop.wait(CLAIM_POLL_SECONDS)
        return None

    def _claim(self, conn: Connection) -> Claim:
        return claim_page(conn, crawl_id=self._crawl_id, owner=self._owner, ttl=self._ttl, now=dt.datetime.now(dt.UTC))
