"""Site labels of experience and education mapped to the bands the report groups jobs by.

Pure tables, no I/O. Lagou's experience labels are the bands themselves (except its two student
labels); 51job's older `N年经验` and newer `A-B年` labels map to the band that contains them. A label
that fits no band (`1年及以上`, `中专/中技`, or none at all) maps to `OTHER`: the caller counts it
there and says so, so no job is dropped from a breakdown.
"""

from __future__ import annotations

EXPERIENCE_BANDS: tuple[str, ...] = ("不限", "应届", "1年以下", "1-3年", "3-5年", "5-10年", "10年以上")
EDUCATION_LEVELS: tuple[str, ...] = ("不限", "大专", "本科", "硕士", "博士")
OTHER = "other"

_STUDENT = "应届"
EXPERIENCE_LABELS: dict[str, str] = {
    **{band: band for band in EXPERIENCE_BANDS},
    # Lagou
    "应届毕业生": _STUDENT,
    "在校/应届": _STUDENT,
    # 51job, older (`N年经验`) and newer (`A-B年`) forms of the same ranges
    "无需经验": "不限",
    "在校生/应届生": _STUDENT,
    "1年经验": "1-3年",
    "2年经验": "1-3年",
    "3-4年经验": "3-5年",
    "3-4年": "3-5年",
    "5-7年经验": "5-10年",
    "5-7年": "5-10年",
    "8-9年经验": "5-10年",
    "8-9年": "5-10年",
    "10年以上经验": "10年以上",
}
EDUCATION_LABELS: dict[str, str] = {
    **{level: level for level in EDUCATION_LEVELS},
    "学历不限": "不限",
    "无学历要求": "不限",  # 51job's older pages: the same meaning in other words
}


# English names for a page or chart without Chinese.
EXPERIENCE_EN = {"不限": "any", "应届": "graduate", "1年以下": "<1 yr", "1-3年": "1-3 yrs", "3-5年": "3-5 yrs",
                 "5-10年": "5-10 yrs", "10年以上": "10+ yrs", OTHER: OTHER}  # fmt: skip
EDUCATION_EN = {"不限": "any", "大专": "associate", "本科": "bachelor", "硕士": "master", "博士": "PhD", OTHER: OTHER}


def experience_band(label: str | None) -> str:
    """The band of an experience label (surrounding whitespace ignored); `OTHER` when none fits."""
    return EXPERIENCE_LABELS.get((label or "").strip(), OTHER)


def education_level(label: str | None) -> str:
    """The level of an education label (surrounding whitespace ignored); `OTHER` when none fits."""
    return EDUCATION_LABELS.get((label or "").strip(), OTHER)
