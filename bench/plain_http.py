"""The plain-HTTP lower bound: urllib fetches the same listing pages, our parser reads them.

No browser at all: one thread per city (like the scraper's workers) requests `/wn/jobs` pages
with `urllib.request` and parses the `__NEXT_DATA__` JSON with `LagouSite().parse_listing`,
keeping the first `limit` unique postings. What is left of the scraper's time beyond this is
the price of driving a browser. Run as a subprocess:
`python -m bench.plain_http --base-url URL --cities 北京,上海 --limit 100` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from typing import Any

from scraper.sites.lagou.adapter import LagouSite

FETCH_TIMEOUT_S = 30.0


def scrape_city(site: LagouSite, base_url: str, city: str, keyword: str, limit: int) -> dict[str, Any]:
    """Fetch and parse one city's pages until `limit` unique postings or the last page."""
    keys: list[list[str]] = []
    seen: set[tuple[str, str, str]] = set()
    pages = 0
    for page in range(1, site.max_pages + 1):
        url = site.listing_url(base_url, city, keyword, page)
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as response:  # noqa: S310 - loopback replica
            html = response.read().decode("utf-8")
        pages += 1
        listing = site.parse_listing(html, url=url)
        for posting in listing.postings:
            if posting.key not in seen and len(seen) < limit:
                seen.add(posting.key)
                keys.append(list(posting.key))
        if len(seen) >= limit or listing.is_empty or listing.has_next is False:
            break
    return {"city": city, "pages": pages, "postings": len(keys), "startup_s": 0.0, "keys": keys}


def main(argv: Sequence[str] | None = None) -> int:
    """Scrape the cities in parallel threads and print a JSON summary on stdout."""
    parser = argparse.ArgumentParser(prog="python -m bench.plain_http")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--cities", default="北京,上海,广州,深圳")
    parser.add_argument("--keyword", default="Python")
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)
    site = LagouSite()
    results: dict[str, dict[str, Any]] = {}
    started = time.monotonic()

    def work(city: str) -> None:
        results[city] = scrape_city(site, args.base_url, city, args.keyword, args.limit)

    threads = [threading.Thread(target=work, args=(city,)) for city in args.cities.split(",")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cities = [results[city] for city in args.cities.split(",") if city in results]
    json.dump({"wall_s": round(time.monotonic() - started, 3), "cities": cities}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
