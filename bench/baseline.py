"""The baseline: a straightforward Selenium scraper, written the way course projects usually are.

One city after another, a new Chromium per city (default options: images load, the default
"normal" page-load strategy that waits for every subresource), `find_elements` for the cards
and `find_element(...).text` per field per card, each one a WebDriver round trip. It keeps
the first `limit` unique (city, title, salary) postings in listing order, exactly like the
scraper, so the two collect the same postings and their speeds compare. Run as a subprocess:
`python -m bench.baseline --base-url URL --cities 北京,上海 --limit 100` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CARD = "div[class^='item__']"
TITLE_LINK = "div[class^='p-top__'] a"
SALARY = "span[class^='money__']"
BOTTOM_LINE = "div[class^='p-bom__']"
COMPANY = "div[class^='company-name__'] a"
INDUSTRY = "div[class^='industry__']"
SKILLS = "div[class^='ir__'] span"
MAX_PAGES = 30


def start_browser() -> tuple[webdriver.Chrome, str]:
    """A default headless Chromium (images on, normal page loads) and its temporary profile."""
    options = webdriver.ChromeOptions()
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to start as root otherwise
    profile = tempfile.mkdtemp(prefix="bench-baseline-")
    options.add_argument(f"--user-data-dir={profile}")
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    return driver, profile


def read_card(card: Any, city: str) -> dict[str, Any]:
    """One card's fields, one WebDriver round trip per field (the pattern under test)."""
    title_and_place = card.find_element(By.CSS_SELECTOR, TITLE_LINK).text
    title = title_and_place.rsplit("[", 1)[0].strip()
    return {
        "city": city,
        "title": title,
        "salary": card.find_element(By.CSS_SELECTOR, SALARY).text.strip(),
        "experience": card.find_element(By.CSS_SELECTOR, BOTTOM_LINE).text,
        "company": card.find_element(By.CSS_SELECTOR, COMPANY).text,
        "industry": card.find_element(By.CSS_SELECTOR, INDUSTRY).text,
        "skills": [span.text for span in card.find_elements(By.CSS_SELECTOR, SKILLS)],
    }


def scrape_city(base_url: str, city: str, keyword: str, limit: int) -> dict[str, Any]:
    """Scrape one city with its own new browser; returns pages, start-up time and the kept keys."""
    started = time.monotonic()
    driver, profile = start_browser()
    startup = time.monotonic() - started
    keys: list[list[str]] = []
    seen: set[tuple[str, str, str]] = set()
    pages = 0
    try:
        for page in range(1, MAX_PAGES + 1):
            driver.get(f"{base_url}/wn/jobs?{urlencode({'kd': keyword, 'city': city, 'pn': page})}")
            pages += 1
            cards = driver.find_elements(By.CSS_SELECTOR, CARD)
            for card in cards:
                job = read_card(card, city)
                key = (job["city"], job["title"], job["salary"])
                if key not in seen and len(seen) < limit:
                    seen.add(key)
                    keys.append(list(key))
            if not cards or len(seen) >= limit:
                break
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return {"city": city, "pages": pages, "postings": len(keys), "startup_s": round(startup, 3), "keys": keys}


def main(argv: Sequence[str] | None = None) -> int:
    """Scrape the cities one after another and print a JSON summary on stdout."""
    parser = argparse.ArgumentParser(prog="python -m bench.baseline")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--cities", default="北京,上海,广州,深圳")
    parser.add_argument("--keyword", default="Python")
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)
    started = time.monotonic()
    cities = [scrape_city(args.base_url, city, args.keyword, args.limit) for city in args.cities.split(",")]
    json.dump({"wall_s": round(time.monotonic() - started, 3), "cities": cities}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
