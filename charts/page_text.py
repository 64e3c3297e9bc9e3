"""Every fixed string of `index.html`, in Chinese and in English: a page uses one language.

`report --lang zh|en` picks it (Chinese by default: the data and most readers are Chinese). The
explanations say what a reader cannot guess from the table: which postings the figures cover and
what new, gone and Δ median mean. Notice templates take the same fields in both languages as the
terminal's (`charts.report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from charts.plots import BY_CITY_PNG, DISTRIBUTION_PNG, HISTOGRAMS_PNG
from charts.trend import TREND_PNG

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


@dataclass(frozen=True, slots=True)
class PageText:
    """The page's wording in one language. `{…}` fields are filled in by `charts.page`."""

    html_lang: str
    title: str
    sandbox_all: str
    sandbox_some: str
    collection_heading: str
    collection_labels: tuple[str, ...]  # site, keyword, cities, jobs stored, runs, first, latest, written
    city_separator: str
    table_heading: str
    table_caption: str
    table_columns: tuple[str, ...]
    change_columns: tuple[str, str, str]
    guide_heading: str
    scope_term: str
    scope_latest: str  # which postings the figures cover: each city's latest complete crawl
    scope_all_time: str  # … with report --all-time: every stored job
    guide: tuple[tuple[str, str], ...]  # (term, explanation)
    chart_captions: dict[str, str]  # by PNG file name
    downloads_heading: str
    downloads_none: str
    runs_heading: str
    runs_columns: tuple[str, ...]
    runs_none: str
    outcomes: dict[str, str]  # a run's outcome (`RunStatus` values) as the page writes it
    source_sandbox: str
    source_site: str
    no_jobs: str
    no_salary: str
    no_trend: str
    pooled: str
    unobserved: str


_ZH_MIDPOINT = (
    "同一城市里职位名称和薪资文字都相同的职位只算一个；每个职位取月薪的中点"
    "（15k-25k 计 20,000；20k以上 计 20,000；年薪、日薪、时薪先折算成月薪）。"
    "面议或无法解析的薪资只计入“未解析”，不参与任何统计。"
)
_EN_MIDPOINT = (
    "A job with the same title and salary text in one city counts once, as its monthly midpoint "
    "(15k-25k is 20,000; 20k以上 is 20,000; yearly, daily and hourly pay converted to monthly). "
    "Negotiable (面议) or unreadable salaries are only counted under unparsed and left out of every statistic."
)

ZH = PageText(
    html_lang="zh-CN",
    title="{keyword} 职位各城市月薪",
    sandbox_all="注意：本页全部数据来自内置的离线仿真站点（--sandbox），是生成的示例数据，不是真实招聘信息。",
    sandbox_some=(
        "注意：{runs} 次运行中有 {sandbox} 次采集的是内置的离线仿真站点（--sandbox），"
        "这些示例数据与真实数据一起计入下表和图表。"
    ),
    collection_heading="数据如何采集",
    collection_labels=(
        "网站",
        "关键词",
        "城市",
        "数字涵盖的职位",
        "历史中的运行",
        "第一次运行",
        "最近一次运行",
        "本页生成于",
    ),
    city_separator="、",
    table_heading="月薪表",
    table_caption="月薪（人民币/月；每个职位取薪资区间中点；无法解析薪资的职位只计数）",
    table_columns=("城市", "职位数", "未解析", "平均", "中位数", "25% 分位", "75% 分位", "最低", "最高"),
    change_columns=("新增", "下架", "Δ 中位数"),
    guide_heading="怎样读这些数字",
    scope_term="统计范围",
    scope_latest=(
        "月薪表和前三张图描述每个城市最近一次完整采集（本关键词）所见的职位；"
        "report --all-time 则包括数据库中这些城市的全部已存职位。" + _ZH_MIDPOINT
    ),
    scope_all_time=(
        "月薪表和前三张图包括数据库中这些城市的全部已存职位，不论关键词和由哪次运行采集"
        "（report --all-time）。" + _ZH_MIDPOINT
    ),
    guide=(
        (
            "完整采集",
            "某城市的一次采集达到了职位上限或读完了网站的列表。被封、中断或超时的城市不算，"
            "直到后来的运行把它采集完整。走势图和月薪表的最后三列只看完整采集所见的职位。",
        ),
        ("新增", "该城市最近一次完整采集中第一次存入数据库的职位数（该城市的第一次采集计全部职位）。"),
        (
            "下架",
            "上一次完整采集看到、这一次没再看到的职位数，只算两次都读到的那段列表"
            "（网站按发布时间从新到旧排列，被新职位挤到本次没读到的页面之后的不算下架）。第一次采集为 —。",
        ),
        ("Δ 中位数", "最近一次完整采集的月薪中位数减去上一次的（人民币/月）；— 表示没有可比较的上一次。"),
    ),
    chart_captions={
        DISTRIBUTION_PNG: "月薪分布",
        BY_CITY_PNG: "各城市平均值与中位数",
        HISTOGRAMS_PNG: "月薪区间",
        TREND_PNG: "月薪中位数走势",
    },
    downloads_heading="下载",
    downloads_none=(
        "本文件夹里还没有导出文件。先运行 .venv/bin/python -m scraper export --format csv --bom "
        "--output {folder}/jobs.csv，再生成报告，这里就会出现链接。"
    ),
    runs_heading="历史中的运行",
    runs_columns=("运行", "开始（UTC）", "结束（UTC）", "结果", "城市", "数据来源"),
    runs_none="还没有带观测记录的完整采集。",
    outcomes={
        "ok": "完成",
        "partial": "部分完成",
        "interrupted": "中断",
        "timeout": "超时",
        "failed": "失败",
        "running": "进行中",
        "crashed": "崩溃",
    },
    source_sandbox="离线仿真站点（第 {day} 天）",
    source_site="{base_url}",
    no_jobs="数据库中{scope}没有职位，未绘制图表",
    no_salary="数据库中{scope}没有可解析薪资的职位，未绘制图表",
    no_trend="未绘制月薪走势：需要某个城市至少有 {need} 次带观测记录的完整采集，目前最多 {have} 次",
    pooled="{cities}的数字包括全部已存职位：那里没有哪次完整采集记录过它看到了哪些职位（本工具逐次记录之前的数据库）",
    unobserved="更早的 {count} 次完整采集没有观测记录（在本工具开始记录之前完成），历史从它们之后开始",
)

