"""Fonts and wording for the charts: find an installed CJK font, or fall back to pinyin and
English so a chart never shows empty boxes where Chinese glyphs are missing.

`find_cjk_font` asks matplotlib's font manager for the first known CJK family installed here.
Callers pass the result (or None) on; `label_for` and `chart_text` then pick Chinese or
pinyin/English text to match, and `style_params` gives the rc settings for `rc_context`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib import font_manager

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Preferred first: families that cover simplified Chinese on Linux, then macOS and Windows.
CJK_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
)
# Latin fallback behind the CJK family: matplotlib's bundled font, always present.
LATIN_FAMILY = "DejaVu Sans"

CITY_PINYIN: dict[str, str] = {
    "北京": "Beijing",
    "上海": "Shanghai",
    "广州": "Guangzhou",
    "深圳": "Shenzhen",
    "杭州": "Hangzhou",
    "成都": "Chengdu",
    "南京": "Nanjing",
    "武汉": "Wuhan",
    "西安": "Xi'an",
    "苏州": "Suzhou",
    "天津": "Tianjin",
    "重庆": "Chongqing",
    "长沙": "Changsha",
    "厦门": "Xiamen",
    "全国": "Nationwide",
}


@dataclass(frozen=True, slots=True)
class CJKFont:
    """An installed font family that has Chinese glyphs, and the file matplotlib loads it from."""

    name: str
    path: str


@dataclass(frozen=True, slots=True)
class ChartText:
    """Every fixed string the charts show, in one language."""

    distribution_title: str
    by_city_title: str
    histogram_title: str
    salary_axis: str
    city_axis: str
    job_count_axis: str
    colorbar: str
    mean: str
    median: str
    no_salary: str
    trend_title: str
    date_axis: str
    band: str


ZH_TEXT = ChartText(
    distribution_title="各城市职位月薪分布（每点一个职位）",
    by_city_title="各城市月薪平均值与中位数",
    histogram_title="各城市月薪区间分布",
    salary_axis="月薪（千元/月）",
    city_axis="城市",
    job_count_axis="职位数",
    colorbar="月薪水平（千元/月）",
    mean="平均值",
    median="中位数",
    no_salary="无可解析的薪资",
    trend_title="各城市月薪中位数走势（阴影：25%–75% 分位；n：职位数）",
    date_axis="采集时间（UTC）",
    band="25%–75% 分位",
)
EN_TEXT = ChartText(
    distribution_title="Monthly salary distribution by city (one point per job)",
    by_city_title="Mean and median monthly salary by city",
    histogram_title="Monthly salary bands by city",
    salary_axis="Monthly salary (thousand CNY/month)",
    city_axis="City",
    job_count_axis="Jobs",
    colorbar="Salary level (thousand CNY/month)",
    mean="Mean",
    median="Median",
    no_salary="No parsed salary",
    trend_title="Median monthly salary by city over time (band: p25–p75; n: jobs)",
    date_axis="Collected (UTC)",
    band="p25–p75",
)


def find_cjk_font(families: Sequence[str] = CJK_FAMILIES) -> CJKFont | None:
    """The first of `families` that matplotlib's font manager knows, or None when none is
    installed (callers then fall back to pinyin and English labels)."""
    installed = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    for family in families:
        if family in installed:
            return CJKFont(name=family, path=installed[family])
    return None


def label_for(city: str, font: CJKFont | None) -> str:
    """The label to draw for a city: the Chinese name itself when a CJK font is available;
    otherwise its pinyin (北京 → Beijing), the name unchanged when it is ASCII, or, for an
    unknown Chinese name, its code points (U+5357U+5B81) so nothing renders as empty boxes."""
    if font is not None or city.isascii():
        return city
    if city in CITY_PINYIN:
        return CITY_PINYIN[city]
    return "".join(ch if ch.isascii() else f"U+{ord(ch):04X}" for ch in city)


def chart_text(font: CJKFont | None) -> ChartText:
    """Chinese chart text when a CJK font is available, English otherwise."""
    return ZH_TEXT if font is not None else EN_TEXT


def style_params(font: CJKFont | None) -> dict[RcKeyType, Any]:
    """rc settings for `matplotlib.rc_context`: the CJK family first with Latin fallback, and
    an ASCII hyphen for minus signs (not every CJK font has U+2212)."""
    if font is None:
        return {"font.family": [LATIN_FAMILY]}
    return {"font.family": [font.name, LATIN_FAMILY], "axes.unicode_minus": False}
