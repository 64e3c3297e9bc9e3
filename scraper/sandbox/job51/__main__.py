"""`python -m scraper.sandbox.job51`: run the 51job replica in the foreground until Ctrl-C.

Prints the base URL (one line on stdout). `--fault SPEC` (repeatable) switches a fault on, e.g.
``verify_card:every=3,cities=上海`` (`scraper.sandbox.job51.faults`); `--render-delay S` is how long
the page waits before it fetches and renders its list (the real page takes about 8-9 s). A bad
value is a usage error (exit 2) with the parser's message.
"""

from __future__ import annotations

import argparse
import sys
import threading

from scraper.sandbox.job51.faults import Job51FaultPlan
from scraper.sandbox.job51.server import DEFAULT_RENDER_DELAY, Job51Replica
from scraper.sandbox.serving import argument_type, serve


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"render delay must be a number of seconds, got {text!r}") from None
    if not 0 <= value <= 120:
        raise argparse.ArgumentTypeError(f"render delay must be between 0 and 120 seconds, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m scraper.sandbox.job51`."""
    parser = argparse.ArgumentParser(prog="python -m scraper.sandbox.job51", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: a free port)")
    parser.add_argument(
        "--fault",
        type=argument_type(Job51FaultPlan.parse),
        action="append",
        default=[],
        metavar="SPEC",
        help="e.g. xhr_fail:every=3",
    )
    parser.add_argument("--render-delay", type=_delay, default=DEFAULT_RENDER_DELAY, metavar="S", help="seconds")
    return parser


def main(argv: list[str] | None = None, *, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl-C (or until `stop` is set, for tests). Returns the exit code."""
    args = build_parser().parse_args(argv)
    replica = Job51Replica(port=args.port, faults=tuple(args.fault), render_delay=args.render_delay)
    return serve(replica, port=args.port, stop=stop)


if __name__ == "__main__":
    sys.exit(main())
