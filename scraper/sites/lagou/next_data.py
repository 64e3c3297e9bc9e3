"""Lagou NEW listing pages read from their embedded `__NEXT_DATA__` JSON (the preferred reading).

Next.js server-renders the search result into `<script id="__NEXT_DATA__">`; the job objects sit
at `props.pageProps.initData.content.positionResult.result`. This module finds that script by
id, loads it and maps each job object to a `Posting`. It reads only the job fields a Posting
has room for: recruiter fields (`publisherId`, `hrInfoMap`, `imState`, `lastLogin`,
`resumeProcess*`) and the free-text `positionDetail` are never touched.
"""

from __future__ import annotations

import datetime as dt
import json

from selectolax.lexbor import LexborNode

from scraper.common.errors import IncompletePageError
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

NEXT_DATA_SELECTOR = "script#__NEXT_DATA__"
# The path from the JSON root to `positionResult`.
POSITION_RESULT_PATH = ("props", "pageProps", "initData", "content", "positionResult")
CREATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def read_next_data(root: LexborNode) -> object | None:
    """The decoded `__NEXT_DATA__` JSON, or None when the script is absent or not valid JSON.

    Raises IncompletePageError when the JSON stops in the middle (the page was cut off in
    transit): the cards alone would lose fields only the JSON has, so the page is loaded again.
    """
    script = root.css_first(NEXT_DATA_SELECTOR)
    if script is None:
        return None
    text = script.text()  # a script's body is raw text: no entities decoded, no markup
    try:
        data: object = json.loads(text)
    except ValueError as exc:  # JSONDecodeError: garbled JSON is "no JSON", not a crash
        if is_cut_short(text):
            raise IncompletePageError("page cut short: __NEXT_DATA__ ends in the middle of its JSON") from exc
        return None
    return data


def is_cut_short(text: str) -> bool:
    """Whether JSON text ends inside a string or with brackets left open (it was truncated)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


def read_position_result(data: object) -> tuple[list[object] | None, int | None]:
    """(`positionResult.result` if it is a list, `positionResult.totalCount` if it is a count).

    Either is None when missing or of the wrong type.
    """
    node = data
    for key in POSITION_RESULT_PATH:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return None, None
    result = node.get("result")
    return (result if isinstance(result, list) else None), _count(node.get("totalCount"))


def read_jobs(root: LexborNode) -> tuple[list[object] | None, int | None]:
    """`read_position_result` of the page's `__NEXT_DATA__`; raises what `read_next_data` raises."""
    return read_position_result(read_next_data(root))


def posting_from_job(job: object, *, city_hint: str | None, source_url: str) -> Posting | None:
    """Map one job object to a `Posting`; None when it is not an object or has no title.

    `city_hint` (the query's city) is used when the job has no city of its own. The title is
    `positionName` with only the surrounding whitespace removed; the salary text goes to the
    salary parser exactly as given, with `salaryMonth` as the months hint.
    """
    if not isinstance(job, dict):
        return None
    name = job.get("positionName")
    title = name.strip() if isinstance(name, str) else ""
    if not title:
        return None
    salary = job.get("salary")
    skills = _strings(job.get("skillLables")) or _strings(job.get("positionLables"))
    return Posting(
        city=_text(job.get("city")) or city_hint or "",
        title=title,
        salary=parse_salary(salary if isinstance(salary, str) else "", months_hint=_months(job)),
        company=_text(job.get("companyShortName")),
        company_full=_text(job.get("companyFullName")),
        district=_text(job.get("district")),
        work_year=_text(job.get("workYear")),
        education=_text(job.get("education")),
        company_size=_text(job.get("companySize")),
        finance_stage=_text(job.get("financeStage")),
        industry=_text(job.get("industryField")),
        skills=skills,
        position_id=_identifier(job.get("positionId")),
        source_url=source_url,
        created_at=_created_at(job.get("createTime")),
    )


def _text(value: object) -> str | None:
    """A non-blank string as given; None for blanks, nulls and non-strings."""
    return value if isinstance(value, str) and value.strip() else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item.strip())


def _identifier(value: object) -> str | None:
    # bool is an int subclass; a true/false id is garbage, not position 1/0.
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return str(value) if str(value).strip() else None


def _count(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _months(job: dict[object, object]) -> int | str | None:
    """`salaryMonth` in a form the salary parser accepts (its format is unconfirmed: int or str)."""
    value = job.get("salaryMonth")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return value


def _created_at(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.strptime(value.strip(), CREATE_TIME_FORMAT)
    except ValueError:
        return None
