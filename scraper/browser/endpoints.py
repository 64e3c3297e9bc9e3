"""Remote WebDriver endpoints: parse the configured URLs and share their browser slots between workers.

`parse_endpoints` turns `--webdriver-url` / `SCRAPER_WEBDRIVER_URLS` text into `Endpoint`s (a
Selenium Grid 4 router or standalone, or a bare chromedriver, each with a session capacity);
it is pure, so settings can validate it before anything starts. `EndpointPool` hands a free
slot to each worker that opens a remote browser and takes it back on `quit()`. No Selenium
here: `remote` opens the sessions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from urllib.parse import SplitResult, unquote, urlsplit

from scraper.common.errors import ConfigError, DriverError
from scraper.common.masking import mask_secrets

DEFAULT_CAPACITY = 1
ALLOWED_SCHEMES = ("http", "https")
CAPACITY_SEPARATOR = "#"
URL_SEPARATOR = ","
# How often a waiting `acquire` looks at the stop event; a release wakes it sooner.
STOP_POLL_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One WebDriver server. `url` has no credentials and no trailing slash (selenium appends
    `/session` to it); `capacity` is how many browsers it may run at once for this scraper."""

    url: str
    capacity: int = DEFAULT_CAPACITY
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        """The URL for messages and logs: the user name kept, the password never shown."""
        if self.username is None:
            return self.url
        scheme, rest = self.url.split("://", 1)
        return f"{scheme}://{self.username}:***@{rest}"


def parse_endpoints(text: str) -> tuple[Endpoint, ...]:
    """Parse a comma list of WebDriver URLs, each optionally ending in `#N` (capacity N, default 1).

    Example: `http://127.0.0.1:4444#4,http://127.0.0.1:9515`. Blank entries are skipped, so an
    empty text gives () (no remote browsers: run locally). Raises ConfigError with a one-line
    message (passwords masked) for a scheme other than http(s), a missing host, a bad port, a
    query string, a capacity that is not a whole number ≥ 1, or the same URL given twice.
    """
    endpoints: list[Endpoint] = []
    for entry in (part.strip() for part in text.split(URL_SEPARATOR)):
        if entry:
            endpoints.append(_parse_one(entry))
    seen: set[str] = set()
    for endpoint in endpoints:
        if endpoint.url in seen:
            raise ConfigError(f"WebDriver URL {endpoint.label} is given twice; give its capacity once as #N")
        seen.add(endpoint.url)
    return tuple(endpoints)


def _parse_one(entry: str) -> Endpoint:
    shown = mask_secrets(entry)
    address, capacity = entry, DEFAULT_CAPACITY
    if CAPACITY_SEPARATOR in entry:
        # The last # starts the capacity (a # inside a password must be percent-encoded anyway).
        address, capacity_text = entry.rsplit(CAPACITY_SEPARATOR, 1)
        if not (capacity_text.isascii() and capacity_text.isdigit()) or int(capacity_text) < 1:
            raise ConfigError(f"WebDriver URL {shown}: the capacity after # must be a whole number ≥ 1")
        capacity = int(capacity_text)
    parts = urlsplit(address)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise ConfigError(f"WebDriver URL {shown}: must start with http:// or https://")
    if not parts.hostname:
        raise ConfigError(f"WebDriver URL {shown}: no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"WebDriver URL {shown}: the port is not a number from 1 to 65535") from exc
    if port == 0:
        raise ConfigError(f"WebDriver URL {shown}: the port is not a number from 1 to 65535")
    if parts.query:
        raise ConfigError(f"WebDriver URL {shown}: a WebDriver server URL takes no ?query")
    return Endpoint(
        url=_without_credentials(parts),
        capacity=capacity,
        username=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def _without_credentials(parts: SplitResult) -> str:
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


class EndpointPool:
    """Free browser slots across endpoints, shared by the worker threads (thread-safe).

    `acquire` takes a slot on the least-loaded endpoint, waiting up to `acquire_timeout`
    seconds while all are full; `release` gives it back. A set `stop` event ends the wait.
    """

    def __init__(
        self, endpoints: Sequence[Endpoint], *, acquire_timeout: float, stop: threading.Event | None = None
    ) -> None:
        if not endpoints:
            raise ConfigError("no WebDriver endpoint given")
        self._endpoints = tuple(endpoints)
        self._acquire_timeout = acquire_timeout
        self._stop = stop
        self._in_use = dict.fromkeys(self._endpoints, 0)
        self._changed = threading.Condition()

    @property
    def endpoints(self) -> tuple[Endpoint, ...]:
        """The endpoints, in the order they were configured."""
        return self._endpoints

    @property
    def capacity(self) -> int:
        """How many browsers all endpoints together may run at once."""
        return sum(endpoint.capacity for endpoint in self._endpoints)

    def in_use(self) -> dict[str, int]:
        """Slots taken per endpoint label, in configured order."""
        with self._changed:
            return {endpoint.label: self._in_use[endpoint] for endpoint in self._endpoints}

    def acquire(self, *, avoid: Collection[Endpoint] = ()) -> Endpoint:
        """Take a slot: on an endpoint not in `avoid` when one is free, the least loaded first.

        Raises DriverError when every slot stays taken for `acquire_timeout` seconds, or when
        the stop event is set while waiting.
        """
        deadline = time.monotonic() + self._acquire_timeout
        with self._changed:
            while True:
                chosen = self._pick(avoid)
                if chosen is not None:
                    self._in_use[chosen] += 1
                    return chosen
                if self._stop is not None and self._stop.is_set():
                    raise DriverError("stopped while waiting for a free WebDriver endpoint")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DriverError(
                        f"no free WebDriver slot after waiting {self._acquire_timeout:g}s: all {self.capacity} "
                        "are in use; add endpoints or raise their capacity (#N)"
                    )
                self._changed.wait(min(remaining, STOP_POLL_SECONDS) if self._stop is not None else remaining)

    def release(self, endpoint: Endpoint) -> None:
        """Give back a slot taken by `acquire`. Raises ValueError for a slot that was not taken."""
        with self._changed:
            if self._in_use.get(endpoint, 0) <= 0:
                raise ValueError(f"{endpoint.label} has no slot in use to release")
            self._in_use[endpoint] -= 1
            self._changed.notify()

    def _pick(self, avoid: Collection[Endpoint]) -> Endpoint | None:
        free = [e for e in self._endpoints if self._in_use[e] < e.capacity]
        # After a failed session the caller asks for another endpoint, but takes the same one
        # rather than none when it is the only one free.
        preferred = [e for e in free if e not in avoid] or free
        if not preferred:
            return None
        return min(preferred, key=lambda e: self._in_use[e] / e.capacity)
