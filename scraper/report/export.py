"""Export: write every stored job, with its parsed salary fields, as CSV or JSON Lines; or, with
`--history`, the salary history (one row per city and complete run: `HISTORY_FIELDS`).

Reads through `db.reads.load_jobs`, so the columns are the fields of `JobRecord` in order.
CSV cells are text: None becomes an empty cell, skills are joined with ",", datetimes are
ISO 8601. JSONL keeps types: null, numbers, a list of skills, ISO datetime strings. Output is
UTF-8; CSV may start with a byte-order mark so Excel detects the encoding.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Literal, TextIO

from sqlalchemy import Engine

from db.reads import JOB_RECORD_FIELDS, JobRecord, load_jobs
from scraper.common.errors import ConfigError
from scraper.model.cities import city_order

ExportFormat = Literal["csv", "jsonl"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl")
BOM = "\ufeff"
SKILL_SEPARATOR = ","


def _json_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return SKILL_SEPARATOR.join(value)
    return str(value)


def job_to_json(job: JobRecord) -> dict[str, object]:
    """One job as a JSON-ready dict (the JSONL line before encoding)."""
    return {name: _json_value(value) for name, value in asdict(job).items()}


def job_to_csv_row(job: JobRecord) -> list[str]:
    """One job as CSV cells, in `JOB_RECORD_FIELDS` order."""
    return [_csv_cell(value) for value in asdict(job).values()]


def write_jobs(jobs: Sequence[JobRecord], fmt: ExportFormat, stream: TextIO) -> None:
    """Write `jobs` to an open text stream: CSV with a header row, or one JSON object per line."""
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\r\n")  # RFC 4180 line ends, as Excel writes
        writer.writerow(JOB_RECORD_FIELDS)
        writer.writerows(job_to_csv_row(job) for job in jobs)
    else:
        for job in jobs:
            stream.write(json.dumps(job_to_json(job), ensure_ascii=False) + "\n")


@contextmanager
def _open_output(output: TextIO | Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
    elif isinstance(output, Path):
        # newline="" hands line ends to the csv module instead of translating them.
        with output.open("w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield output


def export_jobs(
    engine: Engine,
    fmt: ExportFormat,
    output: TextIO | Path | None,
    cities: Sequence[str] | None,
    *,
    bom: bool = False,
    site: str | None = None,
) -> int:
    """Write every stored job of `cities` (None: all cities) and of `site` (None: every site), ordered
    by city then id, to `output`: a path (created or overwritten, UTF-8), an open text stream (left open), or None
    for standard output. `bom` starts CSV output with a UTF-8 byte-order mark for Excel.
    Returns the number of jobs written. Raises `ConfigError` for an unknown format or for
    `bom` with JSONL (a BOM is not valid at the start of a JSON Lines file)."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if bom and fmt != "csv":
        raise ConfigError("a byte-order mark is only written for CSV exports")
    jobs = [job for job in load_jobs(engine, cities) if site is None or job.site == site]
    with _open_output(output) as stream:
        if bom:
            stream.write(BOM)
        write_jobs(jobs, fmt, stream)
    return len(jobs)


HISTORY_FIELDS = (
    "city",
    "run_id",
    "crawl_id",
    "finished_at",
    "count",
    "unparsed",
    "mean",
    "median",
    "p25",
    "p75",
    "min",
    "max",
    "new",
    "gone",
)


def export_history(
    engine: Engine,
    fmt: ExportFormat,
    output: TextIO | Path | None,
    cities: Sequence[str] | None,
    *,
    keyword: str,
    site: str = "lagou",
    bom: bool = False,
) -> int:
    """Write the per-run statistics of the query (`site`, `keyword`): one row per city and complete
    run with observations, cities in stored order, runs oldest first; the figures are those of
    summary.json's `history`. Returns the number of rows; raises `ConfigError` as `export_jobs`."""
    from charts.history import history_points, point_dict  # numpy: only for this export
    from db.observations import load_history

    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if bom and fmt != "csv":
        raise ConfigError("a byte-order mark is only written for CSV exports")
    points = history_points(load_history(engine, site=site, keyword=keyword, cities=cities))
    rows = [{"city": city, **point_dict(point)} for city in sorted(points, key=city_order) for point in points[city]]
    with _open_output(output) as stream:
        if bom:
            stream.write(BOM)
        if fmt == "csv":
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(HISTORY_FIELDS)
            writer.writerows([_csv_cell(row[name]) for name in HISTORY_FIELDS] for row in rows)
        else:
            for row in rows:
                stream.write(json.dumps({name: row[name] for name in HISTORY_FIELDS}, ensure_ascii=False) + "\n")
    return len(rows)
