"""The fetch layer's steps and ready rule (scraper.browser.steps) in real headless Chromium.

A small page on 127.0.0.1 shows placeholders, then renders its list after a delay, and turns to
the next list on a button (old items stay until the new ones arrive) or on a jump box. The tests
prove the fetch layer waits for a fresh list instead of reading placeholders or the list it left,
and that a timeout or a missing element hands the page over as it is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scraper.browser.handle import open_page
from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import BrowserConfig, LocalBrowser, choose_browser, find_chromedriver
from scraper.model.navigation import LOADED, Click, Navigate, ReadyRule, TypeAndSubmit

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>list</title></head><body>
<div id="list"><div class="placeholder">loading</div></div>
<button id="next">next</button><input id="jump"><span id="go">go</span>
<script>
const delay = Number(new URLSearchParams(location.search).get('delay') || '0');
let page = 0;
function show(n) {
  setTimeout(() => {
    page = n;
    document.getElementById('list').innerHTML = '<div class="item">page ' + n + '</div>';
  }, delay);
}
show(1);
document.getElementById('next').onclick = () => show(page + 1);
document.getElementById('go').onclick = () => show(Number(document.getElementById('jump').value));
</script></body></html>"""
READY = ReadyRule(selectors=(".item",), timeout=10.0, poll=0.05)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def page_root() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/list"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[LocalBrowser]:
    binary, is_shell = choose_browser(BrowserChoice.AUTO, None)
    config = BrowserConfig(find_chromedriver(None), binary, page_load_timeout=30, is_headless_shell=is_shell)
    started = LocalBrowser(config)
    try:
        yield started
    finally:
        started.quit()


def _items(html: str) -> list[str]:
    return re.findall(r'<div class="item">(page \d+)</div>', html)


def test_a_loaded_page_is_read_at_once_without_a_ready_rule(browser: LocalBrowser, page_root: str) -> None:
    url = f"{page_root}?delay=1500"

    fetched = open_page(browser, url, (Navigate(url),), LOADED)

    assert "loading" in fetched.html
    assert _items(fetched.html) == []


def test_navigation_waits_for_the_delayed_list_not_the_placeholders(browser: LocalBrowser, page_root: str) -> None:
    url = f"{page_root}?delay=1500"

    fetched = open_page(browser, url, (Navigate(url),), READY)

    assert _items(fetched.html) == ["page 1"]


def test_a_click_waits_for_the_next_list_not_the_one_it_left(browser: LocalBrowser, page_root: str) -> None:
    url = f"{page_root}?delay=800"
    open_page(browser, url, (Navigate(url),), READY)

    fetched = open_page(browser, url, (Click("#next"),), READY)

    assert _items(fetched.html) == ["page 2"]


def test_a_jump_navigates_then_types_the_page_number(browser: LocalBrowser, page_root: str) -> None:
    url = f"{page_root}?delay=500"

    fetched = open_page(browser, url, (Navigate(url), TypeAndSubmit("#jump", "7", submit="#go")), READY)

    assert _items(fetched.html) == ["page 7"]


def test_a_list_that_never_renders_is_read_as_it_is_after_the_timeout(browser: LocalBrowser, page_root: str) -> None:
    url = f"{page_root}?delay=60000"
    short = ReadyRule(selectors=(".item",), timeout=0.5, poll=0.05)

    fetched = open_page(browser, url, (Navigate(url),), short)

    assert "loading" in fetched.html
    assert _items(fetched.html) == []


def test_a_missing_element_ends_the_steps_and_the_page_is_read(browser: LocalBrowser, page_root: str) -> None:
    url = f"{page_root}?delay=0"

    fetched = open_page(browser, url, (Navigate(url), Click("#no-such-button")), READY)

    assert _items(fetched.html) == ["page 1"]
