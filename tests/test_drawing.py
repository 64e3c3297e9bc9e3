"""Charts drawn in a second process (`charts.drawing`): the same files as drawn in-process, a child
that fails is replaced by the parent drawing, and no fork while another thread runs. Real SQLite."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from charts.drawing import can_fork, start_drawing
from charts.report import HistoryQuery, build_report
from db.engine import make_engine, upgrade_schema
from db.writes import upsert_postings
from scraper.model.postings import Posting
from scraper.model.salary import parse_salary

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork start method, one core, or threads running")


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    upgrade_schema(engine)
    postings = [
        Posting(city=city, title=f"职位{i}", salary=parse_salary(f"{10 + i}k-{20 + i}k"), work_year="3-5年",
                education="本科", skills=("Python", "数据分析"))
        for i in range(6)
        for city in ("北京", "上海")
    ]  # fmt: skip
    with engine.begin() as conn:
        upsert_postings(conn, postings, seen_at=dt.datetime(2026, 12, 1), site="lagou",
                        keyword="Python")  # fmt: skip
    yield engine
    engine.dispose()


@needs_fork
def test_a_report_drawn_beside_the_history_writes_the_same_files(engine: Engine, tmp_path: Path) -> None:
    query = HistoryQuery("Python")
    apart = build_report(engine, tmp_path / "apart", None, query=query, parallel=True)
    here = build_report(engine, tmp_path / "here", None, query=query, parallel=False)

    assert [p.name for p in apart.paths] == [p.name for p in here.paths]
    pngs = [p.name for p in here.paths if p.suffix == ".png"]
    assert "salary_by_skill.png" in pngs
    for name in pngs:
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name


@needs_fork
def test_a_child_that_fails_is_replaced_by_drawing_here(tmp_path: Path) -> None:
    target = tmp_path / "chart.txt"
    parent = os.getpid()

    def draw() -> None:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")  # its traceback goes to stderr; the parent draws
        target.write_text("drawn here", encoding="utf-8")

    drawing = start_drawing(draw, parallel=True)
    assert drawing.process is not None  # it did fork
    drawing.finish()

    assert target.read_text(encoding="utf-8") == "drawn here"


def test_no_fork_while_another_thread_runs(tmp_path: Path) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        drawing = start_drawing(lambda: (tmp_path / "x").write_text("x", encoding="utf-8"), parallel=True)
    finally:
        stop.set()
        thread.join()

    assert drawing.process is None
    assert (tmp_path / "x").read_text(encoding="utf-8") == "x"  # drawn at once, here
