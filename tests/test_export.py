"""Database tests of the read side (`db.reads`) and the export (`scraper.report.export`), on a migrated
SQLite file and a throwaway PostgreSQL database: exact CSV and JSONL round trips, the BOM
option, the city filter and order, and re-parsing salaries stored by an older parser version.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from db.models import Job
from db.reads import renormalize_salaries
from db.writes import upsert_postings
from scraper.common.errors import ConfigError
from scraper.model.postings import Posting, Salary, SalaryPeriod
from scraper.model.salary import PARSER_VERSION
from scraper.report.export import export_jobs

SEEN = dt.datetime(2024, 5, 1, 10, 0, 0)
UTF8_BOM = b"\xef\xbb\xbf"

BEIJING_JOB = Posting(
    city="北京",
    title="Python开发工程师",
    salary=Salary(
        raw="15k-25k·14薪",
        period=SalaryPeriod.MONTH,
        monthly_min=15000,
        monthly_max=25000,
        months=14,
        annual_min=210000,
        annual_max=350000,
        is_parsed=True,
    ),
    company="示例数据",
    company_full="北京示例数据科技有限公司",
    district="海淀区",
    work_year="3-5年",
    education="本科",
    company_size="150-500人",
    finance_stage="B轮",
    industry="企业服务,数据服务",
    skills=("Python", "Django", "MySQL"),
    position_id="10452318",
    source_url="https://www.lagou.com/wn/jobs/10452318.html",
    created_at=dt.datetime(2024, 4, 30, 9, 15, 3),
)
SHANGHAI_JOB = Posting(city="上海", title="数据工程师", salary=Salary(raw="面议"))
BEIJING_OPEN_JOB = Posting(
    city="北京",
    title="后端开发",
    salary=Salary(
        raw="20k以上", period=SalaryPeriod.MONTH, monthly_min=20000, months=12, annual_min=240000, is_parsed=True
    ),
)


def store(engine: Engine, postings: list[Posting]) -> dict[str, int]:
    """Store `postings` through the writer's upsert; return each title's row id."""
    with engine.begin() as conn:
        upsert_postings(conn, postings, seen_at=SEEN, site="lagou", keyword="Python")
        return {title: row_id for row_id, title in conn.execute(select(Job.id, Job.title))}


# The export's columns, in order: the contract with spreadsheet users, so written out here.
CSV_HEADER = (
    "id", "site", "keyword", "city", "title", "salary", "salary_min", "salary_max", "salary_months",
    "salary_period", "salary_annual_min", "salary_annual_max", "salary_parser_version", "company",
    "company_full", "district", "work_year", "education", "company_size", "finance_stage", "industry",
    "skills", "position_id", "source_url", "created_at", "first_seen_at", "last_seen_at",
)  # fmt: skip
SEEN_ISO = "2024-05-01T10:00:00"


def csv_row(**cells: str) -> dict[str, str]:
    """An expected CSV row: `cells`, the values every stored job shares, and "" elsewhere."""
    shared = {"site": "lagou", "keyword": "Python", "salary_months": "12",
              "salary_parser_version": str(PARSER_VERSION), "first_seen_at": SEEN_ISO,
              "last_seen_at": SEEN_ISO}  # fmt: skip
    return {**dict.fromkeys(CSV_HEADER, ""), **shared, **cells}


def json_row(**values: object) -> dict[str, object]:
    """An expected JSONL object: `values`, the values every stored job shares, and null elsewhere."""
    shared = {"site": "lagou", "keyword": "Python", "salary_months": 12, "skills": [],
              "salary_parser_version": PARSER_VERSION, "first_seen_at": SEEN_ISO,
              "last_seen_at": SEEN_ISO}  # fmt: skip
    return {**dict.fromkeys(CSV_HEADER), **shared, **values}


BEIJING_DETAILS = {
    "title": "Python开发工程师", "salary": "15k-25k·14薪", "salary_period": "month", "company": "示例数据",
    "company_full": "北京示例数据科技有限公司", "district": "海淀区", "work_year": "3-5年",
    "education": "本科", "company_size": "150-500人", "finance_stage": "B轮",
    "industry": "企业服务,数据服务", "position_id": "10452318",
    "source_url": "https://www.lagou.com/wn/jobs/10452318.html", "created_at": "2024-04-30T09:15:03",
}  # fmt: skip


def expected_csv_rows(ids: dict[str, int]) -> list[dict[str, str]]:
    """The CSV rows of the three postings, in the product's city order (北京 before 上海), each city by id."""
    return [
        csv_row(id=str(ids["Python开发工程师"]), city="北京", **BEIJING_DETAILS, salary_min="15000",
                salary_max="25000", salary_months="14", salary_annual_min="210000",
                salary_annual_max="350000", skills="Python,Django,MySQL"),
        csv_row(id=str(ids["后端开发"]), city="北京", title="后端开发", salary="20k以上", salary_min="20000",
                salary_period="month", salary_annual_min="240000"),
        csv_row(id=str(ids["数据工程师"]), city="上海", title="数据工程师", salary="面议"),
    ]  # fmt: skip


def test_csv_export_round_trips_every_field_exactly(migrated_engine: Engine, tmp_path: Path) -> None:
    ids = store(migrated_engine, [BEIJING_JOB, SHANGHAI_JOB, BEIJING_OPEN_JOB])
    path = tmp_path / "jobs.csv"

    written = export_jobs(migrated_engine, "csv", path, None)

    assert written == 3
    assert path.read_bytes().startswith(b"id,site,keyword,city,")
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames or ()) == CSV_HEADER
        assert list(reader) == expected_csv_rows(ids)


