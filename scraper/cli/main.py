"""Command line: `python -m scraper [scrape] …`, `report`, `export`, `status`, `renormalize`.

A thin layer: parse arguments, build the settings, call the run or the report, and turn known
exceptions into one line on stderr plus a documented exit code (`scraper.cli.exit_codes`).
`--traceback` shows the full story of an unexpected error. The scrape and report stacks
(SQLAlchemy, Alembic, Selenium, matplotlib) are imported only by the command that needs them,
so `--help` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from scraper.cli.boundary import exit_code_for, is_reader_gone, report_unexpected, silence
from scraper.cli.exit_codes import ExitCode
from scraper.cli.logsetup import configure_logging
from scraper.cli.progress import make_progress
from scraper.common.errors import ConfigError, ScraperError, UsageError
from scraper.settings import FLAG_NAMES, SETTINGS, SPEC_BY_NAME, Settings, build_settings
from scraper.settings.checks import writable_file

PROG = "python -m scraper"
COMMANDS = ("scrape", "report", "export", "status", "renormalize")
MAX_STATUS_RUNS = 1000
# Settings every command takes as an option; the scrape command takes every setting that has one.
_COMMON_SETTINGS = ("database_url", "log_level")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {PROG} --help)")


def _add_setting(parser: argparse.ArgumentParser, name: str) -> None:
    """The option of setting `name`, its help and keywords from the settings table."""
    spec = SPEC_BY_NAME[name]
    assert spec.option is not None, name
    parser.add_argument(spec.option, dest=spec.name, help=spec.cli_help(), **spec.option_kwargs)


def _add_common(parser: argparse.ArgumentParser) -> None:
    for name in _COMMON_SETTINGS:
        _add_setting(parser, name)
    parser.add_argument("--traceback", action="store_true", help="show the full traceback of an unexpected error")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands; `scrape` is the default command."""
    parser = _Parser(
        prog=PROG,
        description="Scrape Lagou job listings into a database and chart salaries. Try it offline first: "
        "`python -m scraper --sandbox` scrapes the bundled replica of the site on 127.0.0.1 (no network) "
        "and draws the charts.",
        epilog="scrape is the default command, e.g. `python -m scraper --cities all --limit 100`; its options: "
        "`python -m scraper scrape --help`. Exit codes: 0 done, 1 partial (a city failed or was parked, "
        "interrupted, timed out), 2 usage or configuration error, 3 no usable browser or WebDriver, "
        "4 database unreachable, read-only or not ours, 70 an unexpected error (a bug), "
        "75 another run holds the lock, 130/143 stopped by SIGINT/SIGTERM.",
    )
    subs = parser.add_subparsers(dest="command", metavar="{scrape,report,export,status,renormalize}")
    scrape = subs.add_parser("scrape", help="scrape listings (the default command)")
    for spec in SETTINGS:
        if spec.option and spec.name not in _COMMON_SETTINGS:
            _add_setting(scrape, spec.name)
    scrape.add_argument("--sandbox", action="store_true", help="scrape the bundled offline replica instead")
    scrape.add_argument("--no-report", action="store_true", help="skip the charts after the scrape")
    scrape.add_argument(
        "--shared",
        action="store_true",
        help="share this query's page queue with other processes (PostgreSQL; no run lock)",
    )
    scrape.add_argument("--fresh", action="store_true", help="start over instead of resuming an unfinished crawl")
    _add_common(scrape)
    report = subs.add_parser("report", help="draw the charts and summary.json from the database")
    report.add_argument("--out", dest="report_dir", help="output folder (default reports)")
    report.add_argument("--cities", help="cities to include (default: all in the database)")
    report.add_argument("--since", metavar="DATE", help="history from this day on (YYYY-MM-DD, UTC) or an ISO time")
    report.add_argument("--last", metavar="N", help="history of each city's last N runs only")
    report.add_argument("--keyword", help="whose history to show (default: SCRAPER_KEYWORD, else Python)")
    report.add_argument("--site", help="one site only, e.g. 51job (default: every site in the database, pooled)")
    report.add_argument(
        "--all-time", action="store_true", help="figures over every stored job, not each city's latest complete run"
    )
    report.add_argument(
        # charts.breakdown_table.BY_CHOICES, written out: charts is imported only when a report runs
        "--by",
        choices=("experience", "education", "skill"),
        help="print that breakdown instead of the city table",
    )
    report.add_argument(
        "--min-skill-jobs", metavar="N", help="jobs with a parsed salary a skill needs to be listed (default 5)"
    )
    report.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of index.html and the charts (default zh)"
    )
    _add_common(report)
    export = subs.add_parser("export", help="write every stored job as CSV or JSON lines")
    export.add_argument("--format", choices=("csv", "jsonl"), required=True)
    export.add_argument("--output", help="file to write (default standard output)")
    export.add_argument("--cities", help="cities to include (default all)")
    export.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 BOM for Excel")
    export.add_argument(
        "--history",
        action="store_true",
        help="write the per-run salary statistics (one row per city and run) instead of the jobs",
    )
    export.add_argument("--keyword", help="with --history: whose history (default: SCRAPER_KEYWORD, else Python)")
    export.add_argument("--site", help="one site's jobs (or history) only, e.g. 51job (default: every site)")
    _add_common(export)
    status = subs.add_parser("status", help="show the last runs and the page queue of each query")
    status.add_argument("--runs", default="5", help=f"how many recent runs to list (1-{MAX_STATUS_RUNS}, default 5)")
    _add_common(status)
    renorm = subs.add_parser("renormalize", help="re-parse stored salaries written by an older parser")
    _add_common(renorm)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    values = vars(args)
    cli = {key: values.get(key) for key in (*SPEC_BY_NAME, *FLAG_NAMES)}
    if values.get("webdriver_urls"):
        cli["webdriver_urls"] = ",".join(values["webdriver_urls"])
    if values.get("base_url"):
        cli["base_url"] = ",".join(values["base_url"])
    if args.command != "scrape":
        cli["cities"] = None  # report/export filter cities themselves; the scrape default does not apply
    return build_settings(cli)


