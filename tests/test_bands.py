"""Pure, table-driven tests of the label → band mapping (`charts.bands`): every label the issue
names, the real variants the reference pages record, and labels that fit no band."""

from __future__ import annotations

import pytest

from charts.bands import EDUCATION_LEVELS, EXPERIENCE_BANDS, OTHER, education_level, experience_band

EXPERIENCE_CASES = [
    # Lagou: one to one, except its two student labels
    ("不限", "不限"),
    ("应届毕业生", "应届"),
    ("在校/应届", "应届"),
    ("1年以下", "1年以下"),
    ("1-3年", "1-3年"),
    ("3-5年", "3-5年"),
    ("5-10年", "5-10年"),
    ("10年以上", "10年以上"),
    (" 3-5年 ", "3-5年"),  # whitespace around a label is no new label
    # 51job: the band that contains the label
    ("无需经验", "不限"),
    ("在校生/应届生", "应届"),
    ("1年经验", "1-3年"),
    ("2年经验", "1-3年"),
    ("3-4年经验", "3-5年"),
    ("3-4年", "3-5年"),
    ("5-7年经验", "5-10年"),
    ("5-7年", "5-10年"),
    ("8-9年经验", "5-10年"),
    ("8-9年", "5-10年"),
    ("10年以上经验", "10年以上"),
    # no band contains these
    ("1年及以上", OTHER),
    ("3年及以下", OTHER),
    ("不要求", OTHER),
    ("", OTHER),
    (None, OTHER),
]

EDUCATION_CASES = [
    ("不限", "不限"),
    ("学历不限", "不限"),
    ("无学历要求", "不限"),
    ("大专", "大专"),
    ("本科", "本科"),
    ("硕士", "硕士"),
    ("博士", "博士"),
    ("本科 ", "本科"),
    ("中技/中专", OTHER),
    ("高中", OTHER),
    ("初中及以下", OTHER),
    ("", OTHER),
    (None, OTHER),
]


@pytest.mark.parametrize(("label", "band"), EXPERIENCE_CASES)
def test_experience_label_maps_to_its_band(label: str | None, band: str) -> None:
    assert experience_band(label) == band


@pytest.mark.parametrize(("label", "level"), EDUCATION_CASES)
def test_education_label_maps_to_its_level(label: str | None, level: str) -> None:
    assert education_level(label) == level


def test_bands_and_levels_are_in_the_issues_order() -> None:
    assert EXPERIENCE_BANDS == ("不限", "应届", "1年以下", "1-3年", "3-5年", "5-10年", "10年以上")
    assert EDUCATION_LEVELS == ("不限", "大专", "本科", "硕士", "博士")
