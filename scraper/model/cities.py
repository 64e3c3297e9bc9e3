"""City names: the Chinese names Lagou's URLs use, and the pinyin and English names users type.

`resolve_cities("all")` gives the four cities the product is about; any other value is a comma
list of names in Chinese, pinyin or English, matched case-insensitively. The settings module
calls this, so an unknown city fails before anything starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.common.errors import ConfigError


@dataclass(frozen=True, slots=True)
class City:
    """One city: its Chinese name (the canonical form, stored in the database) and aliases."""

    name: str
    pinyin: str
    english: str


CITIES: tuple[City, ...] = (
    City("北京", "beijing", "Beijing"),
    City("上海", "shanghai", "Shanghai"),
    City("广州", "guangzhou", "Guangzhou"),
    City("深圳", "shenzhen", "Shenzhen"),
    City("杭州", "hangzhou", "Hangzhou"),
    City("成都", "chengdu", "Chengdu"),
    City("南京", "nanjing", "Nanjing"),
    City("武汉", "wuhan", "Wuhan"),
    City("西安", "xian", "Xi'an"),
    City("苏州", "suzhou", "Suzhou"),
    City("天津", "tianjin", "Tianjin"),
    City("重庆", "chongqing", "Chongqing"),
)
ALL_CITIES: tuple[str, ...] = ("北京", "上海", "广州", "深圳")
_POSITIONS = {city.name: index for index, city in enumerate(CITIES)}  # for city_order

# English spellings that differ from pinyin by more than case and punctuation.
_EXTRA_ALIASES = {"peking": "北京", "canton": "广州", "xi-an": "西安", "xi'an": "西安"}


def _alias_table() -> dict[str, str]:
    table = dict(_EXTRA_ALIASES)
    for city in CITIES:
        for alias in (city.name, city.pinyin, city.english):
            table[alias.casefold()] = city.name
    return table


def resolve_cities(text: str) -> tuple[str, ...]:
    """Chinese names for `text` ("all" or a comma list), in the given order, without repeats.

    Raises ConfigError naming the valid cities when a name is unknown or the list is empty.
    """
    if text.strip().casefold() == "all":
        return ALL_CITIES
    table = _alias_table()
    names: list[str] = []
    for part in text.split(","):
        key = part.strip().casefold()
        if not key:
            continue
        if key not in table:
            valid = ", ".join(f"{c.name} ({c.pinyin})" for c in CITIES)
            raise ConfigError(f"unknown city {part.strip()!r}; valid cities: all, {valid}")
        if table[key] not in names:
            names.append(table[key])
    if not names:
        raise ConfigError("--cities is empty; give 'all' or a comma list such as 北京,shanghai")
    return tuple(names)


def city_order(name: str) -> tuple[int, str]:
    """Sort key for city names: the known cities in the order of CITIES (北京, 上海, 广州, 深圳 first),
    then any other name in code point order, the same on every database backend."""
    return _POSITIONS.get(name, len(CITIES)), name
