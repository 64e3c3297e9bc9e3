"""How a browser reaches a listing page and when that page is ready: data a site adapter hands down.

A site says how page N is reached as a short list of `Step`s (navigate to a URL, click an
element, type into a box and submit it) and what "ready" means as a `ReadyRule` (the load alone,
or until a fresh element matches one of the rule's selectors). The fetch layer carries the steps
out and waits by the rule without knowing which site it serves; the crawl engine only passes
them along. Everything here is plain frozen data, so it can cross from `scraper.sites` to
`scraper.browser` without either importing the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Navigate:
    """Load `url` in the tab (a fresh document)."""

    url: str


@dataclass(frozen=True, slots=True)
class Click:
    """Click the first element matching the CSS `selector` in the current document."""

    selector: str


@dataclass(frozen=True, slots=True)
class TypeAndSubmit:
    """Clear the box at `selector`, type `text` into it, then click `submit` (or press Enter when it is None)."""

    selector: str
    text: str
    submit: str | None = None


Step = Navigate | Click | TypeAndSubmit


@dataclass(frozen=True, slots=True)
class ReadyRule:
    """When a page counts as ready to read.

    No `selectors`: once it has loaded (a navigation returns). Otherwise: once any selector matches
    an element that was not there before the step (so after an in-page click the old list does not
    count), or `timeout` seconds have passed; the page is then read as it is and the parser decides
    (a list that never rendered is the site's to call a block). `poll` is the check interval.
    """

    selectors: tuple[str, ...] = ()
    timeout: float = 0.0
    poll: float = 0.1

    @property
    def is_loaded_enough(self) -> bool:
        """True when the load alone makes the page ready."""
        return not self.selectors


LOADED = ReadyRule()
"""The rule of a site whose pages are complete when they load (server-rendered listings)."""


def is_plain_load(steps: Sequence[Step], url: str, ready: ReadyRule) -> bool:
    """True when reaching the page is loading `url` and nothing more, and the load makes it ready."""
    return ready.is_loaded_enough and tuple(steps) == (Navigate(url),)
