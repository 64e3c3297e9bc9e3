"""A tiny read-only DOM on the standard library's `html.parser`, for the pure site parsers.

The project has no lxml or BeautifulSoup and adds no dependencies, yet the parsers need "find
every card, then the title inside each card". `parse_html` builds a tree of `Element`s whose
children are elements and text strings; `Element.select` understands the small CSS subset the
parsers use. Like a browser it never fails on bad markup: stray end tags are ignored, an
unclosed element is closed by its parent's end tag, void elements take no children, entities
are decoded, and comments are dropped (so React's `<!-- -->` separators vanish and the text on
either side joins up). `<script>`/`<style>` bodies are kept as raw text on their element but
never count as the text of an ancestor, so templates and JSON do not leak into page text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that can never have children (the HTML "void elements").
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Elements whose body is raw text, not markup; html.parser already treats script/style this way.
RAW_TEXT_TAGS = frozenset({"script", "style"})
# Opening the key tag implicitly closes a still-open element of one of these tags (a subset of
# the HTML "optional end tag" rules, enough for hand-written or sloppy list and table markup).
_IMPLIED_END = {
    "li": {"li"},
    "p": {"p"},
    "option": {"option"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
}

_COMPOUND_PART = re.compile(
    r"""(?P<tag>\*|[a-zA-Z][\w-]*)
      | \#(?P<id>[\w-]+)
      | \.(?P<cls>[\w-]+\*?)
      | \[(?P<attr>[\w-]+)(?:(?P<op>[~^*]?=)(?P<quote>["']?)(?P<value>[^\]"']*)(?P=quote))?\]
    """,
    re.VERBOSE,
)
_COMBINATOR = re.compile(r"\s*(>)\s*|\s+")


@dataclass(eq=False)
class Element:
    """One element. `children` holds elements and text strings in document order."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The attribute's decoded value ("" for a bare attribute), or `default` if absent."""
        return self.attrs.get(name, default)

    @property
    def classes(self) -> tuple[str, ...]:
        """The class tokens of the element."""
        return tuple(self.attrs.get("class", "").split())

    def has_class(self, name: str) -> bool:
        """True when `name` is one of the element's class tokens."""
        return name in self.classes

    def iter(self) -> Iterator[Element]:
        """Every descendant element (not self), depth first, in document order."""
        stack = [c for c in reversed(self.children) if isinstance(c, Element)]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(c for c in reversed(element.children) if isinstance(c, Element))

    def text(self) -> str:
        """All descendant text, unmodified (entities already decoded).

        Script and style bodies below this element are left out; on a script or style element
        itself the raw body is returned.
        """
        parts: list[str] = []
        stack: list[Element | str] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            elif node.tag not in RAW_TEXT_TAGS:
                stack.extend(reversed(node.children))
        return "".join(parts)

    def select(self, selector: str) -> list[Element]:
        """Descendants matching `selector`, in document order; see `Selector` for the syntax."""
        compiled = Selector(selector)
        return [element for element in self.iter() if compiled.matches(element, scope=self)]

    def select_one(self, selector: str) -> Element | None:
        """The first descendant matching `selector`, or None."""
        compiled = Selector(selector)
        return next((e for e in self.iter() if compiled.matches(e, scope=self)), None)


class _Compound:
    """One compound selector such as `li.lg-pagination-next[aria-disabled=true]`."""

    def __init__(self, text: str) -> None:
        self.tag: str | None = None
        self.ids: list[str] = []
        self.classes: list[str] = []
        self.attrs: list[tuple[str, str | None, str]] = []
        pos = 0
        while pos < len(text):
            match = _COMPOUND_PART.match(text, pos)
            if match is None:
                raise ValueError(f"unsupported selector syntax at {text[pos:]!r}")
            if match["tag"]:
                self.tag = None if match["tag"] == "*" else match["tag"].lower()
            elif match["id"]:
                self.ids.append(match["id"])
            elif match["cls"]:
                self.classes.append(match["cls"])
            else:
                self.attrs.append((match["attr"].lower(), match["op"], match["value"] or ""))
            pos = match.end()

    def matches(self, element: Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if any(element.get("id") != wanted for wanted in self.ids):
            return False
        tokens = element.classes
        for wanted in self.classes:
            if wanted.endswith("*"):
                if not any(token.startswith(wanted[:-1]) for token in tokens):
                    return False
            elif wanted not in tokens:
                return False
        return all(_attr_matches(element.get(name), op, value) for name, op, value in self.attrs)


def _attr_matches(actual: str | None, op: str | None, value: str) -> bool:
    if actual is None:
        return False
    if op is None:
        return True
    if op == "=":
        return actual == value
    if op == "~=":
        return value in actual.split()
    if op == "^=":
        return actual.startswith(value)
    return value in actual  # "*="


class Selector:
    """A compiled selector: compounds joined by descendant (space) or child (`>`) combinators.

    A compound is `tag`, `*`, `#id`, `.class`, `[attr]`, `[attr=v]`, `[attr~=v]`, `[attr^=v]` or
    `[attr*=v]`, combined. One extension: `.name*` matches any class token starting with
    `name`, so `.money__*` finds a CSS-module class (`money__3Lkgq`) whatever its build hash.
    Ancestors are only looked for inside the scope element the search started from.
    Raises ValueError for syntax outside this subset.
    """

    def __init__(self, text: str) -> None:
        pieces = [p for p in _COMBINATOR.split(text.strip()) if p is not None and p != ""]
        self._steps: list[tuple[str, _Compound]] = []
        combinator = " "
        for piece in pieces:
            if piece == ">":
                combinator = ">"
                continue
            self._steps.append((combinator, _Compound(piece)))
            combinator = " "
        if not self._steps:
            raise ValueError(f"empty selector {text!r}")

    def matches(self, element: Element, *, scope: Element) -> bool:
        """True when `element` matches, with every ancestor step found below `scope`."""
        return self._match_from(len(self._steps) - 1, element, scope)

    def _match_from(self, index: int, element: Element, scope: Element) -> bool:
        combinator, compound = self._steps[index]
        if not compound.matches(element):
            return False
        if index == 0:
            return True
        ancestor = element.parent
        while ancestor is not None and ancestor is not scope:
            if self._match_from(index - 1, ancestor, scope):
                return True
            if combinator == ">":
                return False
            ancestor = ancestor.parent
        return False


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open: list[Element] = [self.root]

    def _append(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        current = self._open[-1]
        if current.tag in _IMPLIED_END.get(tag, ()):
            self._open.pop()
            current = self._open[-1]
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # the first of duplicate attributes wins, as in browsers
        element = Element(tag, values, parent=current)
        current.children.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._append(tag, attrs)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._append(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return
        # An end tag with no open element of that name is ignored, as browsers do.

    def handle_data(self, data: str) -> None:
        children = self._open[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data  # text split by a dropped comment or a parser chunk joins up
        else:
            children.append(data)


def parse_html(markup: str) -> Element:
    """Parse an HTML document or fragment into a tree; the returned root is a `#document` element.

    Never raises on malformed markup.
    """
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root
