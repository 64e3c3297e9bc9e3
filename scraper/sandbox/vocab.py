"""Word lists the replica's job generator draws from (`scraper.sandbox.data`).

Values follow the real vocabularies of lagou-pages.md §6.3 (work years, education, finance
stages, company sizes); company names, addresses and coordinates are invented. Kept apart from
the generator so the generator reads as logic, not as tables.
"""

from __future__ import annotations

# Districts and business zones per city. An empty zone list exercises the OLD template's
# "city·district" fallback (§5.2).
DISTRICTS: dict[str, dict[str, tuple[str, ...]]] = {
    "北京": {
        "海淀区": ("中关村", "西二旗", "五道口"),
        "朝阳区": ("望京", "国贸", "酒仙桥"),
        "东城区": ("东直门",),
        "西城区": ("金融街", "西单"),
        "昌平区": ("回龙观",),
        "丰台区": (),
    },
    "上海": {
        "浦东新区": ("张江", "陆家嘴", "金桥"),
        "徐汇区": ("漕河泾", "徐家汇"),
        "闵行区": ("莘庄",),
        "杨浦区": ("五角场",),
        "静安区": (),
    },
    "广州": {
        "天河区": ("珠江新城", "天河北", "科韵路"),
        "海珠区": ("琶洲", "客村"),
        "番禺区": ("大学城",),
        "黄埔区": (),
    },
    "深圳": {
        "南山区": ("科技园", "后海", "西丽"),
        "福田区": ("车公庙", "华强北"),
        "宝安区": ("西乡",),
        "龙岗区": ("坂田",),
        "龙华区": (),
    },
    "杭州": {
        "西湖区": ("西溪", "文三路"),
        "滨江区": ("长河", "西兴"),
        "余杭区": ("未来科技城", "仓前"),
        "上城区": (),
    },
    "成都": {
        "高新区": ("天府软件园", "新会展"),
        "武侯区": ("红牌楼",),
        "锦江区": ("春熙路",),
        "天府新区": (),
    },
}

# (longitude, latitude) of each city centre; postings scatter around it.
CITY_CENTRES: dict[str, tuple[float, float]] = {
    "北京": (116.40, 39.90),
    "上海": (121.47, 31.23),
    "广州": (113.26, 23.13),
    "深圳": (114.06, 22.54),
    "杭州": (120.16, 30.27),
    "成都": (104.07, 30.57),
}

# How a city's pay compares with 北京 (1.0), so the per-city charts differ.
CITY_PAY_FACTORS: dict[str, float] = {
    "北京": 1.0,
    "上海": 1.0,
    "深圳": 0.95,
    "杭州": 0.9,
    "广州": 0.8,
    "成都": 0.7,
}

COMPANY_PREFIXES = ("星河", "云帆", "青橙", "远山", "蓝鲸", "极光", "微澜", "启明", "松果", "白杨", "知行", "清流")
COMPANY_DOMAINS = ("数据", "智能", "网络", "信息", "软件", "互娱", "金服", "医疗", "教育", "出行")
INDUSTRIES = (
    "企业服务,数据服务",
    "移动互联网,电商",
    "金融,人工智能",
    "内容资讯,游戏,音频｜视频媒体",
    "医疗丨健康",
    "教育",
    "软件开发",
    "物联网,硬件",
)
FINANCE_STAGES = ("未融资", "天使轮", "A轮", "B轮", "C轮", "D轮及以上", "上市公司", "不需要融资")
COMPANY_SIZES = ("少于15人", "15-50人", "50-150人", "150-500人", "500-2000人", "2000人以上")
COMPANY_LABELS = ("年底双薪", "带薪年假", "定期体检", "弹性工作", "节日礼物", "绩效奖金", "岗位晋升", "午餐补助")
WORK_YEARS = ("不限", "应届毕业生", "1年以下", "1-3年", "3-5年", "3-5年", "5-10年", "10年以上")
EDUCATIONS = ("不限", "大专", "本科", "本科", "本科", "硕士", "博士")
JOB_NATURES = ("全职", "全职", "全职", "全职", "实习", "兼职")
ADVANTAGES = (
    "弹性工作,技术氛围好,六险一金",
    "年轻团队；发展前景；技术大牛带教",
    "双休,年终奖,扁平管理",
    "股票期权,免费三餐,带薪年假",
    "大牛带队,项目奖金,下午茶",
)
SKILLS_BY_KEYWORD: dict[str, tuple[str, ...]] = {
    "python": ("Python", "Django", "Flask", "MySQL", "Redis", "爬虫", "数据分析", "Linux"),
    "": ("后端", "MySQL", "Linux", "分布式", "Redis", "Kafka"),
}

# Title shapes. "{kw}" is the search keyword; kd=Python has its own realistic list.
PYTHON_TITLES = (
    "Python开发工程师",
    "高级Python工程师",
    "Python数据分析师",
    "Python后端开发",
    "资深Python开发工程师",
    "Python爬虫工程师",
    "Python测试开发工程师",
    "Python自动化运维工程师",
    "Python算法工程师",
    "Python全栈工程师",
    "AI应用开发工程师(Python)",
    "Python实习生",
)
GENERIC_TITLES = (
    "{kw}开发工程师",
    "高级{kw}工程师",
    "{kw}工程师",
    "资深{kw}开发",
    "{kw}技术专家",
    "{kw}实习生",
    "{kw}架构师",
    "{kw}研发工程师",
    "{kw}负责人",
)
# kd= empty means "all jobs": titles are drawn from these keywords.
ALL_JOB_KEYWORDS = ("Python", "Java", "Go", "前端", "测试", "产品经理", "数据分析")
TITLE_SUFFIXES = ("", "", "", "", "（急招）", "（远程）", "-数据平台", "-金融方向", "（双休）")

SECOND_TYPES = ("后端开发", "数据开发", "测试", "运维", "人工智能")

# Phrases a 300+ character title is built from.
LONG_TITLE_DUTIES = (
    "负责数据平台后端服务的设计与开发",
    "参与高并发分布式系统的架构优化",
    "维护爬虫与数据清洗流水线",
    "与产品和算法团队协作交付需求",
    "编写单元测试并推动代码评审",
    "支持线上故障排查与性能调优",
)

# Key order of a job object: the §6.2 example's order (ids, company, types, labels, time, place,
# pay, requirements, text, then the † recruiter fields last).
JOB_KEYS = (
    "positionId", "positionName", "companyId", "companyFullName", "companyShortName", "companyLogo",
    "companySize", "industryField", "financeStage", "companyLabelList", "firstType", "secondType",
    "thirdType", "skillLables", "positionLables", "industryLables", "createTime", "formatCreateTime",
    "city", "district", "businessZones", "positionAddress", "longitude", "latitude", "salary",
    "salaryMonth", "workYear", "education", "jobNature", "positionAdvantage", "positionDetail",
    "encryptId", "publisherId", "imState", "lastLogin",
)  # fmt: skip
