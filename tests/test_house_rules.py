"""House rules the linters do not check: no product file over 300 lines, every product module
opens with a docstring on its role, and no test names a machine path (the shared reference
folder is reached only through conftest's `reference_pages`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_PACKAGES = ("scraper", "db", "charts", "migrations", "bench")
MAX_LINES = 300


def product_modules() -> list[Path]:
    return sorted(path for package in PRODUCT_PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_the_product_has_modules_to_check() -> None:
    assert len(product_modules()) > 50


@pytest.mark.parametrize("path", product_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_product_module_is_at_most_300_lines_and_says_its_role(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = len(source.splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by concern"
    if source.strip():  # an empty package marker needs no docstring
        assert ast.get_docstring(ast.parse(source)), "the module opens with no docstring on its role"


def test_no_test_names_a_machine_path() -> None:
    machine_path = re.compile(r"""["'](/work/|/home/|/root/)""")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if machine_path.search(line)
    ]
    assert offenders == []