def test_csv_export_with_bom_starts_with_the_utf8_byte_order_mark(migrated_engine: Engine, tmp_path: Path) -> None:
    ids = store(migrated_engine, [BEIJING_JOB, SHANGHAI_JOB, BEIJING_OPEN_JOB])
    path = tmp_path / "jobs.csv"

    export_jobs(migrated_engine, "csv", path, None, bom=True)

    data = path.read_bytes()
    assert data.startswith(UTF8_BOM + b"id,site,")
    # utf-8-sig strips exactly one BOM; what remains is the same CSV as without the option.
    assert list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))) == expected_csv_rows(ids)


def test_jsonl_export_keeps_types_skill_lists_and_iso_datetimes(migrated_engine: Engine) -> None:
    ids = store(migrated_engine, [BEIJING_JOB, SHANGHAI_JOB, BEIJING_OPEN_JOB])
    stream = io.StringIO()

    written = export_jobs(migrated_engine, "jsonl", stream, ["北京"])

    assert written == 2
    lines = stream.getvalue().split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == [
        json_row(id=ids["Python开发工程师"], city="北京", **BEIJING_DETAILS, salary_min=15000,
                 salary_max=25000, salary_months=14, salary_annual_min=210000, salary_annual_max=350000,
                 skills=["Python", "Django", "MySQL"]),
        json_row(id=ids["后端开发"], city="北京", title="后端开发", salary="20k以上", salary_min=20000,
                 salary_period="month", salary_annual_min=240000),
    ]  # fmt: skip
    assert "北京" in stream.getvalue()  # written as UTF-8 text, not \u escapes


def test_export_city_filter_keeps_only_the_listed_cities(migrated_engine: Engine, tmp_path: Path) -> None:
    ids = store(migrated_engine, [BEIJING_JOB, SHANGHAI_JOB, BEIJING_OPEN_JOB])
    path = tmp_path / "shanghai.csv"

    written = export_jobs(migrated_engine, "csv", path, ["上海", "成都"])

    assert written == 1
    with path.open(encoding="utf-8", newline="") as stream:
        assert list(csv.DictReader(stream)) == expected_csv_rows(ids)[2:]


def test_export_without_output_writes_to_stdout(migrated_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    store(migrated_engine, [SHANGHAI_JOB])

    assert export_jobs(migrated_engine, "jsonl", None, None) == 1
    assert [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()] == ["数据工程师"]


def test_export_of_empty_database_writes_only_the_csv_header(migrated_engine: Engine) -> None:
    stream = io.StringIO()

    assert export_jobs(migrated_engine, "csv", stream, None) == 0
    assert stream.getvalue() == ",".join(CSV_HEADER) + "\r\n"


def test_bom_with_jsonl_is_a_config_error(migrated_engine: Engine) -> None:
    with pytest.raises(ConfigError, match="only written for CSV"):
        export_jobs(migrated_engine, "jsonl", io.StringIO(), None, bom=True)


# --- renormalize_salaries ------------------------------------------------------------------------

# Parsed columns (min, max, months, period, annual min, annual max, version) read back per title.
SALARY_COLUMNS = (
    Job.salary_min,
    Job.salary_max,
    Job.salary_months,
    Job.salary_period,
    Job.salary_annual_min,
    Job.salary_annual_max,
    Job.salary_parser_version,
)
WRONG = Salary(
    raw="", period=SalaryPeriod.DAY, monthly_min=1, monthly_max=2, months=12, annual_min=3, annual_max=4, is_parsed=True
)


def wrongly_parsed(title: str, raw: str, *, months: int = 12) -> Posting:
    """A posting whose stored figures are deliberately wrong for its salary text."""
    return Posting(
        city="北京",
        title=title,
        salary=Salary(
            raw=raw,
            period=WRONG.period,
            monthly_min=WRONG.monthly_min,
            monthly_max=WRONG.monthly_max,
            months=months,
            annual_min=WRONG.annual_min,
            annual_max=WRONG.annual_max,
            is_parsed=True,
        ),
    )


def salary_columns(engine: Engine) -> dict[str, tuple[object, ...]]:
    with engine.connect() as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(select(Job.title, *SALARY_COLUMNS))}


def test_renormalize_reparses_rows_from_an_older_parser_version_only(migrated_engine: Engine) -> None:
    store(
        migrated_engine,
        [
            wrongly_parsed("range", "15k-25k"),
            wrongly_parsed("fourteen months", "20k-30k·14薪"),
            wrongly_parsed("months from the site", "10k-20k", months=13),
            wrongly_parsed("open ended", "20k以上"),
            wrongly_parsed("negotiable", "面议"),
            wrongly_parsed("already current", "15k-25k"),
        ],
    )
    with migrated_engine.begin() as conn:
        conn.execute(update(Job).where(Job.title != "already current").values(salary_parser_version=PARSER_VERSION - 1))

    # A batch size of 2 makes the five stale rows span three batches.
    changed = renormalize_salaries(migrated_engine, batch_size=2)

    assert changed == 5
    version = PARSER_VERSION
    assert salary_columns(migrated_engine) == {
        "range": (15000, 25000, 12, "month", 180000, 300000, version),
        "fourteen months": (20000, 30000, 14, "month", 280000, 420000, version),
        # The stored months stand in for the site's months field, which is not kept.
        "months from the site": (10000, 20000, 13, "month", 130000, 260000, version),
        "open ended": (20000, None, 12, "month", 240000, None, version),
        "negotiable": (None, None, 12, None, None, None, version),
        # Current rows are not touched, even when their figures look wrong.
        "already current": (1, 2, 12, "day", 3, 4, version),
    }
    assert renormalize_salaries(migrated_engine) == 0
