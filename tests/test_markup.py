"""scraper.sites.markup: the HTML5 parse and the text and class helpers the site parsers use."""

from __future__ import annotations

import pytest

from scraper.sites.markup import class_prefix, has_class, parse_html, text_after, visible_text


def texts(markup: str, selector: str) -> list[str]:
    return [visible_text(node) for node in parse_html(markup).css(selector)]


def test_text_decodes_entities_and_joins_across_comments() -> None:
    markup = "<p> a &amp; &lt;b&gt; &quot;c&quot; &nbsp;&#x1F40D;&copy<!-- -->[北京·海淀区] </p>"

    assert texts(markup, "p") == [' a & <b> "c" \xa0🐍©[北京·海淀区] ']


def test_script_and_style_bodies_are_raw_on_themselves_but_not_in_page_text() -> None:
    root = parse_html(
        '<div>x<script id="data">{"a":"&amp;<li>"}</script><style>p{}</style><b>y<script>z</script></b></div>'
    )
    script = root.css_first("script#data")

    assert visible_text(root) == "xy"
    assert script is not None
    assert visible_text(script) == '{"a":"&amp;<li>"}'
    assert root.css("li") == []


def test_sloppy_markup_nests_like_a_browser() -> None:
    markup = "<ul><li>one<li>two</ul></span><div><img src=a.png><input type=hidden><p>after</div>"

    assert texts(markup, "ul > li") == ["one", "two"]
    assert texts(markup, "div > p") == ["after"]
    assert [node.tag for node in parse_html(markup).css("div > *")] == ["img", "input", "p"]


def test_text_after_reads_the_following_siblings_only() -> None:
    root = parse_html('<p class="bom"><b>before</b><span class="money">15k</span><!-- -->经验3年<i> / 本科</i></p>')
    money = root.css_first("span.money")

    assert money is not None
    assert text_after(money) == "经验3年 / 本科"


def test_has_class_compares_whole_tokens() -> None:
    root = parse_html('<li class="lg-pagination-next  lg-pagination-disabled">x</li><a>y</a>')
    item, link = root.css_first("li"), root.css_first("a")

    assert item is not None
    assert link is not None
    assert (has_class(item, "lg-pagination-disabled"), has_class(item, "lg-pagination")) == (True, False)
    assert has_class(link, "x") is False


def test_class_prefix_matches_any_token_that_starts_with_it() -> None:
    markup = (
        '<div class="money__3Lkgq">a</div><div class="x money__Ab-12">b</div><div class="x\tmoney__t">c</div>'
        '<div class="x\nmoney__n">d</div><div class="my-money__z">no</div><div class="money_z">no</div>'
        '<div class="p-top__1F7CL"><span><a>title</a></span></div>'
    )

    assert texts(markup, class_prefix("money__")) == ["a", "b", "c", "d"]
    assert texts(markup, f"{class_prefix('p-top__')} a") == ["title"]


@pytest.mark.parametrize("prefix", ["", "a b", 'x"]', "1abc", "a,b"])
def test_class_prefix_rejects_what_is_not_a_class_name(prefix: str) -> None:
    with pytest.raises(ValueError, match="class-name prefix"):
        class_prefix(prefix)


def test_first_of_duplicate_attributes_wins_and_bare_attributes_have_no_value() -> None:
    link = parse_html('<a class="first" class="second" href>x</a>').css_first("a")

    assert link is not None
    assert link.attributes == {"class": "first", "href": None}


@pytest.mark.parametrize(
    ("markup", "expected_text"),
    [
        ("<div>" * 5000 + "<script>s</script>deep" + "</div>" * 10, "deep"),
        ("<p>nul\x00byte</p>", "nulbyte"),  # an HTML5 tree drops NUL characters from body text
        ("<p>lone\ud800surrogate</p>", "lonesurrogate"),
        ('<p title="unclosed>cut off', ""),
        ("", ""),
    ],
)
def test_hostile_or_broken_markup_never_raises(markup: str, expected_text: str) -> None:
    assert visible_text(parse_html(markup)) == expected_text
