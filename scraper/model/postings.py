"""Domain model: the typed values that travel from the site parsers to the database.

Parsers turn page text into `Posting`s; nothing after the parser sees a raw dict. A `Salary`
is the parsed form of the salary text a site shows (see `scraper.model.salary`); a `ListingPage`
is one parsed listing page; a `Block` says why the site refused to show one.
`posting_to_json` and `posting_from_json` carry a posting through JSON (the shared page queue
and the file of unwritten postings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SalaryPeriod(StrEnum):
    """The period a salary figure is quoted for, before conversion to monthly CNY."""

    MONTH = "month"
    YEAR = "year"
    DAY = "day"
    HOUR = "hour"


@dataclass(frozen=True, slots=True)
class Salary:
    """A parsed salary. Monthly and annual figures are whole CNY; None means not stated.

    `monthly_max` is None for open-ended text (`20k以上`); both bounds are None for `面议`
    and for text the parser could not read (then `is_parsed` is False and the text counts
    as unparsed, unless it was a recognised "negotiable" form).
    """

    raw: str
    period: SalaryPeriod | None = None
    monthly_min: int | None = None
    monthly_max: int | None = None
    months: int = 12
    annual_min: int | None = None
    annual_max: int | None = None
    is_parsed: bool = False


@dataclass(frozen=True, slots=True)
class Posting:
    """One job posting as a listing page shows it. Never carries recruiter data.

    `city` is the Chinese city name (北京). `title` is the site's text with only the
    surrounding whitespace removed. The dedup key is (city, title, salary.raw).
    """

    city: str
    title: str
    salary: Salary
    company: str | None = None
    company_full: str | None = None
    district: str | None = None
    work_year: str | None = None
    education: str | None = None
    company_size: str | None = None
    finance_stage: str | None = None
    industry: str | None = None
    skills: tuple[str, ...] = ()
    position_id: str | None = None
    source_url: str | None = None
    created_at: dt.datetime | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The dedup key: (city, title, raw salary text)."""
        return (self.city, self.title, self.salary.raw)


def take_new(postings: Iterable[Posting], seen: set[tuple[str, str, str]], *, limit: int) -> tuple[Posting, ...]:
    """The rule behind "the first `limit` unique postings in listing order", for one page.

    Returns the postings whose key is not in `seen`, in page order, stopping once `seen` holds
    `limit` keys; their keys are added to `seen`. A worker keeps `seen` for its city; the shared
    frontier rebuilds it from the pages committed before.
    """
    accepted = []
    for posting in postings:
        if len(seen) >= limit:
            break
        if posting.key not in seen:
            seen.add(posting.key)
            accepted.append(posting)
    return tuple(accepted)


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One parsed listing page.

    `has_next` is False when the page says it is the last one (disabled next control) and
    None when the page does not say. `is_empty` is True for the "no results" page.
    `layout` names which reading succeeded: "next_data", "dom" or "old".
    """

    postings: tuple[Posting, ...]
    has_next: bool | None
    is_empty: bool
    layout: str
    total_count: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """The site refused to show a page. `kind` is a short stable name (e.g. "rate_limit",
    "verify_redirect", "login_wall", "interstitial", "no_job_data", "http_error")."""

    kind: str
    detail: str = ""
    retry_after: float | None = None  # seconds the site asked to wait (HTTP Retry-After), when it said


@dataclass(frozen=True, slots=True)
class PageResult:
    """What a worker hands to the writer: the postings one page of one city contributed.

    With a `crawl_id` the writer also checkpoints the page (in the same transaction);
    `is_last` says the site has no page after it.
    """

    city: str
    page: int
    postings: tuple[Posting, ...] = field(default_factory=tuple)
    crawl_id: int | None = None
    is_last: bool = False
    is_shared: bool = False  # all the page's postings, for the shared queue's in-order commit


def posting_to_json(posting: Posting) -> dict[str, Any]:
    """A Posting as JSON-ready data (kept in `crawl_pages.postings` until committed)."""
    data = dataclasses.asdict(posting)
    data["skills"] = list(posting.skills)
    data["created_at"] = posting.created_at.isoformat() if posting.created_at else None
    data["salary"]["period"] = posting.salary.period.value if posting.salary.period else None
    return data


def posting_from_json(data: dict[str, Any]) -> Posting:
    """The inverse of `posting_to_json`."""
    salary = dict(data["salary"])
    salary["period"] = SalaryPeriod(salary["period"]) if salary["period"] else None
    fields = {**data, "salary": Salary(**salary), "skills": tuple(data["skills"])}
    fields["created_at"] = dt.datetime.fromisoformat(data["created_at"]) if data["created_at"] else None
    return Posting(**fields)
