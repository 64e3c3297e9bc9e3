"""Salary parsing: the one place salary text from any site becomes a typed `Salary`.

Site parsers hand the salary text they read (Lagou `15k-25k`, BOSS `12-15K·13薪`, 51job
`1-1.5万·13薪`, `25-38万/年`, ...) to `parse_salary`; nothing downstream looks at the text again except as the
`raw` part of the dedup key. The module is pure: no I/O, no state, and it never raises.

Rules, applied in this order:

1. Normalise a copy of the text (``raw`` keeps the text exactly as given): BOSS private-use
   digit glyphs U+E031..U+E03A become 0..9; NFKC folds full-width digits, letters and ``～``;
   letters are lower-cased; all whitespace is dropped; ``~ 〜 — – − ‐ 至 到`` become ``-``;
   ``及以上``/``及以下`` ("and above/below") read as ``以上``/``以下``.
2. ``面议`` or ``薪资面议`` (negotiable) is recognised: parsed, but no figures and no period.
3. Otherwise the text must be ``LOW[UNIT][-HIGH[UNIT]][/PERIOD][·N薪]`` with at most one
   ``以上``/``以下`` right after LOW, after the last unit, or after the period (sites write
   ``8000以上元/月``, ``3千以下`` and ``25000元/月以上`` alike).
   UNIT is ``k``/``千`` (x1,000), ``w``/``万`` (x10,000) or ``元`` (x1); a bound without a unit
   takes the other bound's (``8-13K``, ``1-1.5万``). Text with no unit and no period is not
   read: a bare ``8-13`` could be yuan or thousands. PERIOD is 月 (default), 年, 天/日 or
   时/小时. ``以上`` gives an open maximum, ``以下`` an open minimum (single bound only).
4. Months per year: a ``N薪`` suffix, else ``months_hint`` when it is a non-zero int or numeric
   string, else `DEFAULT_MONTHS`. Counts outside `MIN_MONTHS`..`MAX_MONTHS` are absurd: in the
   text they make it unparsed, as a hint they are ignored.
5. Conversion: monthly pay is as given; yearly pay is the annual figure and monthly = annual /
   months; a day rate x `WORKDAYS_PER_MONTH`; an hour rate x `HOURS_PER_WORKDAY` x
   `WORKDAYS_PER_MONTH`. Annual = monthly x months except for yearly pay. Arithmetic is exact
   (Decimal); each output figure is rounded once, half up, to whole CNY.
6. Sanity: every figure must be positive, a range must have min <= max (a reversed range is
   not swapped: it is unparsed), and no monthly figure may exceed `MAX_MONTHLY_CNY`.

Unparsed text (including masked ``**-**元``, empty text and None, whose raw is ``""``) gives
``Salary(raw)``: no figures, 12 months, ``is_parsed=False``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from scraper.model.postings import Salary, SalaryPeriod

PARSER_VERSION = 2  # 2: 薪资面议, 及以上/及以下 and 以上/以下 around the unit or the period

DEFAULT_MONTHS = 12
MIN_MONTHS = 12
MAX_MONTHS = 24
WORKDAYS_PER_MONTH = Decimal("21.75")  # (365 - 104 weekend days) / 12, the Chinese labour-law figure
HOURS_PER_WORKDAY = Decimal(8)
MAX_MONTHLY_CNY = Decimal(1_000_000)  # beyond this the text is a typo or a unit mix-up, not a salary

UNIT_FACTORS: dict[str, Decimal] = {
    "k": Decimal(1000),
    "千": Decimal(1000),
    "千元": Decimal(1000),
    "w": Decimal(10000),
    "万": Decimal(10000),
    "万元": Decimal(10000),
    "元": Decimal(1),
}
PERIODS: dict[str, SalaryPeriod] = {
    "月": SalaryPeriod.MONTH,
    "年": SalaryPeriod.YEAR,
    "天": SalaryPeriod.DAY,
    "日": SalaryPeriod.DAY,
    "时": SalaryPeriod.HOUR,
    "小时": SalaryPeriod.HOUR,
}
# Monthly figure per unit of the quoted period (a yearly figure is divided by months instead).
PERIOD_TO_MONTHLY: dict[SalaryPeriod, Decimal] = {
    SalaryPeriod.MONTH: Decimal(1),
    SalaryPeriod.DAY: WORKDAYS_PER_MONTH,
    SalaryPeriod.HOUR: HOURS_PER_WORKDAY * WORKDAYS_PER_MONTH,
}
NEGOTIABLE = "面议"
NEGOTIABLE_FORMS = frozenset({NEGOTIABLE, "薪资面议"})
OPEN_ABOVE = "以上"
OPEN_BELOW = "以下"
_INCLUSIVE_OPEN = {"及以上": OPEN_ABOVE, "及以下": OPEN_BELOW}  # "and above": the bound is in the range anyway

BOSS_DIGIT_GLYPHS = {0xE031 + d: str(d) for d in range(10)}
_SEPARATORS = "~〜—–−‐‑至到"
_DROPPED = "\u200b\ufeff"  # zero-width characters that pasted or rendered text sometimes carries
_NORMALISE = str.maketrans({**dict.fromkeys(_SEPARATORS, "-"), **dict.fromkeys(_DROPPED)})

# Digit counts are capped so no number can overflow Decimal's default 28-digit precision.
_NUMBER = r"\d{1,7}(?:\.\d{1,4})?"
_UNIT = "|".join(sorted((re.escape(u) for u in UNIT_FACTORS), key=len, reverse=True))
_PERIOD = "|".join(sorted(PERIODS, key=len, reverse=True))
_OPEN = f"{OPEN_ABOVE}|{OPEN_BELOW}"
_SALARY_RE = re.compile(
    rf"(?P<lo>{_NUMBER})(?P<open_lo>{_OPEN})?(?P<lo_unit>{_UNIT})?"
    rf"(?:-(?P<hi>{_NUMBER})(?P<hi_unit>{_UNIT})?)?"
    rf"(?P<open>{_OPEN})?"
    rf"(?:/(?P<period>{_PERIOD}))?"
    rf"(?P<open_period>{_OPEN})?"
    r"(?:[·・•,]?(?P<months>\d{1,3})薪)?",
    re.ASCII,
)
_HINT_RE = re.compile(r"\d{1,3}", re.ASCII)


def parse_salary(text: str | None, *, months_hint: int | str | None = None) -> Salary:
    """Parse one salary text into a `Salary`, following the rules in the module docstring.

    `raw` is `text` exactly as given ("" for None). `months_hint` is the site's separate
    months-per-year field (Lagou `salaryMonth`); 0, "", "0" and None mean "not stated", and a
    `N薪` suffix in the text wins over it. Never raises: text it cannot read gives
    `Salary(raw)` with `is_parsed=False`; `面议` gives `is_parsed=True`, no figures and the
    hinted months. A single figure (`15k`) gives min = max; `以上`/`以下` leave one bound None.
    """
    raw = "" if text is None else text
    norm = _normalise(raw)
    if norm in NEGOTIABLE_FORMS:
        return Salary(raw, months=_months_from_hint(months_hint), is_parsed=True)
    match = _SALARY_RE.fullmatch(norm)
    if match is None:
        return Salary(raw)
    return _salary_from_match(raw, match, months_hint) or Salary(raw)


def _normalise(text: str) -> str:
    """Fold the site's glyphs and punctuation variants into the one form the regex reads."""
    folded = unicodedata.normalize("NFKC", text.translate(BOSS_DIGIT_GLYPHS)).lower()
    norm = "".join(folded.translate(_NORMALISE).split())
    for inclusive, open_end in _INCLUSIVE_OPEN.items():
        norm = norm.replace(inclusive, open_end)
    return norm