EN = PageText(
    html_lang="en",
    title="{keyword} salaries by city",
    sandbox_all=(
        "Note: all data on this page comes from the bundled offline replica of the site (--sandbox): "
        "generated sample data, not real job postings."
    ),
    sandbox_some=(
        "Note: {sandbox} of {runs} runs scraped the bundled offline replica (--sandbox); that sample "
        "data is counted in the table and charts together with the real data."
    ),
    collection_heading="How the data was collected",
    collection_labels=(
        "Site",
        "Keyword",
        "Cities",
        "Jobs in the figures",
        "Runs in the history",
        "First run",
        "Latest run",
        "Page written",
    ),
    city_separator=", ",
    table_heading="Salary table",
    table_caption="Monthly salary in CNY (midpoint per job; jobs without a parsed salary are only counted)",
    table_columns=("city", "count", "unparsed", "mean", "median", "p25", "p75", "min", "max"),
    change_columns=("new", "gone", "Δ median"),
    guide_heading="How to read the figures",
    scope_term="What is counted",
    scope_latest=(
        "The table and the first three charts describe the jobs each city's latest complete crawl "
        "(of this keyword) saw; report --all-time takes every stored job of these cities instead. " + _EN_MIDPOINT
    ),
    scope_all_time=(
        "The table and the first three charts cover every job stored for these cities, whatever the "
        "keyword or the run that collected it (report --all-time). " + _EN_MIDPOINT
    ),
    guide=(
        (
            "Complete crawl",
            "A city's crawl that reached its limit or the end of the site's listing. A parked, "
            "interrupted or timed-out city does not count until a later run completes it. The trend "
            "and the table's last three columns look only at the jobs complete crawls saw.",
        ),
        ("new", "Jobs first stored during the city's newest complete crawl (a city's first crawl counts all)."),
        (
            "gone",
            "Jobs the previous complete crawl saw that the newest did not, counted only over the part "
            "of the listing both read (the site lists the newest first, so postings pushed past what "
            "this crawl read are not counted as gone). — for a city's first crawl.",
        ),
        (
            "Δ median",
            "The newest complete crawl's median monthly salary minus the previous one's, in CNY; — when "
            "there is nothing to compare with.",
        ),
    ),
    chart_captions={
        DISTRIBUTION_PNG: "Salary distribution",
        BY_CITY_PNG: "Mean and median by city",
        HISTOGRAMS_PNG: "Salary bands",
        TREND_PNG: "Median salary over time",
    },
    downloads_heading="Downloads",
    downloads_none=(
        "No export in this folder yet. Run .venv/bin/python -m scraper export --format csv --bom "
        "--output {folder}/jobs.csv, then the report, and a link appears here."
    ),
    runs_heading="Runs behind the history",
    runs_columns=("run", "started (UTC)", "ended (UTC)", "outcome", "cities", "source"),
    runs_none="No complete crawl with observations yet.",
    outcomes={},  # the CLI's own words (ok, partial, …)
    source_sandbox="offline replica (day {day})",
    source_site="{base_url}",
    no_jobs="no jobs stored{scope}; no charts drawn",
    no_salary="no stored job{scope} has a parsed salary; no charts drawn",
    no_trend=(
        "salary trend not drawn: it needs at least {need} complete runs with observations of one "
        "city, and the history has {have}"
    ),
    pooled=(
        "figures for {cities} pool every stored job: no complete run recorded which postings it saw there "
        "(a database from before per-run records)"
    ),
    unobserved=(
        "{count} earlier complete run(s) have no observations (they finished before the tool "
        "recorded them), so the history starts after them"
    ),
)

PAGE_TEXT: dict[Lang, PageText] = {"zh": ZH, "en": EN}
