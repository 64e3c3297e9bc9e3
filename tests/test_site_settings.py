"""Choosing sites: `--site` / SCRAPER_SITES, per-site roots from `--base-url`, each site's limit cap,
cities a site cannot search, and the per-site run lock and run record (two cron jobs, one per site)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import run_cli
from sqlalchemy import Engine, select

from db.writes import RUNS
from scraper.common.errors import ConfigError
from scraper.crawl.lock import RunLock
from scraper.crawl.run_record import start_run_record
from scraper.crawl.site_runs import RunOutcome, combine_outcomes, lock_keyword
from scraper.model.statuses import RunStatus
from scraper.settings import Settings, build_settings

NOW = dt.datetime(2026, 12, 7, 5, 0)
LAGOU, JOB51 = "https://www.lagou.com", "https://we.51job.com"


def settings(tmp_path: Path, environ: dict[str, str] | None = None, **cli: object) -> Settings:
    return build_settings(cli, environ=environ or {}, dotenv_path=tmp_path / "none")


def test_the_default_is_lagou_alone_at_its_own_root(tmp_path: Path) -> None:
    s = settings(tmp_path)

    assert (s.sites, s.base_urls, s.base_url) == (("lagou",), (("lagou", LAGOU),), LAGOU)


@pytest.mark.parametrize(
    ("given", "sites"),
    [("51job", ("51job",)), ("lagou,51job", ("lagou", "51job")), ("51job, LAGOU,51job", ("51job", "lagou")),
     ("all", ("lagou", "51job"))],
)  # fmt: skip
def test_site_names_a_site_a_list_or_all(tmp_path: Path, given: str, sites: tuple[str, ...]) -> None:
    assert settings(tmp_path, sites=given).sites == sites
    assert settings(tmp_path, {"SCRAPER_SITES": given}).sites == sites


def test_roots_are_each_site_s_own_unless_given(tmp_path: Path) -> None:
    assert settings(tmp_path, sites="all").base_urls == (("lagou", LAGOU), ("51job", JOB51))
    one = settings(tmp_path, sites="51job", base_url="http://127.0.0.1:8051/")
    assert one.base_urls == (("51job", "http://127.0.0.1:8051"),)
    both = settings(tmp_path, sites="all", base_url="51job=http://127.0.0.1:2,lagou=http://127.0.0.1:1")
    assert (both.root_for("lagou"), both.root_for("51job")) == ("http://127.0.0.1:1", "http://127.0.0.1:2")
    half = settings(tmp_path, sites="all", base_url="51job=http://127.0.0.1:2")
    assert half.base_urls == (("lagou", LAGOU), ("51job", "http://127.0.0.1:2"))
    # An .env from before sites holds Lagou's own root: with several sites it is Lagou's.
    old_env = settings(tmp_path, {"SCRAPER_BASE_URL": LAGOU}, sites="all")
    assert old_env.base_urls == (("lagou", LAGOU), ("51job", JOB51))


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        ({"sites": "boss"}, "unknown site 'boss' in --site; valid sites: all, lagou, 51job"),
        ({"sites": " , "}, "--site is empty; give all or a comma list such as lagou,51job"),
        ({"sites": "all", "base_url": "http://127.0.0.1:1"},
         "--base-url URL sets the root of one site; with several sites give --base-url SITE=URL for each"),
        ({"sites": "lagou", "base_url": "51job=http://127.0.0.1:1"},
         "--base-url gives a root for 51job, which is not among the sites scraped (lagou)"),
        ({"sites": "all", "base_url": "boss=http://127.0.0.1:1"}, "--base-url names unknown site 'boss'"),
        ({"sites": "51job", "base_url": "51job=ftp://x"}, "base URL must be an http(s) site root"),
        ({"sites": "51job", "base_url": LAGOU},
         "--base-url gives a root for lagou, which is not among the sites scraped (51job)"),
        ({"sites": "51job", "cities": "南京"}, "51job cannot search 南京 (it has no city code for it)"),
        ({"limit": "451"}, "--limit must be between 1 and 450 (Lagou shows 30 pages of 15), got 451"),
        ({"sites": "51job", "limit": "1001"},
         "--limit must be between 1 and 1000 (51job shows 50 pages of 20), got 1001"),
    ],
)  # fmt: skip
def test_bad_site_settings_fail_with_one_line(tmp_path: Path, cli: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as failure:
        build_settings(cli, environ={}, dotenv_path=tmp_path / "none")
    assert str(failure.value).startswith(message)


def test_a_limit_up_to_the_widest_cap_of_the_chosen_sites(tmp_path: Path) -> None:
    assert settings(tmp_path, sites="all", limit="1000").limit == 1000
    assert settings(tmp_path, sites="51job", limit="800").limit == 800


def test_the_cli_takes_site_and_repeated_base_url_and_reports_bad_ones_with_exit_2() -> None:
    code, _out, err = run_cli("--site", "all", "--base-url", "http://127.0.0.1:1", "--db", "sqlite:///x.db")

    assert code == 2
    assert err.strip() == (
        "error: --base-url URL sets the root of one site; with several sites give --base-url SITE=URL for each"
    )


def test_two_sites_take_two_locks_so_two_cron_jobs_run_side_by_side(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    assert lock_keyword("lagou", "Python") == "Python"  # Lagou's lock file is the one it always was
    lagou = RunLock.for_run(url, lock_keyword("lagou", "Python"), folder=tmp_path)
    job51 = RunLock.for_run(url, lock_keyword("51job", "Python"), folder=tmp_path)

    with lagou, job51:
        assert lagou.is_held
        assert job51.is_held
    assert lagou.path != job51.path


def test_a_site_s_run_marks_only_its_own_dead_runs_crashed(migrated_engine: Engine, tmp_path: Path) -> None:
    s = settings(tmp_path, sites="all")
    with migrated_engine.begin() as conn:
        lagou = start_run_record(conn, s, started_at=NOW, site="lagou")
        job51 = start_run_record(conn, s, started_at=NOW, site="51job")  # runs beside the Lagou run
        arguments = conn.execute(select(RUNS.c.arguments).where(RUNS.c.id == job51)).scalar_one()
        start_run_record(conn, s, started_at=NOW, site="lagou")  # the Lagou run was killed
        outcomes = dict(conn.execute(select(RUNS.c.id, RUNS.c.outcome)).all())

    assert (outcomes[lagou], outcomes[job51]) == ("crashed", "running")
    assert (arguments["site"], arguments["base_url"]) == ("51job", JOB51)


def test_the_outcome_of_several_sites_is_the_most_serious() -> None:
    ok = RunOutcome(reports=(), written={}, outcome=RunStatus.OK, run_id=1)
    partial = RunOutcome(reports=(), written={}, outcome=RunStatus.PARTIAL, run_id=2)

    assert combine_outcomes([ok]) is ok
    assert combine_outcomes([partial, ok]).outcome is RunStatus.PARTIAL
    assert combine_outcomes([ok, partial]).run_id == 2  # the last site's run
