"""Error snapshots: safe names, screenshots beside the HTML, never overwritten, bounded to `keep`."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from scraper.crawl.snapshots import SnapshotStore, safe_name

STAMP = r"\d{8}T\d{6}\.\d{6}Z"
PNG_BYTES = b"\x89PNG\r\n\x1a\nfake"


def test_snapshot_name_uses_utc_time_pinyin_page_and_reason(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    path = store.save("北京", 3, "block:captcha", "<html>验证</html>", PNG_BYTES)
    assert path.parent == tmp_path / "snapshots"
    assert re.fullmatch(rf"{STAMP}_beijing_p3_block-captcha\.html", path.name)
    assert path.read_text(encoding="utf-8") == "<html>验证</html>"
    assert path.with_suffix(".png").read_bytes() == PNG_BYTES
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.with_suffix(".png").name]


def test_snapshot_without_screenshot_writes_only_html(tmp_path: Path) -> None:
    path = SnapshotStore(tmp_path).save("上海", 1, "no_job_data", "<html></html>", None)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize(
    ("city", "reason", "expected"),
    [
        ("../../etc/passwd", "a/b\\c", r"etc-passwd_p2_a-b-c"),
        ("齐齐哈尔", "验证码", r"city-[0-9a-f]{8}_p2_reason-[0-9a-f]{8}"),
        ("Xi'an ", "LayoutChanged: no <script id=__NEXT_DATA__>", r"xi-an_p2_layoutchanged-no-script-id-next-data"),
        ("深圳", "x" * 100, "shenzhen_p2_" + "x" * 40),
    ],
)
def test_snapshot_names_are_safe_for_any_city_and_reason(tmp_path: Path, city: str, reason: str, expected: str) -> None:
    path = SnapshotStore(tmp_path).save(city, 2, reason, "<html></html>", None)
    assert path.parent == tmp_path
    assert re.fullmatch(rf"{STAMP}_{expected}\.html", path.name)


def test_safe_name_keeps_unreadable_names_distinct() -> None:
    assert safe_name("Block:Captcha", fallback="reason") == "block-captcha"
    assert safe_name("齐齐哈尔", fallback="city") != safe_name("哈尔滨", fallback="city")
    assert safe_name("", fallback="city") == safe_name("", fallback="city")


def test_store_keeps_only_the_newest_snapshots_pairs_counting_as_one(tmp_path: Path) -> None:
    keep = 4
    store = SnapshotStore(tmp_path, keep=keep)
    saved = [
        store.save("广州", page, "block-captcha", f"<p>{page}</p>", PNG_BYTES if page % 2 else None)
        for page in range(1, 3 * keep + 1)
    ]
    newest = saved[-keep:]
    # Pages 9 to 12 remain; the odd pages (9 and 11) had screenshots.
    expected = sorted(
        [p.name for p in newest] + [newest[0].with_suffix(".png").name, newest[2].with_suffix(".png").name]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    assert [p.read_text(encoding="utf-8") for p in newest] == ["<p>9</p>", "<p>10</p>", "<p>11</p>", "<p>12</p>"]


def test_saves_in_the_same_instant_never_overwrite_each_other(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path, keep=100)
    paths = [store.save("北京", 1, "same", f"<p>{n}</p>", None) for n in range(20)]
    assert len(set(paths)) == 20
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"<p>{n}</p>" for n in range(20)]
    assert sorted(paths) == paths  # names sort in save order


def test_concurrent_saves_keep_the_bound_and_lose_nothing_newer(tmp_path: Path) -> None:
    keep = 5
    store = SnapshotStore(tmp_path, keep=keep)
    results: list[Path] = []
    results_lock = threading.Lock()

    def save_many(city: str) -> None:
        for page in range(1, 11):
            path = store.save(city, page, "block", "<html></html>", PNG_BYTES)
            with results_lock:
                results.append(path)

    threads = [threading.Thread(target=save_many, args=(city,)) for city in ("北京", "上海", "广州", "深圳")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    newest = sorted(results)[-keep:]
    assert len(results) == 40
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in newest] + [p.with_suffix(".png").name for p in newest]
    )


def test_pruning_never_touches_files_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "README.txt").write_text("notes", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html></html>", encoding="utf-8")
    store = SnapshotStore(tmp_path, keep=1)
    store.save("北京", 1, "a", "<html></html>", None)
    last = store.save("北京", 2, "b", "<html></html>", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["README.txt", "page.html", last.name])


def test_keep_below_one_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keep must be at least 1, got 0"):
        SnapshotStore(tmp_path, keep=0)
