"""The DB-writer thread: the only thread that touches the database while a scrape runs.

City workers `submit` each parsed `PageResult`; the `JobWriter` batches postings (up to
`batch_size`, or whatever arrived within `flush_interval`) and stores each batch in one
transaction (`scraper.crawl.batches`). A database outage loses no rows: the same batch is
retried (`RetryPolicy`) until `give_up_after` seconds have passed; then the writer records
`error`, and every posting, queued or still to come, lands in `unwritten`. A batch refused for
another reason costs only the postings to blame (`scraper.crawl.refusals`): they go to `set_aside`.
`close()` means "write everything queued, then stop"; `call` runs a page claim on this thread."""

from __future__ import annotations

import datetime as dt
import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Generic, TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from db.engine import database_error, is_transient_error
from db.writes import UpsertCounts
from scraper.common.backoff import RetryPolicy
from scraper.common.errors import DatabaseError
from scraper.crawl.batches import cut_batch, row_count, store_pages
from scraper.crawl.batches import postings_of as _postings_of
from scraper.crawl.refusals import POSTING_ERRORS, find_refused, without
from scraper.model.postings import PageResult, Posting

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
DEFAULT_FLUSH_INTERVAL_S = 0.5
_CLOSE: Final = object()  # queue sentinel: no more pages will come
CALL_TIMEOUT_S = 120.0  # a claim waits at most this long for the writer (e.g. through an outage)
T = TypeVar("T")


