"""Pure tests of `scraper.model.salary` on 51job's salary forms (reference 51job-pages.md §7.2) and the
open-ended forms other Chinese sites write, each mapped to the whole `Salary` it must give."""

from __future__ import annotations

import pytest

from scraper.model.postings import Salary, SalaryPeriod
from scraper.model.salary import parse_salary

M, Y, D = SalaryPeriod.MONTH, SalaryPeriod.YEAR, SalaryPeriod.DAY


def ok(
    raw: str,
    period: SalaryPeriod,
    monthly: tuple[int | None, int | None],
    months: int,
    annual: tuple[int | None, int | None],
) -> Salary:
    """A parsed Salary: (min, max) monthly and annual figures in whole CNY."""
    return Salary(raw, period, *monthly, months, *annual, is_parsed=True)


TABLE: list[tuple[str, Salary]] = [
    # 51job W1 list forms: 千 and 万 per bound, a unit shared from the right, ·N薪.
    ("6-8千", ok("6-8千", M, (6000, 8000), 12, (72000, 96000))),
    ("7-8千", ok("7-8千", M, (7000, 8000), 12, (84000, 96000))),
    ("6-8.5千", ok("6-8.5千", M, (6000, 8500), 12, (72000, 102000))),
    ("8千-1.2万", ok("8千-1.2万", M, (8000, 12000), 12, (96000, 144000))),
    ("7.5千-1.5万", ok("7.5千-1.5万", M, (7500, 15000), 12, (90000, 180000))),
    ("1-1.5万", ok("1-1.5万", M, (10000, 15000), 12, (120000, 180000))),
    ("1.2-1.8万", ok("1.2-1.8万", M, (12000, 18000), 12, (144000, 216000))),
    ("1.5-2万·13薪", ok("1.5-2万·13薪", M, (15000, 20000), 13, (195000, 260000))),
    ("1.5-2.5万·15薪", ok("1.5-2.5万·15薪", M, (15000, 25000), 15, (225000, 375000))),
    # Yearly: the annual figures as given, monthly = annual / 12 (half up).
    ("25-38万/年", ok("25-38万/年", Y, (20833, 31667), 12, (250000, 380000))),
    # Day rates stay in their own period; the monthly figure is x 21.75 working days.
    ("150元/天", ok("150元/天", D, (3263, 3263), 12, (39150, 39150))),
    ("200-300元/天", ok("200-300元/天", D, (4350, 6525), 12, (52200, 78300))),
    # Negotiable, in both spellings: recognised, no figures.
    ("面议", Salary("面议", is_parsed=True)),
    ("薪资面议", Salary("薪资面议", is_parsed=True)),
    # Open-ended forms of other sites: the marker after the period, before the unit, with 及.
    ("25000元/月以上", ok("25000元/月以上", M, (25000, None), 12, (300000, None))),
    ("8000以上元/月", ok("8000以上元/月", M, (8000, None), 12, (96000, None))),
    ("1000元/月以下", ok("1000元/月以下", M, (None, 1000), 12, (None, 12000))),
    ("3千及以下", ok("3千及以下", M, (None, 3000), 12, (None, 36000))),
    ("2万及以上", ok("2万及以上", M, (20000, None), 12, (240000, None))),
    # Still unparsed: two open markers, an open marker on a range, an unknown period.
    ("3千以下以上", Salary("3千以下以上")),
    ("8千-1万以上", Salary("8千-1万以上")),
    ("1-2万/周以上", Salary("1-2万/周以上")),
    ("薪资面议中", Salary("薪资面议中")),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_51job_and_open_ended_salary_text_parses_to_expected_salary(text: str, expected: Salary) -> None:
    assert parse_salary(text) == expected
