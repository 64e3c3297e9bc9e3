"""Carry out a site's steps in a tab (navigate, click, type and submit) and wait until the page is ready.

The site adapter hands these down as data (`scraper.model.navigation`); this module knows no site.
Readiness: before each step every element that already matches one of the rule's selectors is
remembered as stale (in a WeakSet in the page's window; the markup is not touched), and after the
step the page is ready once a selector matches an element not remembered. So a click on "next" is
not satisfied by the cards of the page it left, and a navigation by the placeholders a listing shows
before its script renders. When the rule's timeout passes the page is read as it is: the parser, not
the fetch layer, calls it a block. A step whose element is missing ends the steps early for the same
reason (the page the browser is on, say a block page, is then read and judged by the parser).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from scraper.model.navigation import Click, Navigate, ReadyRule, Step, TypeAndSubmit

# The elements seen before a step, kept in a WeakSet on the window (the page's markup stays untouched).
MARK_STALE_SCRIPT = """
const stale = window.__scraperStale = new WeakSet();
for (const selector of arguments[0]) {
  for (const element of document.querySelectorAll(selector)) stale.add(element);
}
"""
IS_READY_SCRIPT = """
const stale = window.__scraperStale;
return arguments[0].some(selector => Array.from(document.querySelectorAll(selector))
    .some(element => !(stale && stale.has(element))));
"""


def follow_steps(driver: Any, steps: Sequence[Step], ready: ReadyRule) -> None:
    """Take `steps` in order, waiting by `ready` after each. Selenium errors propagate (the caller maps them)."""
    for step in steps:
        if not ready.is_loaded_enough and not isinstance(step, Navigate):
            driver.execute_script(MARK_STALE_SCRIPT, list(ready.selectors))
        try:
            _take(driver, step)
        except NoSuchElementException:
            return
        if not ready.is_loaded_enough:
            wait_until_ready(driver, ready)


def wait_until_ready(driver: Any, ready: ReadyRule) -> bool:
    """Poll until a selector of `ready` matches a fresh element; False when `ready.timeout` passed first."""
    deadline = time.monotonic() + ready.timeout
    selectors = list(ready.selectors)
    while True:
        if driver.execute_script(IS_READY_SCRIPT, selectors):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(ready.poll)


def _take(driver: Any, step: Step) -> None:
    if isinstance(step, Navigate):
        driver.get(step.url)
    elif isinstance(step, Click):
        driver.find_element(By.CSS_SELECTOR, step.selector).click()
    else:
        _type_and_submit(driver, step)


def _type_and_submit(driver: Any, step: TypeAndSubmit) -> None:
    box = driver.find_element(By.CSS_SELECTOR, step.selector)
    box.clear()
    if step.submit is None:
        box.send_keys(step.text, Keys.ENTER)
        return
    box.send_keys(step.text)
    driver.find_element(By.CSS_SELECTOR, step.submit).click()
