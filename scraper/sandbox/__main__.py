"""`python -m scraper.sandbox`: run the Lagou replica in the foreground until Ctrl-C.

Prints the base URL (one line on stdout) so a person or a script can point a browser or the
scraper at it. `--fault` takes a `FaultPlan` spec (e.g. ``rate_limit_json:every=3``); `--day N`
serves the listings as they look N days later (`scraper.sandbox.days`). A bad value is a usage
error (exit 2) with the parser's message.
"""

from __future__ import annotations

import argparse
import sys
import threading

from scraper.sandbox.days import MAX_DAY, check_day
from scraper.sandbox.faults import FaultPlan
from scraper.sandbox.server import ReplicaServer
from scraper.sandbox.serving import argument_type, serve


def _latency(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"latency must be a number of seconds, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"latency must be >= 0, got {text!r}")
    return value


def _day(text: str) -> int:
    try:
        return check_day(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"day must be a whole number from 0 to {MAX_DAY}, got {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m scraper.sandbox`."""
    parser = argparse.ArgumentParser(prog="python -m scraper.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: a free port)")
    parser.add_argument(
        "--fault",
        type=argument_type(FaultPlan.parse),
        default=None,
        metavar="SPEC",
        help="e.g. rate_limit_json:every=3",
    )
    parser.add_argument("--day", type=_day, default=0, metavar="N", help="serve the site as it looks N days later")
    parser.add_argument("--latency", type=_latency, default=0.0, metavar="S", help="seconds before each listing page")
    return parser


def main(argv: list[str] | None = None, *, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl-C (or until `stop` is set, for tests). Returns the exit code."""
    args = build_parser().parse_args(argv)
    replica = ReplicaServer(port=args.port, faults=args.fault, latency=args.latency, day=args.day)
    notice = f"fault: {args.fault.spec}" if args.fault is not None else None
    return serve(replica, port=args.port, stop=stop, notice=notice)


if __name__ == "__main__":
    sys.exit(main())
