"""Settings: which sites to scrape, each site's root URL and the limit each site's cap allows.

`--site` / `SCRAPER_SITES` is a site name of `scraper.sites.SITES`, a comma list of them or `all`
(default `lagou`). `--base-url` / `SCRAPER_BASE_URL` is one root URL when one site is chosen, or
`SITE=URL` per site (repeat the option, or join with commas); a site without one gets its
adapter's own root. `--limit` may not exceed the largest page cap among the chosen sites (a site
with a smaller cap simply runs out of pages first).
"""

from __future__ import annotations

import re

from scraper.common.errors import ConfigError
from scraper.settings.checks import Range, base_url
from scraper.sites import SITES, get_site

ALL = "all"
_SITE_ROOT = re.compile(r"^([A-Za-z0-9_]+)=(.*)$")
SiteRoots = tuple[tuple[str | None, str], ...]


def sites(label: str, text: str) -> tuple[str, ...]:
    """Registered site names for `text` ("all" or a comma list), in the given order, without repeats."""
    if text.strip().casefold() == ALL:
        return tuple(SITES)
    names: list[str] = []
    for part in (p.strip().casefold() for p in text.split(",")):
        if not part:
            continue
        if part not in SITES:
            raise ConfigError(f"unknown site {part!r} in {label}; valid sites: {ALL}, {', '.join(SITES)}")
        if part not in names:
            names.append(part)
    if not names:
        raise ConfigError(f"{label} is empty; give {ALL} or a comma list such as {','.join(SITES)}")
    return tuple(names)


def base_urls(label: str, text: str) -> SiteRoots:
    """The roots given: `()` for none, `((None, URL),)` for one bare URL, else `((SITE, URL), ...)`."""
    roots: list[tuple[str | None, str]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = _SITE_ROOT.match(part)
        if match is None:
            roots.append((None, base_url(label, part)))
            continue
        site = match.group(1).casefold()
        if site not in SITES:
            raise ConfigError(f"{label} names unknown site {site!r} (known: {', '.join(SITES)})")
        roots.append((site, base_url(label, match.group(2))))
    return tuple(roots)


def resolve_roots(label: str, chosen: tuple[str, ...], given: SiteRoots) -> tuple[tuple[str, str], ...]:
    """(site, root URL) for every chosen site: the one given for it, else the adapter's own root.

    A bare URL that is some site's own default root counts as that site's. Raises ConfigError for
    another bare URL with several sites, for two roots of one site and for a root of a site that is
    not chosen.
    """
    named: dict[str, str] = {}
    # A bare URL that is a site's own root names that site (an .env from before sites holds Lagou's).
    defaults = {get_site(site).default_base_url: site for site in SITES}
    given = tuple((site or defaults.get(url), url) for site, url in given)
    for given_site, url in given:
        if given_site is None and (len(chosen) != 1 or len(given) != 1):
            raise ConfigError(
                f"{label} URL sets the root of one site; with several sites give {label} SITE=URL for each"
            )
        site = given_site or chosen[0]
        if site in named:
            raise ConfigError(f"{label} gives two roots for {site}")
        if site not in chosen:
            raise ConfigError(
                f"{label} gives a root for {site}, which is not among the sites scraped ({','.join(chosen)})"
            )
        named[site] = url
    return tuple((site, named.get(site) or get_site(site).default_base_url) for site in chosen)


def whole_number(label: str, text: str) -> int:
    """A whole number (its range is checked by `check_limit` once the sites are known)."""
    return int(Range(int, -float("inf"))(label, text))


def check_limit(label: str, text: str, chosen: tuple[str, ...]) -> int:
    """The limit, between 1 and the largest page cap of the chosen sites (the message names that site)."""
    widest = max((get_site(name) for name in chosen), key=lambda site: site.page_size * site.max_pages)
    note = f" ({widest.display_name} shows {widest.max_pages} pages of {widest.page_size})"
    return int(Range(int, 1, widest.page_size * widest.max_pages, note=note)(label, text))


def check_cities(chosen: tuple[str, ...], cities: tuple[str, ...]) -> None:
    """Raise ConfigError naming the first city a chosen site cannot search (51job needs a city code)."""
    for name in chosen:
        site = get_site(name)
        missing = [city for city in cities if not site.supports_city(city)]
        if missing:
            raise ConfigError(f"{site.display_name} cannot search {', '.join(missing)} (it has no city code for it)")
