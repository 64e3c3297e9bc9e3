"""The one password masker: every kind of URL password is hidden, the user and host stay, other text is untouched."""

from __future__ import annotations

import pytest

from scraper.common.masking import MASK, mask_secrets


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("postgresql://u:secret@h", "postgresql://u:***@h"),
        ("http://user:pa/ss@host:4444", "http://user:***@host:4444"),
        ("http://user:pa//ss@host:4444/wd/hub", "http://user:***@host:4444/wd/hub"),
        ("postgresql://u:a@b@h/db", "postgresql://u:***@h/db"),
        ("http://u:pa:ss@127.0.0.1:4444", "http://u:***@127.0.0.1:4444"),
        ("http://ann:pa#ss@grid.local:4444#2", "http://ann:***@grid.local:4444#2"),
        ("http://ann:pa?ss@grid.local", "http://ann:***@grid.local"),
        ("http://u:x://y@h", "http://u:***@h"),
        ("postgresql+psycopg2://u:p%40ss%2F@h/db?sslmode=require", "postgresql+psycopg2://u:***@h/db?sslmode=require"),
        ("redis://:token@cache:6379/0", "redis://:***@cache:6379/0"),
        ("url='postgresql://u:a@b@h/db'", "url='postgresql://u:***@h/db'"),
        ("DATABASE_URL=postgresql://u:p@h/db", "DATABASE_URL=postgresql://u:***@h/db"),
        ("garbage u:secret@rest", "garbage u:***@rest"),
        ("postgresql//u:secret@host/db", "postgresql//u:***@host/db"),
        ("u:pa//ss@h", "u:***@h"),
    ],
)
def test_the_password_of_a_url_is_masked_whatever_it_contains(text: str, masked: str) -> None:
    assert mask_secrets(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "postgresql://h/db?user=u&password=secret&sslmode=require",
            "postgresql://h/db?user=u&password=***&sslmode=require",
        ),
        ("postgresql://u:p@h/db?PASSWORD=s%26t", "postgresql://u:***@h/db?PASSWORD=***"),
        (
            "connecting with host=db port=5432 password=secret dbname=jobs",
            "connecting with host=db port=5432 password=*** dbname=jobs",
        ),
    ],
)
def test_a_password_parameter_is_masked(text: str, masked: str) -> None:
    assert mask_secrets(text) == masked


def test_every_url_of_a_log_line_is_masked_and_the_rest_kept() -> None:
    line = (
        "2026-11-26 12:48:11,376 WARNING scraper.browser.remote: http://a:one/1@grid-a:4444 refused; "
        "trying http://b:two@2@grid-b:4444,https://c:th:ree@grid-c/wd/hub#3 then postgresql://d:four@db/jobs."
    )
    assert mask_secrets(line) == (
        "2026-11-26 12:48:11,376 WARNING scraper.browser.remote: http://a:***@grid-a:4444 refused; "
        "trying http://b:***@grid-b:4444,https://c:***@grid-c/wd/hub#3 then postgresql://d:***@db/jobs."
    )
    for secret in ("one/1", "two@2", "th:ree", "four"):
        assert secret not in mask_secrets(line)


@pytest.mark.parametrize(
    "text",
    [
        "https://www.lagou.com/wn/jobs?kd=Python&city=北京&pn=2",
        "http://127.0.0.1:8000/jobs",
        "sqlite:///data/jobs.sqlite3",
        "file:///tmp/reports@2/summary.json",
        "postgresql://u@h/db",
        "mail bob@example.com about git@github.com:org/repo.git",
        "北京: done, 100 postings (100 new, 0 seen before), 7 pages, 0 blocks",
        "ratio 16:9 @ 1080p at 12:48:11,376",
        "the password field is empty; passwords=none",
        "",
    ],
)
def test_text_that_only_looks_like_a_url_is_left_alone(text: str) -> None:
    assert mask_secrets(text) == text


def test_masking_twice_changes_nothing_more() -> None:
    once = mask_secrets("http://u:p/w@h:1 and postgresql://h/db?password=x")
    assert MASK in once
    assert mask_secrets(once) == once
