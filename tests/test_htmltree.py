"""scraper.sites.htmltree: the small DOM and CSS subset the site parsers stand on."""

from __future__ import annotations

import pytest

from scraper.sites.htmltree import parse_html


def texts(markup: str, selector: str) -> list[str]:
    return [element.text() for element in parse_html(markup).select(selector)]


def test_text_decodes_entities_and_joins_across_dropped_comments() -> None:
    root = parse_html("<p> a &amp; &lt;b&gt; &quot;c&quot;<!-- -->[北京·海淀区] </p>")

    assert root.text() == ' a & <b> "c"[北京·海淀区] '
    assert root.select("p")[0].children == [' a & <b> "c"[北京·海淀区] ']


def test_script_body_is_raw_on_the_script_but_not_in_page_text() -> None:
    root = parse_html('<div>x<script id="data">{"a":"&amp;<li>"}</script>y</div>')

    assert root.text() == "xy"
    script = root.select_one("script#data")
    assert script is not None
    assert script.text() == '{"a":"&amp;<li>"}'
    assert root.select("li") == []


def test_sloppy_markup_nests_like_a_browser() -> None:
    markup = "<ul><li>one<li>two</ul></span><div><img src=a.png><input type=hidden><p>after</div>"

    assert texts(markup, "ul > li") == ["one", "two"]
    assert texts(markup, "div > p") == ["after"]
    assert [e.tag for e in parse_html(markup).select("div > *")] == ["img", "input", "p"]


def test_selector_subset() -> None:
    markup = (
        '<div id="jobList" class="box"><div class="item__10RTO"><span class="money__3Lkgq">15k</span>'
        '<a data-x="a b">1</a></div><span class="money">old</span>'
        '<li class="lg-pagination-next lg-pagination-disabled" aria-disabled="true">next</li></div>'
    )

    assert texts(markup, ".money__*") == ["15k"]
    assert texts(markup, "#jobList > span.money") == ["old"]
    assert texts(markup, "div.box .item__* a") == ["1"]
    assert texts(markup, "[data-x~=b]") == ["1"]
    assert texts(markup, "[data-x^=a]") == ["1"]
    assert texts(markup, "[data-x*=b]") == ["1"]
    assert texts(markup, "[data-x*=c]") == []
    assert texts(markup, 'li.lg-pagination-next[aria-disabled="true"]') == ["next"]
    assert texts(markup, "#jobList > a") == []


def test_search_is_scoped_to_the_starting_element() -> None:
    root = parse_html('<div class="card"><p><b>in</b></p></div><p><b>out</b></p>')
    card = root.select_one(".card")

    assert card is not None
    assert [b.text() for b in card.select("p b")] == ["in"]


def test_first_of_duplicate_attributes_wins() -> None:
    element = parse_html('<a class="first" class="second" href>x</a>').select_one("a")

    assert element is not None
    assert (element.get("class"), element.get("href"), element.get("title")) == ("first", "", None)


@pytest.mark.parametrize("selector", ["a:first-child", "a, b", "", "a + b"])
def test_unsupported_selector_raises(selector: str) -> None:
    with pytest.raises(ValueError, match="selector"):
        parse_html("<a></a>").select(selector)
