"""The 51job replica (scraper.sandbox.job51) as a client sees it: plain HTTP for its routes, faults
and data, and real headless Chromium for the delayed render, the signed data call and paging."""

from __future__ import annotations

import re
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from scraper.sandbox.job51 import data
from scraper.sandbox.job51.__main__ import main as job51_main
from scraper.sandbox.job51.faults import Job51Fault, Job51FaultInjector, Job51FaultPlan
from scraper.sandbox.job51.server import Job51Replica

SEARCH = "/pc/search?jobArea=020000&keyword=Python&searchType=2"


@pytest.fixture
def replica() -> Iterator[Job51Replica]:
    with Job51Replica() as server:
        yield server


def _get(url: str, headers: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (the replica on 127.0.0.1)
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return str(answer.read().decode("utf-8"))


def test_the_shell_has_placeholders_and_no_data_and_ignores_the_page_number(replica: Job51Replica) -> None:
    first = _get(replica.base_url + SEARCH)
    tenth = _get(replica.base_url + SEARCH + "&pageNum=10")

    for page in (first, tenth):
        assert page.count('class="job-item"') == 6
        assert "joblist-item" not in page.split("<script>")[0]
        assert "173800001" not in page  # no item of the list is in the HTML: the script fetches them
        assert "【Python,上海招聘，求职】-前程无忧" in page
    assert [(r.kind, r.page) for r in replica.requests] == [("search", 1), ("search", 1)]


def test_a_data_call_without_the_page_sign_gets_the_slider(replica: Job51Replica) -> None:
    answer = _get(replica.base_url + "/api/job/search-pc?jobArea=020000&keyword=Python&pageNum=1",
                  {"From-Domain": "51job_web", "sign": "0" * 64})  # fmt: skip

    assert "滑动验证页面" in answer
    assert [(r.kind, r.is_signed) for r in replica.requests] == [("data", False)]


def test_a_data_call_with_the_page_sign_gets_twenty_items_with_recruiter_fields(replica: Job51Replica) -> None:
    shell = _get(replica.base_url + SEARCH)
    sign = re.search(r'"sign": "([0-9a-f]{64})"', shell)
    assert sign is not None

    answer = _get(replica.base_url + "/api/job/search-pc?jobArea=020000&keyword=Python&pageNum=22",
                  {"From-Domain": "51job_web", "sign": sign.group(1)})  # fmt: skip

    assert '"totalCount": 437' in answer
    assert answer.count('"jobId"') == 17  # 437 = 21 pages of 20 and 17 on page 22
    assert '"hrName"' in answer
    assert "13800000000" in answer


def test_detail_pages_answer_the_slider_and_are_logged(replica: Job51Replica) -> None:
    assert "滑动验证页面" in _get(replica.base_url + "/all/173800001.html")
    assert [r.kind for r in replica.requests] == ["detail"]


def test_the_list_is_capped_at_fifty_pages_and_some_searches_find_nothing() -> None:
    assert data.last_page(len(data.items_for("北京", "Python"))) == 50
    assert data.last_page(len(data.items_for("广州", "Python"))) == 3
    assert len(data.items_for("广州", "Python")) - 2 * data.PAGE_SIZE == 7
    assert data.items_for("杭州", "Python") == []
    assert data.items_for("上海", "xyzzy") == []
    assert len(data.first_unique("北京", "Python", 2000)) < 1000  # repeats within the cap


def test_fault_plans_parse_and_fire_on_their_requests_only() -> None:
    plan = Job51FaultPlan.parse("verify_card:every=2,cities=上海/北京,times=2")
    injector = Job51FaultInjector((plan, Job51FaultPlan.parse("slider_page:cities=广州")))

    data_calls = [injector.decide(city="上海", is_page_load=False) for _ in range(6)]
    loads = [injector.decide(city=city, is_page_load=True) for city in ("上海", "广州")]

    assert plan == Job51FaultPlan(Job51Fault.VERIFY_CARD, 2, frozenset({"上海", "北京"}), 2)
    assert data_calls == [None, Job51Fault.VERIFY_CARD, None, Job51Fault.VERIFY_CARD, None, None]
    assert loads == [None, Job51Fault.SLIDER_PAGE]
    with pytest.raises(ValueError, match="unknown 51job fault kind 'nope'"):
        Job51FaultPlan.parse("nope")
    with pytest.raises(ValueError, match="is not one of"):
        Job51FaultPlan.parse("xhr_fail:seconds=3")


def test_the_replica_runs_alone_and_refuses_a_bad_fault(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=job51_main, args=(["--fault", "xhr_fail:every=2"],), kwargs={"stop": stop})
    thread.start()
    printed = ""
    try:
        deadline = time.monotonic() + 10
        while not printed and time.monotonic() < deadline:
            printed += capsys.readouterr().out
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", printed)
    assert Job51FaultPlan.parse("xhr_fail:every=2") == Job51FaultPlan(Job51Fault.XHR_FAIL, 2)
    with pytest.raises(SystemExit) as failure:
        job51_main(["--fault", "nope"])
    assert failure.value.code == 2
    assert "unknown 51job fault kind 'nope'" in capsys.readouterr().err
