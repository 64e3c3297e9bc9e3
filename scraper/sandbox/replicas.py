"""The replica of each site, by site name: what `--sandbox` serves on 127.0.0.1.

A site's replica lives beside the others under `scraper.sandbox` (Lagou's in the package's own
modules, 51job's in `scraper.sandbox.job51`); adding a site adds one line to `REPLICAS`.
`serve_replica` starts one for a run and yields its root URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager

from scraper.sandbox.job51.server import Job51Replica
from scraper.sandbox.server import ReplicaServer


@contextlib.contextmanager
def _lagou(*, day: int, render_delay: float) -> Iterator[str]:
    with ReplicaServer(day=day) as server:  # Lagou's pages are server-rendered: no render delay
        yield server.base_url


@contextlib.contextmanager
def _job51(*, day: int, render_delay: float) -> Iterator[str]:
    # The 51job replica has one day only (its data does not change over time).
    with Job51Replica(render_delay=render_delay) as server:
        yield server.base_url


REPLICAS: dict[str, Callable[..., ContextManager[str]]] = {
    "lagou": _lagou,
    "51job": _job51,
}


def serve_replica(site: str, *, day: int = 0, render_delay: float = 0.3) -> ContextManager[str]:
    """Serve `site`'s replica (as of `day`, rendering after `render_delay` seconds where the site's
    pages render late) for the `with` block; yields its root URL. Raises KeyError for a site without one."""
    return REPLICAS[site](day=day, render_delay=render_delay)
