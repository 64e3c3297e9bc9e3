"""The README's commands run as written from a fresh clone, and its links and the docs' links resolve.

Every line of a ```sh block in README.md is a command. Each `.venv/bin/python -m scraper …` must parse
with the real argument parser (known subcommands, flags and choices); `.env` lines must name known
settings with valid database URLs; the install script must exist and parse; the test command must be
the one `.ci/run` runs. The cheap commands (`--help`, `report`, `export`, `status`) then run literally
through `sh` in a fresh folder, after a sandbox scrape cut down to one city and a few postings, with
`.venv` pointing at this interpreter's venv. A new kind of command in the README fails the test
until it is covered here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.cli.main import COMMANDS, build_parser
from scraper.common.dburl import check_database_url
from scraper.settings import ENV_VARS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SCRAPER = ".venv/bin/python -m scraper"
ASSIGNMENT = re.compile(r"^([A-Z_][A-Z0-9_]*)=(\S*)")
# The subcommands cheap enough to run for real against a small database (no browser, no network).
CHEAP = {"report", "export", "status", "--help"}


def fenced_commands(text: str) -> list[str]:
    """Every command line of the ```sh blocks: comments cut, backslash continuations joined."""
    commands: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        joined = block.replace("\\\n", " ")
        for raw in joined.splitlines():
            line = re.sub(r"\s+#.*$", "", raw).strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def simple_commands(line: str) -> list[str]:
    """The simple commands of a shell line: split at `&&`, `;` and `|`, a `for` loop's body kept."""
    loop = re.fullmatch(r"for (\w+) in ([^;]+); do (.+); done", line)
    if loop:
        name, values, body = loop.groups()
        return [body.replace(f"${name}", value) for value in values.split()]
    return [part.strip() for part in re.split(r"&&|;|\|", line) if part.strip()]


def scraper_argv(command: str) -> list[str] | None:
    """The scraper arguments of `[VAR=value …] .venv/bin/python -m scraper ARGS`, else None."""
    while ASSIGNMENT.match(command):
        command = command.split(None, 1)[1] if " " in command else ""
    if not command.startswith(SCRAPER + " ") and command != SCRAPER:
        return None
    return shlex.split(command[len(SCRAPER) :])


def readme_commands() -> list[str]:
    return [simple for line in fenced_commands(README.read_text(encoding="utf-8")) for simple in simple_commands(line)]


def test_every_readme_command_is_known_and_parses() -> None:
    parser = build_parser()
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = readme_commands()
    assert len(commands) >= 8, commands
    for command in commands:
        assert not re.match(r"^(python3?|pip) ", command), f"needs an activated venv: {command}"
        argv = scraper_argv(command)
        if argv is not None:
            for name in re.findall(r"(?:^|\s)([A-Z_][A-Z0-9_]*)=", command.split(SCRAPER)[0]):
                assert name in ENV_VARS, (name, command)
            argv = [word for word in argv if word not in ("-h", "--help")]  # help would print and exit
            if not argv or argv[0] not in COMMANDS:
                argv = ["scrape", *argv]  # what main() does: scrape is the default command
            parser.parse_args(argv)
            continue
        if command == "bash scripts/install.sh":
            subprocess.run(["bash", "-n", str(ROOT / "scripts" / "install.sh")], check=True)
        elif command.startswith(".venv/bin/python -m pytest"):
            assert command in ci_script.splitlines(), f"{command!r} is not what .ci/run runs"
        elif (match := ASSIGNMENT.match(command)) and match.end() == len(command):
            name, value = match.groups()
            assert name in ENV_VARS, command
            if name == "DATABASE_URL":
                check_database_url(value)
        else:
            pytest.fail(f"README command not covered by this test: {command}")


def test_every_scraper_command_in_the_readme_and_docs_parses() -> None:
    """Any fenced block of README.md or docs/ (crontab lines, `sh -c '…'` included): the scraper's
    arguments parse, and the interpreter is the checkout's venv, not a bare `python`."""
    parser = build_parser()
    found = 0
    for page in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"^```[a-z]*\n(.*?)^```", page.read_text(encoding="utf-8"), flags=re.M | re.S):
            for line in block.replace("\\\n", " ").splitlines():
                for call in re.finditer(r"(\S*python3?) -m scraper(?=\s|$)(.*)", line):
                    assert call.group(1) == ".venv/bin/python", f"{page.name}: {line}"
                    argv = _shell_words(call.group(2).replace("$day", "0"))
                    if not argv or argv[0] not in COMMANDS:
                        argv = ["scrape", *argv]
                    parser.parse_args([word for word in argv if word not in ("-h", "--help")])
                    found += 1
    assert found >= 15


def _shell_words(text: str) -> list[str]:
    """The words up to the first shell operator (`&&`, `;`, `|`, a redirection); a command inside
    `sh -c '…'` ends at its closing quote."""
    command = re.split(r"&&|;|\||\s\d*>", text)[0].rstrip()
    if command.count("'") % 2:
        command = command.removesuffix("'")
    return shlex.split(command)


def test_the_readme_and_docs_links_resolve() -> None:
    pages = [README, *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+://", target):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), f"{page.name}: {target}"
            if anchor and linked.suffix == ".md":
                assert anchor in heading_anchors(linked), f"{page.name}: {target}"


def heading_anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return anchors


@pytest.mark.browser
def test_the_cheap_readme_commands_run_as_written(tmp_path: Path) -> None:
    if sys.prefix == sys.base_prefix:
        pytest.skip("the README's commands use .venv/bin/python; this interpreter is not in a venv")
    (tmp_path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    # The main job, cut down: one city, a few postings, the charts included (what report needs).
    main_job = f"{SCRAPER} --sandbox --cities 北京 --limit 15 --delay 0"
    assert any(c.startswith(f"{SCRAPER} --sandbox --cities all --limit 100") for c in readme_commands())
    runnable = [main_job] + [c for c in readme_commands() if (argv := scraper_argv(c)) and argv[0] in CHEAP]
    assert any(" report" in c for c in runnable), runnable
    assert any(" export" in c for c in runnable), runnable
    for command in runnable:
        done = subprocess.run(
            ["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        assert "Traceback" not in done.stderr, (command, done.stderr[-2000:])
    assert (tmp_path / "jobs.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    assert (tmp_path / "reports" / "index.html").exists()