class JobWriter(threading.Thread):
    """Consumes `PageResult`s from a queue and stores their postings in batches.

    Use as a context manager (start, then close and join on exit) or call `start`, `submit`
    from any thread, `close`, `join`, then read `counts`, `error` and `unwritten`.
    """

    def __init__(
        self,
        *,
        engine: Engine,
        site: str,
        keyword: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        flush_interval: float = DEFAULT_FLUSH_INTERVAL_S,
        retry: RetryPolicy | None = None,
        limit: int | None = None,
        run_id: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        super().__init__(name="JobWriter")
        self._engine = engine
        self._site = site
        self._keyword = keyword
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._retry = retry or RetryPolicy()
        self._rng = random.Random()  # jitter of the outage retries
        self._limit, self._run_id = limit, run_id  # postings per city (shared frontier); who observed them
        self._queue: queue.Queue[PageResult | object] = queue.Queue()
        self._lock = threading.Lock()  # guards _closed, _counts, _unwritten
        self._closed = False
        self._abort = threading.Event()
        self._counts: dict[str, UpsertCounts] = {}
        self._unwritten: list[Posting] = []
        self._set_aside: list[Posting] = []  # refused by the database one by one; the rest was written
        self._pending: list[PageResult] = []  # touched by the writer thread only
        self._has_taken_close = False  # ditto: the sentinel has been taken off the queue
        self._error: DatabaseError | None = None

    def __enter__(self) -> JobWriter:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
        self.join()

    def submit(self, result: PageResult) -> None:
        """Queue one page's postings for writing. Never blocks. Raises RuntimeError after `close()`."""
        with self._lock:
            if self._closed:
                raise RuntimeError("JobWriter.submit() called after close()")
            self._queue.put(result)

    def call(self, function: Callable[[Connection], T], *, timeout: float = CALL_TIMEOUT_S) -> T:
        """Run `function(connection)` in one transaction on the writer thread and return its result.

        Raises what `function` raised, DatabaseError when the writer has given up or is closed,
        and TimeoutError when the writer does not answer within `timeout` seconds.
        """
        future: Future[T] = Future()
        with self._lock:
            if self._closed or self._error is not None:
                raise DatabaseError("the database writer is not accepting work")
            self._queue.put(_Call(function, future))
        return future.result(timeout=timeout)

    def close(self) -> None:
        """Ask the writer to write everything queued so far and then stop. Idempotent."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put(_CLOSE)

    def abort(self) -> None:
        """Stop waiting out an outage (e.g. on Ctrl-C): give up now; the rest goes to `unwritten`."""
        self._abort.set()

    @property
    def counts(self) -> dict[str, UpsertCounts]:
        """New/repeated postings per city among those written so far (a copy)."""
        with self._lock:
            return dict(self._counts)

    @property
    def error(self) -> DatabaseError | None:
        """Why the writer gave up, or None while it has not."""
        return self._error

    @property
    def set_aside(self) -> tuple[Posting, ...]:
        """Postings the database refused on their own (their batches were written without them)."""
        with self._lock:
            return tuple(self._set_aside)

    @property
    def unwritten(self) -> tuple[Posting, ...]:
        """Postings not stored because the writer gave up, in arrival order (empty if it did not)."""
        with self._lock:
            return tuple(self._unwritten)

    def run(self) -> None:
        """Thread body: batch and write until the close sentinel, then return."""
        try:
            self._consume()
        except Exception as exc:  # thread boundary: even a bug here must not lose rows
            failure = DatabaseError(f"database writer crashed: {type(exc).__name__}: {exc}")
            failure.__cause__ = exc
            self._give_up(failure, _postings_of(self._pending))
            self._pending = []
            if not self._has_taken_close:
                self._drain_into_unwritten()

    def _consume(self) -> None:
        """Write each batch when it is full, or `flush_interval` after its first page arrived, or at close."""
        while not self._has_taken_close:
            self._take(self._queue.get())
            if not self._pending:
                continue  # a call: nothing to write
            due = time.monotonic() + self._flush_interval
            while self._pending and not self._has_taken_close and time.monotonic() < due:
                self._fill(until=due)
                while row_count(self._pending) >= self._batch_size:
                    batch, self._pending = cut_batch(self._pending, self._batch_size)
                    self._write(batch)
            if self._pending:
                self._write(self._pending)
                self._pending = []

    def _fill(self, *, until: float) -> None:
        """Take queued items until the pending pages hold a batch, `until` passes or the close arrives.

        What is already queued is taken even after `until`, so a backlog (after an outage, say)
        is written in full batches rather than one small batch per page.
        """
        while row_count(self._pending) < self._batch_size and not self._has_taken_close:
            try:
                self._take(self._queue.get(timeout=max(0.0, until - time.monotonic())))
            except queue.Empty:
                return

    def _take(self, item: object) -> None:
        if item is _CLOSE:
            self._has_taken_close = True
        elif isinstance(item, PageResult):
            self._pending.append(item)
        elif isinstance(item, _Call):
            self._run_call(item)

    def _run_call(self, item: _Call[Any]) -> None:
        if self._error is not None:  # given up: do not make the caller wait for another connect timeout
            self._refuse(item)
            return
        if not item.future.set_running_or_notify_cancel():
            return
        try:
            with self._engine.begin() as conn:
                item.future.set_result(item.function(conn))
        except Exception as exc:  # handed to the caller, who decides (a claim failure is transient)
            item.future.set_exception(exc)

    def _write(self, pages: Sequence[PageResult]) -> None:
        """Store the pages' postings and checkpoints in one transaction, retrying on outages; on
        giving up keep the postings as unwritten."""
        batch = _postings_of(pages)
        if self._error is not None:
            with self._lock:
                self._unwritten.extend(batch)
            return
        seen_at = dt.datetime.now(dt.UTC)
        outage_started: float | None = None
        attempt = 0
        while True:
            try:
                with self._engine.begin() as conn:
                    added = store_pages(conn, pages, **self._store_options(seen_at))
            except POSTING_ERRORS as exc:
                if not isinstance(exc, SQLAlchemyError) or not is_transient_error(exc):
                    refused = find_refused(self._engine, pages, cause=exc, **self._store_options(seen_at))
                    if not refused:  # no posting is to blame: the batch cannot be written at all
                        self._give_up(self._failure(exc, "cannot write to database"), batch)
                        return
                    self._note_refused(refused, exc)
                    pages = without(pages, refused)
                    batch = _postings_of(pages)
                    continue
                now = time.monotonic()
                outage_started = outage_started if outage_started is not None else now
                wait = self._retry.wait_before(attempt, self._rng)
                attempt += 1
                if now + wait - outage_started > self._retry.give_up_after:
                    self._give_up(self._failure(exc, "gave up writing to database"), batch)
                    return
                log.warning(
                    "%s; retry %d of this batch in %.1f s",
                    database_error(self._engine.url, exc, action="database unavailable"),
                    attempt,
                    wait,
                )
                if self._abort.wait(wait):
                    self._give_up(self._failure(exc, "aborted while waiting for database"), batch)
                    return
                continue
            with self._lock:
                for city, (new, repeated) in added.items():
                    before = self._counts.get(city, UpsertCounts())
                    self._counts[city] = UpsertCounts(before.new + new, before.repeated + repeated)
            return

    def _store_options(self, seen_at: dt.datetime) -> dict[str, Any]:
        options = {"site": self._site, "keyword": self._keyword, "limit": self._limit or 0, "seen_at": seen_at}
        return {**options, "run_id": self._run_id}

    def _note_refused(self, refused: Sequence[Posting], exc: Exception) -> None:
        reason = self._failure(exc, "refused by")
        for posting in refused:
            log.error("%s: posting %r set aside (%s)", posting.city, posting.title[:80], reason)
        with self._lock:
            self._set_aside.extend(refused)

    def _failure(self, exc: BaseException, action: str) -> DatabaseError:
        failure = database_error(self._engine.url, exc, action=action)
        failure.__cause__ = exc
        return failure

    def _give_up(self, failure: DatabaseError, batch: Sequence[Posting]) -> None:
        log.error("%s", failure)
        with self._lock:
            self._error = failure
            self._unwritten.extend(batch)

    def _drain_into_unwritten(self) -> None:
        # After a crash, keep taking pages until close() so producers' postings are still accounted for,
        # and answer every queued call at once: its worker must not wait out CALL_TIMEOUT_S.
        while (item := self._queue.get()) is not _CLOSE:
            if isinstance(item, PageResult):
                with self._lock:
                    self._unwritten.extend(item.postings)
            elif isinstance(item, _Call):
                self._refuse(item)

    def _refuse(self, item: _Call[Any]) -> None:
        """Fail a call because the writer has given up; its caller sees why at once."""
        if item.future.set_running_or_notify_cancel():
            item.future.set_exception(DatabaseError(f"the database writer stopped: {self._error}"))


@dataclass(frozen=True, slots=True)
class _Call(Generic[T]):
    function: Callable[[Connection], T]
    future: Future[T]
