"""Error snapshots: the HTML (and a screenshot) of a page that was blocked or could not be parsed.

Workers hand the page they could not use to one shared `SnapshotStore`; a person reads the files
later to see what the site showed. Names are `<UTC time>_[<site>_]<city>_p<page>_<reason>.html` (+ `.png`),
ASCII only, never overwriting, and ordered by time, so the folder stays bounded: after each save
the oldest snapshots beyond `keep` are deleted (an HTML file and its screenshot count as one).
Only files that match this naming are ever deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from pathlib import Path

from scraper.model.cities import CITIES

DEFAULT_KEEP = 50
MAX_PART_CHARS = 40
HASH_CHARS = 8
TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"
ONE_TICK = dt.timedelta(microseconds=1)
HTML_SUFFIX = ".html"
PNG_SUFFIX = ".png"
# Our own files: the time prefix written by TIME_FORMAT, then anything, then .html or .png.
_OWN_FILE = re.compile(r"^(?P<stem>\d{8}T\d{6}\.\d{6}Z_[A-Za-z0-9_.-]+)\.(?:html|png)$")
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
_PINYIN = {city.name: city.pinyin for city in CITIES}


def safe_name(text: str, *, fallback: str) -> str:
    """`text` as a lowercase ASCII slug (letters, digits, single dashes), at most 40 characters.

    Text with no ASCII letters or digits (an unknown Chinese city name, say) becomes
    `<fallback>-<hash>`, so two such names still give two different slugs.
    """
    slug = _UNSAFE.sub("-", text).strip("-").lower()[:MAX_PART_CHARS].strip("-")
    if slug:
        return slug
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"{fallback}-{digest}"


class SnapshotStore:
    """Saves page snapshots into `folder` and keeps only the newest `keep`. Safe to share between threads."""

    def __init__(self, folder: Path, *, keep: int = DEFAULT_KEEP, site: str = "") -> None:
        if keep < 1:
            raise ValueError(f"keep must be at least 1, got {keep}")
        self.folder = folder
        self.keep = keep
        self._prefix = f"{safe_name(site, fallback='site')}_" if site else ""  # whose pages, when several sites
        self._lock = threading.Lock()
        self._last_time: dt.datetime | None = None

    def save(self, city: str, page: int, reason: str, html: str, screenshot_png: bytes | None = None) -> Path:
        """Write the snapshot and prune old ones; returns the path of the HTML file.

        The PNG, when given, has the same name with `.png`. The folder is created when missing.
        Raises OSError when the files cannot be written (callers log it and go on: a snapshot
        is evidence, never a reason to fail a page).
        """
        city_part = _PINYIN.get(city.strip()) or safe_name(city, fallback="city")
        name = f"{self._prefix}{city_part}_p{max(page, 0)}_{safe_name(reason, fallback='reason')}"
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            html_path = self._create(name, html.encode("utf-8"))
            if screenshot_png is not None:
                html_path.with_suffix(PNG_SUFFIX).write_bytes(screenshot_png)
            self._prune()
        return html_path

    def _create(self, name: str, content: bytes) -> Path:
        """Write `content` to a new `<time>_<name>.html`; a name already taken gets the next tick."""
        while True:
            stamp = self._next_time().strftime(TIME_FORMAT)
            path = self.folder / f"{stamp}_{name}{HTML_SUFFIX}"
            try:
                with path.open("xb") as file:  # exclusive create: never overwrite a snapshot
                    file.write(content)
            except FileExistsError:
                continue
            return path

    def _next_time(self) -> dt.datetime:
        """Now in UTC, but always after the previous stamp, so names sort in save order
        even when the clock steps back or two saves fall in the same microsecond."""
        now = dt.datetime.now(dt.UTC)
        if self._last_time is not None and now <= self._last_time:
            now = self._last_time + ONE_TICK
        self._last_time = now
        return now

    def _prune(self) -> None:
        groups: dict[str, list[Path]] = {}
        for path in self.folder.iterdir():
            match = _OWN_FILE.match(path.name)
            if match and path.is_file():
                groups.setdefault(match["stem"], []).append(path)
        for stem in sorted(groups)[: -self.keep]:
            for path in groups[stem]:
                path.unlink(missing_ok=True)