def _months_from_hint(hint: int | str | None) -> int:
    """Months per year from the site's separate field, or the default when absent or absurd."""
    months: int | None = None
    # bool is an int subclass, but True is no month count.
    if isinstance(hint, int) and not isinstance(hint, bool):
        months = hint
    elif isinstance(hint, str) and _HINT_RE.fullmatch(hint.strip()):
        months = int(hint.strip())
    if months is None or not MIN_MONTHS <= months <= MAX_MONTHS:
        return DEFAULT_MONTHS
    return months


def _salary_from_match(raw: str, match: re.Match[str], months_hint: int | str | None) -> Salary | None:
    """Build the Salary for a regex match, or None when the figures fail a sanity rule."""
    lo_text, hi_text = match["lo"], match["hi"]
    open_ends = [end for end in (match["open_lo"], match["open"], match["open_period"]) if end]
    open_end = open_ends[0] if open_ends else None
    lo_unit = match["lo_unit"] or match["hi_unit"]
    hi_unit = match["hi_unit"] or match["lo_unit"]
    if (lo_unit is None and match["period"] is None) or (hi_text and open_end) or len(open_ends) > 1:
        return None
    if match["months"] is not None:
        months = int(match["months"])
        if not MIN_MONTHS <= months <= MAX_MONTHS:
            return None
    else:
        months = _months_from_hint(months_hint)
    period = PERIODS[match["period"]] if match["period"] else SalaryPeriod.MONTH

    low: Decimal | None = Decimal(lo_text) * UNIT_FACTORS[lo_unit or "元"]
    high: Decimal | None = Decimal(hi_text) * UNIT_FACTORS[hi_unit or "元"] if hi_text else low
    if open_end == OPEN_ABOVE:
        high = None
    elif open_end == OPEN_BELOW:
        low, high = None, low
    if any(v is not None and v <= 0 for v in (low, high)):
        return None
    if low is not None and high is not None and low > high:
        return None

    if period is SalaryPeriod.YEAR:
        annual_lo, annual_hi = low, high
        # Divide rather than multiply by 1/months: 1/12 is inexact and would skew half-up rounding.
        monthly_lo = None if low is None else low / months
        monthly_hi = None if high is None else high / months
    else:
        monthly_lo = _scale(low, PERIOD_TO_MONTHLY[period])
        monthly_hi = _scale(high, PERIOD_TO_MONTHLY[period])
        annual_lo, annual_hi = _scale(monthly_lo, Decimal(months)), _scale(monthly_hi, Decimal(months))
    if any(v is not None and v > MAX_MONTHLY_CNY for v in (monthly_lo, monthly_hi)):
        return None
    return Salary(
        raw,
        period,
        _to_cny(monthly_lo),
        _to_cny(monthly_hi),
        months,
        _to_cny(annual_lo),
        _to_cny(annual_hi),
        is_parsed=True,
    )


def _scale(value: Decimal | None, factor: Decimal) -> Decimal | None:
    """Multiply an optional exact figure; None (an open bound) stays None."""
    return None if value is None else value * factor


def _to_cny(value: Decimal | None) -> int | None:
    """Round an exact figure half up to whole CNY, the one rounding each output gets."""
    return None if value is None else int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
