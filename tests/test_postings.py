"""The first-N-unique rule (`take_new`), shared by the local workers and the shared frontier."""

from __future__ import annotations

from scraper.model.postings import Posting, take_new
from scraper.model.salary import parse_salary


def posting(title: str, salary: str = "15k-25k", city: str = "北京") -> Posting:
    return Posting(city=city, title=title, salary=parse_salary(salary))


def titles(postings: tuple[Posting, ...]) -> list[str]:
    return [p.title for p in postings]


def test_take_new_keeps_unseen_postings_in_page_order_and_remembers_them() -> None:
    seen = {("北京", "B", "15k-25k")}
    page = [posting("A"), posting("B"), posting("A"), posting("B", "20k-30k"), posting("C")]
    assert titles(take_new(page, seen, limit=10)) == ["A", "B", "C"]
    assert seen == {
        ("北京", "A", "15k-25k"),
        ("北京", "B", "15k-25k"),
        ("北京", "B", "20k-30k"),
        ("北京", "C", "15k-25k"),
    }


def test_take_new_stops_at_the_limit_counting_what_was_seen_before() -> None:
    seen = {("北京", "old", "15k-25k")}
    assert titles(take_new([posting("A"), posting("B"), posting("C")], seen, limit=3)) == ["A", "B"]
    assert titles(take_new([posting("D")], seen, limit=3)) == []
    assert len(seen) == 3


def test_take_new_tells_cities_apart() -> None:
    seen = {("上海", "A", "15k-25k")}
    assert titles(take_new([posting("A")], seen, limit=5)) == ["A"]
