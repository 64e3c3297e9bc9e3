"""What both replicas' `python -m` entry points share: argument types that turn a parser's
ValueError into argparse's usage error, and serving in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Replica(Protocol):
    """A replica server: `start()` binds 127.0.0.1 and returns its base URL; `stop()` ends it."""

    def start(self) -> str: ...
    def stop(self) -> None: ...


def argument_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse `type=` that reports `parse`'s ValueError as a usage error (exit 2) with its message."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc

    return convert


def serve(replica: Replica, *, port: int, stop: threading.Event | None, notice: str | None = None) -> int:
    """Start `replica`, print its base URL on stdout (and `notice` on stderr), and serve until Ctrl-C
    or until `stop` is set (for tests). Returns the exit code: 1 when the port cannot be bound."""
    try:
        base_url = replica.start()
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(base_url, flush=True)
    if notice is not None:
        print(notice, file=sys.stderr, flush=True)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        replica.stop()
    return 0
