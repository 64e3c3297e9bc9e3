"""HTML for the pure site parsers: one parse per page with selectolax's Lexbor HTML5 parser.

`parse_html` builds the tree a browser would (the HTML5 parsing rules: implied end tags, entity
decoding, `<script>`/`<style>` bodies kept raw, comments as their own nodes), and the parsers
query it with real CSS selectors (`node.css`, `node.css_first`). This module adds the little
CSS and Lexbor lack: `visible_text` (an element's text without script or style bodies, which
Lexbor's `text()` includes), `text_after` (the text of the following siblings), `has_class`,
and `class_prefix` (a selector for any class token that starts with a prefix, for CSS-module
names that carry a build hash). Unlike the old hand-written DOM, a selector's ancestor steps
may match above the element a search starts from, as in a browser's `querySelectorAll`. A tree
belongs to the thread that parsed it: Lexbor trees are not thread-safe.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements whose body is raw text, never part of the visible text of an ancestor.
RAW_TEXT_TAGS = frozenset({"script", "style"})
_RAW_TEXT_SELECTOR = ", ".join(sorted(RAW_TEXT_TAGS))
# CSS escapes of the ASCII whitespace other than space that may separate class tokens (an
# HTML5 parser has already turned CR into LF).
_CLASS_SEPARATORS = (" ", "\\9 ", "\\a ", "\\c ")
_CLASS_PREFIX = re.compile(r"[A-Za-z_][\w-]*")


def parse_html(markup: str) -> LexborNode:
    """Parse a document or a fragment; returns its `<html>` element, which every HTML5 tree has.

    Never raises on malformed markup (lone surrogates, which a str may hold, are dropped).
    """
    root = LexborHTMLParser(markup).root
    if root is None:  # the tree builder always inserts <html>; this only narrows the type
        raise AssertionError("HTML5 tree without an <html> element")
    return root


def visible_text(node: LexborNode) -> str:
    """All descendant text (entities decoded, comments dropped, whitespace kept as it is).

    Script and style bodies below `node` are left out; on a script or style element itself the
    raw body is returned.
    """
    if node.tag in RAW_TEXT_TAGS or node.css_first(_RAW_TEXT_SELECTOR) is None:
        return node.text()  # Lexbor's own walk is much faster; only raw text bodies need ours
    parts: list[str] = []
    stack = list(reversed(list(node.iter(include_text=True))))
    while stack:  # a loop, not recursion: a hostile page may nest elements thousands deep
        current = stack.pop()
        if current.is_text_node:
            parts.append(current.text_content or "")
        elif current.is_element_node and current.tag not in RAW_TEXT_TAGS:
            stack.extend(reversed(list(current.iter(include_text=True))))
    return "".join(parts)


def text_after(node: LexborNode) -> str:
    """The visible text of the node's following siblings (e.g. the experience line after a salary)."""
    parts: list[str] = []
    sibling = node.next
    while sibling is not None:
        if sibling.is_text_node:
            parts.append(sibling.text_content or "")
        elif sibling.is_element_node:
            parts.append(visible_text(sibling))
        sibling = sibling.next
    return "".join(parts)


def has_class(node: LexborNode, name: str) -> bool:
    """True when `name` is one of the element's class tokens."""
    return name in (node.attributes.get("class") or "").split()


def class_prefix(prefix: str) -> str:
    """A selector matching elements with a class token that starts with `prefix`.

    `class_prefix("money__")` matches `class="money__3Lkgq"` and `class="a money__x"` but not
    `class="my-money__x"`. Raises ValueError for a prefix that is not a plain class name.
    """
    if not _CLASS_PREFIX.fullmatch(prefix):
        raise ValueError(f"not a plain class-name prefix: {prefix!r}")
    contains = (f'[class*="{separator}{prefix}"]' for separator in _CLASS_SEPARATORS)
    # `[class]` is not redundant: Lexbor matches a bare `:is(...)` ancestor step only against the
    # direct parent (`:is(.a) b` misses `.a > span > b`); any other simple selector beside it cures that.
    return f'[class]:is([class^="{prefix}"], {", ".join(contains)})'
