"""Pure tests of `scraper.model.salary`: a table of real salary strings from Lagou and other Chinese job
sites, each mapped to the whole `Salary` it must give, plus the months hint, the saved real pages,
and a randomised check that no input makes the parser raise."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from scraper.model.postings import Salary, SalaryPeriod
from scraper.model.salary import PARSER_VERSION, parse_salary

M, Y, D, H = SalaryPeriod.MONTH, SalaryPeriod.YEAR, SalaryPeriod.DAY, SalaryPeriod.HOUR


def ok(
    raw: str,
    period: SalaryPeriod,
    monthly: tuple[int | None, int | None],
    months: int,
    annual: tuple[int | None, int | None],
) -> Salary:
    """A parsed Salary: (min, max) monthly and annual figures in whole CNY."""
    return Salary(raw, period, *monthly, months, *annual, is_parsed=True)


TABLE: list[tuple[str | None, Salary]] = [
    # Lagou ranges, from the saved pages and the `yx` filter buckets; `k` in either case.
    ("15k-25k", ok("15k-25k", M, (15000, 25000), 12, (180000, 300000))),
    ("15K-30K", ok("15K-30K", M, (15000, 30000), 12, (180000, 360000))),
    ("20k-25k", ok("20k-25k", M, (20000, 25000), 12, (240000, 300000))),
    ("4k-8k", ok("4k-8k", M, (4000, 8000), 12, (48000, 96000))),
    ("12k-20k", ok("12k-20k", M, (12000, 20000), 12, (144000, 240000))),
    ("15k-23k", ok("15k-23k", M, (15000, 23000), 12, (180000, 276000))),
    ("18k-35k", ok("18k-35k", M, (18000, 35000), 12, (216000, 420000))),
    ("18k-36k", ok("18k-36k", M, (18000, 36000), 12, (216000, 432000))),
    ("20k-40k", ok("20k-40k", M, (20000, 40000), 12, (240000, 480000))),
    ("30k-60k", ok("30k-60k", M, (30000, 60000), 12, (360000, 720000))),
    ("9k-18k", ok("9k-18k", M, (9000, 18000), 12, (108000, 216000))),
    ("2k-4k", ok("2k-4k", M, (2000, 4000), 12, (24000, 48000))),
    ("3K-5K", ok("3K-5K", M, (3000, 5000), 12, (36000, 60000))),
    ("10k-15k", ok("10k-15k", M, (10000, 15000), 12, (120000, 180000))),
    ("25k-50k", ok("25k-50k", M, (25000, 50000), 12, (300000, 600000))),
    ("8.5k-12k", ok("8.5k-12k", M, (8500, 12000), 12, (102000, 144000))),
    # Open-ended Lagou forms.
    ("20k以上", ok("20k以上", M, (20000, None), 12, (240000, None))),
    ("4K以上", ok("4K以上", M, (4000, None), 12, (48000, None))),
    ("13k以上", ok("13k以上", M, (13000, None), 12, (156000, None))),
    ("50k以上", ok("50k以上", M, (50000, None), 12, (600000, None))),
    ("2k以下", ok("2k以下", M, (None, 2000), 12, (None, 24000))),
    # Months suffix (Lagou and BOSS).
    ("13k-20k·14薪", ok("13k-20k·14薪", M, (13000, 20000), 14, (182000, 280000))),
    ("20-30K·14薪", ok("20-30K·14薪", M, (20000, 30000), 14, (280000, 420000))),
    ("12-15K·13薪", ok("12-15K·13薪", M, (12000, 15000), 13, (156000, 195000))),
    ("20-40K·14薪", ok("20-40K·14薪", M, (20000, 40000), 14, (280000, 560000))),
    ("20-30K·13薪", ok("20-30K·13薪", M, (20000, 30000), 13, (260000, 390000))),
    ("15-25K·16薪", ok("15-25K·16薪", M, (15000, 25000), 16, (240000, 400000))),
    ("25k-40k·15薪", ok("25k-40k·15薪", M, (25000, 40000), 15, (375000, 600000))),
    ("20-30k 14薪", ok("20-30k 14薪", M, (20000, 30000), 14, (280000, 420000))),
    ("30-50K·24薪", ok("30-50K·24薪", M, (30000, 50000), 24, (720000, 1200000))),
    ("15k-25k·１４薪", ok("15k-25k·１４薪", M, (15000, 25000), 14, (210000, 350000))),
    # BOSS: unit on the upper bound only, yuan, day rates, private-use digit glyphs.
    ("8-13K", ok("8-13K", M, (8000, 13000), 12, (96000, 156000))),
    ("9-14K", ok("9-14K", M, (9000, 14000), 12, (108000, 168000))),
    ("4000-6000元", ok("4000-6000元", M, (4000, 6000), 12, (48000, 72000))),
    ("200-300元/天", ok("200-300元/天", D, (4350, 6525), 12, (52200, 78300))),
    # 150 x 21.75 = 3262.5: half up, not to even.
    ("150-200元/天", ok("150-200元/天", D, (3263, 4350), 12, (39150, 52200))),
    ("100-150元/天", ok("100-150元/天", D, (2175, 3263), 12, (26100, 39150))),
    ("\ue032\ue036-\ue034\ue031K", ok("\ue032\ue036-\ue034\ue031K", M, (15000, 30000), 12, (180000, 360000))),
    (
        "\ue033\ue031-\ue034\ue031K·\ue032\ue035薪",
        ok("\ue033\ue031-\ue034\ue031K·\ue032\ue035薪", M, (20000, 30000), 14, (280000, 420000)),
    ),
    # 51job / Zhilian / 58 forms: 千 and 万, per month or per year.
    ("8千-1.2万", ok("8千-1.2万", M, (8000, 12000), 12, (96000, 144000))),
    ("6千-8千/月", ok("6千-8千/月", M, (6000, 8000), 12, (72000, 96000))),
    ("1-1.5万/月", ok("1-1.5万/月", M, (10000, 15000), 12, (120000, 180000))),
    ("1.5-2万/月", ok("1.5-2万/月", M, (15000, 20000), 12, (180000, 240000))),
    ("1-1.5万", ok("1-1.5万", M, (10000, 15000), 12, (120000, 180000))),
    ("1万到1.5万", ok("1万到1.5万", M, (10000, 15000), 12, (120000, 180000))),
    ("8000-10000元/月", ok("8000-10000元/月", M, (8000, 10000), 12, (96000, 120000))),
    ("10-20万/年", ok("10-20万/年", Y, (8333, 16667), 12, (100000, 200000))),
    ("15-25万/年", ok("15-25万/年", Y, (12500, 20833), 12, (150000, 250000))),
    ("30-50万/年", ok("30-50万/年", Y, (25000, 41667), 12, (300000, 500000))),
    ("50万以上/年", ok("50万以上/年", Y, (41667, None), 12, (500000, None))),
    # Hourly: x 8 hours x 21.75 days = x 174.
    ("50-80元/时", ok("50-80元/时", H, (8700, 13920), 12, (104400, 167040))),
    ("50-80元/小时", ok("50-80元/小时", H, (8700, 13920), 12, (104400, 167040))),
    ("20-25元/小时", ok("20-25元/小时", H, (3480, 4350), 12, (41760, 52200))),
    # A single figure is both bounds.
    ("15k", ok("15k", M, (15000, 15000), 12, (180000, 180000))),
    ("8000元/月", ok("8000元/月", M, (8000, 8000), 12, (96000, 96000))),
    # Full-width text, other separators, stray spaces; raw keeps the text exactly.
    ("１５ｋ－２５ｋ", ok("１５ｋ－２５ｋ", M, (15000, 25000), 12, (180000, 300000))),
    ("３０００-５０００元", ok("３０００-５０００元", M, (3000, 5000), 12, (36000, 60000))),
    ("15K～25K", ok("15K～25K", M, (15000, 25000), 12, (180000, 300000))),
    ("15k~25k", ok("15k~25k", M, (15000, 25000), 12, (180000, 300000))),
    ("15k—25k", ok("15k—25k", M, (15000, 25000), 12, (180000, 300000))),
    ("15k–25k", ok("15k–25k", M, (15000, 25000), 12, (180000, 300000))),
    ("15k至25k", ok("15k至25k", M, (15000, 25000), 12, (180000, 300000))),
    (" 15k - 25k ", ok(" 15k - 25k ", M, (15000, 25000), 12, (180000, 300000))),
    # Negotiable: recognised, no figures.
    ("面议", Salary("面议", is_parsed=True)),
    (" 面议 ", Salary(" 面议 ", is_parsed=True)),
    # Unparsed: masked, empty, reversed, non-positive, absurd months, no unit, unknown period.
    ("**-**元", Salary("**-**元")),
    ("", Salary("")),
    ("  ", Salary("  ")),
    (None, Salary("")),
    ("30k-20k", Salary("30k-20k")),
    ("0k-0k", Salary("0k-0k")),
    ("20-30K·99薪", Salary("20-30K·99薪")),
    ("20-30K·6薪", Salary("20-30K·6薪")),
    ("8-13", Salary("8-13")),
    ("10k-20k以上", Salary("10k-20k以上")),
    ("3000-5000元/周", Salary("3000-5000元/周")),
    ("2000000k", Salary("2000000k")),
    ("薪资保密", Salary("薪资保密")),
]


def test_parser_version_is_two() -> None:
    # 2: 薪资面议 and the open-ended forms of test_salary_51job.py, unparsed by version 1.
    assert PARSER_VERSION == 2


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[repr(t) for t, _ in TABLE])
def test_salary_text_parses_to_expected_salary(text: str | None, expected: Salary) -> None:
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    ("hint", "months"),
    [
        (14, 14),
        ("13", 13),
        (" 16 ", 16),
        (0, 12),
        ("0", 12),
        ("", 12),
        (None, 12),
        ("abc", 12),
        ("13.5", 12),
        (99, 12),
        (-14, 12),
        (True, 12),
    ],
)
def test_months_hint_sets_months_when_stated_and_sane(hint: int | str | None, months: int) -> None:
    assert parse_salary("15k-25k", months_hint=hint) == ok(
        "15k-25k", M, (15000, 25000), months, (15000 * months, 25000 * months)
    )


def test_months_suffix_wins_over_hint() -> None:
    assert parse_salary("12-15K·13薪", months_hint=16) == ok("12-15K·13薪", M, (12000, 15000), 13, (156000, 195000))


def test_yearly_pay_is_divided_by_hinted_months() -> None:
    # 100000 / 14 = 7142.86 and 200000 / 14 = 14285.71; the annual figures stay as given.
    assert parse_salary("10-20万/年", months_hint="14") == ok("10-20万/年", Y, (7143, 14286), 14, (100000, 200000))


def test_negotiable_keeps_hinted_months() -> None:
    assert parse_salary("面议", months_hint=13) == Salary("面议", months=13, is_parsed=True)


def test_salaries_on_saved_real_pages_all_parse(reference_pages: Path) -> None:
    texts = set()
    for page in reference_pages.glob("lagou-*.html"):
        texts |= set(re.findall(r'data-salary="([^"{]+)"', page.read_text(encoding="utf-8")))
    texts.add(json.loads((reference_pages / "boss-joblist-item.json").read_text(encoding="utf-8"))["salaryDesc"])
    parsed = {text: parse_salary(text) for text in texts}
    assert {t: (s.monthly_min, s.monthly_max, s.months, s.is_parsed) for t, s in parsed.items()} == {
        "4k-8k": (4000, 8000, 12, True),
        "9k-18k": (9000, 18000, 12, True),
        "12k-20k": (12000, 20000, 12, True),
        "15K-30K": (15000, 30000, 12, True),
        "15k-20k": (15000, 20000, 12, True),
        "15k-23k": (15000, 23000, 12, True),
        "15k-25k": (15000, 25000, 12, True),
        "15k-30k": (15000, 30000, 12, True),
        "18k-35k": (18000, 35000, 12, True),
        "18k-36k": (18000, 36000, 12, True),
        "20k-25k": (20000, 25000, 12, True),
        "20k-35k": (20000, 35000, 12, True),
        "20k-40k": (20000, 40000, 12, True),
        "30k-50k": (30000, 50000, 12, True),
        "30k-60k": (30000, 60000, 12, True),
        "12-15K·13薪": (12000, 15000, 13, True),
    }


def _odd_inputs() -> list[str]:
    """Random unicode, salary-shaped noise and very long strings, from a fixed seed."""
    rng = random.Random(20240601)
    alphabet = "0123456789.kKwW千万元-~～至到/月年天时小以上下·薪面议 *\ue031\ue03a０９ｋ"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(3000)]
    texts += ["".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 16))) for _ in range(500)]
    texts += ["9" * 100_000, "15k-25k" * 20_000, "1" * 60 + "k", "9999999.9999万/小时", "\x00", "\ud800"]
    return texts


def test_odd_input_never_raises_and_keeps_invariants() -> None:
    for text in _odd_inputs():
        salary = parse_salary(text, months_hint=text[:3])
        assert salary.raw == text
        figures = (salary.monthly_min, salary.monthly_max, salary.annual_min, salary.annual_max)
        if not salary.is_parsed:
            assert salary == Salary(text)
            continue
        assert all(f is None or f > 0 for f in figures), text
        if salary.monthly_min is not None and salary.monthly_max is not None:
            assert salary.monthly_min <= salary.monthly_max, text
        assert 12 <= salary.months <= 24, text