def _since(text: str | None) -> dt.datetime | None:
    """`--since` as naive UTC: a date means its midnight UTC; a time with an offset is converted."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--since must be a date like 2026-12-01 or an ISO time, got {text!r}") from None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _last(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise ConfigError(f"--last must be a whole number of runs, 1 or more, got {text!r}")
    return int(text)


def _status_runs(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_STATUS_RUNS:
        raise ConfigError(f"--runs must be a whole number from 1 to {MAX_STATUS_RUNS}, got {text!r}")
    return int(text)


def _min_skill_jobs(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise ConfigError(f"--min-skill-jobs must be a whole number of jobs, 1 or more, got {text!r}")
    return int(text)


def _site(text: str | None) -> str | None:
    """`--site` of report and export: one registered site's name, or None when not given."""
    if text is None:
        return None
    from scraper.settings.sites import sites

    chosen = sites("--site", text)
    if len(chosen) != 1:
        raise ConfigError(f"--site takes one site here, got {text!r}")
    return chosen[0]


def _report_cities(args: argparse.Namespace) -> list[str] | None:
    from scraper.model.cities import resolve_cities

    return list(resolve_cities(args.cities)) if getattr(args, "cities", None) else None


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = _settings(args)
    if args.command == "scrape":
        # On a terminal the live progress table sits below the log and the run's lines, all printed
        # through its console; elsewhere logs go to stderr as plain lines.
        from scraper.crawl.run import run_scrape  # the database and browser stacks: only when scraping

        with make_progress(sys.stderr) as progress:
            configure_logging(
                settings.log_level, stream=sys.stderr, console=progress.console, log_file=settings.log_file
            )
            outcome = run_scrape(settings, out=progress.output(out), on_progress=progress.update)
        if outcome.signal_exit is not None:
            return outcome.signal_exit  # stopped by a signal: 130 or 143, and no charts on the way out
        if settings.is_report_enabled:
            from charts.report import HistoryQuery
            from scraper.report.commands import print_report

            print_report(
                settings.database_url,
                settings.report_dir,
                list(settings.cities),
                out=out,
                # The history of the last site scraped, whose run `outcome.run_id` is.
                query=HistoryQuery(keyword=settings.keyword, site=settings.sites[-1], run_id=outcome.run_id),
            )
        return int(ExitCode.OK if outcome.is_complete else ExitCode.PARTIAL)
    from scraper.report import commands as reporting

    configure_logging(settings.log_level, stream=sys.stderr, log_file=settings.log_file)
    if args.command == "report":
        since, last, min_skill_jobs = _since(args.since), _last(args.last), _min_skill_jobs(args.min_skill_jobs)
        from charts.report import HistoryQuery

        site = _site(args.site)
        query = HistoryQuery(keyword=settings.keyword, since=since, last=last, all_time=args.all_time)
        if site is not None:
            query = dataclasses.replace(query, site=site, is_site_only=True)
        reporting.print_report(
            settings.database_url,
            settings.report_dir,
            _report_cities(args),
            out=out,
            query=query,
            by=args.by,
            min_skill_jobs=min_skill_jobs,
            lang=args.lang,
        )
    elif args.command == "export":
        target = writable_file("--output", args.output) if args.output else None
        reporting.export(
            settings.database_url,
            args.format,
            target,
            _report_cities(args),
            bom=args.bom,
            out=out,
            err=err,
            history_keyword=settings.keyword if args.history else None,
            site=_site(args.site),
        )
    elif args.command == "status":
        reporting.print_status(settings.database_url, out=out, runs=_status_runs(args.runs))
    else:
        reporting.renormalize(settings.database_url, out=out)
    return int(ExitCode.OK)


def run() -> NoReturn:
    """The process's entry point (`python -m scraper`, `job-salary-scraper`): `main`, then exit with its code."""
    code = main()
    # The process ends here. Everything still alive (the modules, the report's figures) moves out of
    # the cycle collector's reach, so the interpreter's shutdown does not walk it again and again:
    # 0.15-0.2 s of every command's time. Files and the database are closed by then; nothing
    # relies on a finalizer at exit, which Python does not promise to run anyway.
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    out = out or sys.stdout
    err = err or sys.stderr
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0] not in COMMANDS and words[0] not in ("-h", "--help")):
        words.insert(0, "scrape")
    show_traceback = "--traceback" in words
    try:
        args = build_parser().parse_args(words)
        return _dispatch(args, out, err)
    except ScraperError as exc:
        err.write(f"error: {exc}\n")
        return int(exit_code_for(exc))
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError as exc:
        if not is_reader_gone(out):  # not our output that broke: an unexpected error like any other
            return report_unexpected(exc, err, show_traceback=show_traceback)
        # The reader left (`| head -1`): a normal end, as for cat. Nothing more can be said on stdout,
        # and the interpreter's last flush must not fail again, so stdout now goes nowhere.
        silence(out)
        return int(ExitCode.PARTIAL if words[0] == "scrape" else ExitCode.OK)
    except Exception as exc:  # the CLI boundary: unexpected errors become one line unless --traceback
        return report_unexpected(exc, err, show_traceback=show_traceback)
