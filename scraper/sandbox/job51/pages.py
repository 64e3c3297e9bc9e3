"""The 51job replica's HTML: the search page shell, the slider page and the small pages links lead to.

The shell (51job-pages.md §12.2) carries six server-rendered `.job-item` placeholders with
real-looking text and ids of their own (a parser that reads them is caught), a filter bar with a
decoy `.area`, an empty pager slot, a script whose text holds the substring "waf" (a bare-substring
block check is caught), and the render script (`script.js`) with its configuration: keyword, city
code, render delay, the per-load `sign` it sends with its data call, and where `.sal` sits.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib import resources

PLACEHOLDER_TITLES = ("Java开发工程师", "前端开发", "产品经理", "测试工程师", "UI设计师", "销售代表")


@lru_cache(maxsize=1)
def render_script() -> str:
    """The page's render script (read once from the package)."""
    return resources.files(__package__).joinpath("script.js").read_text(encoding="utf-8")


def search_shell(*, keyword: str, city: str, job_area: str, sign: str, delay_ms: int, is_sal_top: bool) -> str:
    """The search page as the server sends it: placeholders, no data (the script fetches it)."""
    config = {
        "keyword": keyword,
        "jobArea": job_area,
        "sign": sign,
        "delayMs": delay_ms,
        "salTop": is_sal_top,
        "requestId": sign[:32],
    }
    placeholders = "".join(
        f'<div class="job-item"><a href="/all/99{index:07d}.html"><span class="job-name">{title}</span></a>'
        f'<span class="salary">1-2万</span><span class="company">占位公司{index}</span>'
        f'<span class="location">{html.escape(city)}</span></div>'
        for index, title in enumerate(PLACEHOLDER_TITLES)
    )
    title = f"【{html.escape(keyword)},{html.escape(city)}招聘，求职】-前程无忧"
    # `</` cannot end the JSON script early: json.dumps escapes no slashes, so escape them here.
    config_json = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<script>/* replica stand-in for the WAF's interfaceacting.js (adds decode__1048 to requests) */</script>
</head><body>
<div id="app"><div><div class="post"><div><div><div class="j_result"><div>
<div class="filters"><div class="area">地点</div><div class="area">{html.escape(city)}</div></div>
<div><div>
<div class="sortbar"><span class="ss on">综合排序</span><span class="ss">最新优先</span></div>
<div><div class="joblist j_joblist">{placeholders}</div></div>
<div class="bottom-page"><div></div></div>
</div></div>
</div></div></div></div></div></div></div>
<script type="application/json" id="replica-config">{config_json}</script>
<script>{render_script()}</script>
</body></html>"""


def slider_page() -> str:
    """The Aliyun slider page served in place of the search page (never to be touched)."""
    return """<!DOCTYPE html><html><head><meta charset="utf-8"><title>滑动验证页面</title></head><body>
<div id="waf_nc_block"><p class="waf-nc-title">访问验证</p><p>为保证您的正常访问,请进行如下验证</p>
<div id="nc_1_wrapper"><div class="nc_bg"><span id="nc_1_n1z" class="nc_iconfont btn_slide">&gt;&gt;</span></div></div>
<p>请按住滑块，拖动到最右边</p></div></body></html>"""


WAF_HTML = "<!doctype html><html><head><title></title></head><body><!-- aliyun_waf_aa renderData --></body></html>"


SMALL_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


def login_page() -> str:
    """A small login page (51job's real login markup is unconfirmed)."""
    return SMALL_PAGE.format(title="登录", body="<form>登录</form>")


def company_page(company_id: str) -> str:
    """A small company page, only so company links resolve."""
    return SMALL_PAGE.format(title=f"公司 {html.escape(company_id)}", body="")
