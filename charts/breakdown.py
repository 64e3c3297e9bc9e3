"""Salary breakdowns of a set of jobs: by experience band, by education level, and by skill.

`breakdown_of` takes any set of rows (one city's, or one site's within a city), so the same three
breakdowns serve a city's object in `summary.json` and each of its sites. Every figure has the
definitions of `charts.summary`: one monthly midpoint per job, `count` the jobs with one,
`unparsed` the others. Labels that fit no band are counted under `charts.bands.OTHER` and
returned in `unknown`, for the caller to log once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from charts.bands import EDUCATION_LEVELS, EXPERIENCE_BANDS, OTHER, education_level, experience_band
from charts.summary import JSON_DECIMALS, CityStats, monthly_midpoint, stats_dict, stats_of
from db.reads import JobRecord

DEFAULT_MIN_SKILL_JOBS = 5  # a skill's median over fewer jobs says more about those jobs than the skill
EXPERIENCE = "experience"
EDUCATION = "education"


# dimension: (the job's label, the label's band, the bands in order)
_DIMENSIONS: dict[str, tuple[Callable[[JobRecord], str | None], Callable[[str | None], str], Sequence[str]]] = {
    EXPERIENCE: (lambda job: job.work_year, experience_band, EXPERIENCE_BANDS),
    EDUCATION: (lambda job: job.education, education_level, EDUCATION_LEVELS),
}


@dataclass(frozen=True, slots=True)
class SkillFigure:
    """A skill carried by `count` jobs with a parsed salary, and the median of their midpoints."""

    skill: str
    count: int
    median: float


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The three breakdowns of one set of jobs. Bands and levels come in their fixed order,
    `OTHER` last, and only those with a job; `skills` by median, highest first. `unknown` holds
    (`EXPERIENCE` or `EDUCATION`, label) for each label counted under `OTHER` ("" for none)."""

    by_experience: dict[str, CityStats]
    by_education: dict[str, CityStats]
    skills: list[SkillFigure]
    unknown: frozenset[tuple[str, str]]


def breakdown_of(jobs: Iterable[JobRecord], *, min_skill_jobs: int = DEFAULT_MIN_SKILL_JOBS) -> Breakdown:
    """The breakdowns of `jobs`; a skill is listed when at least `min_skill_jobs` of the jobs with a
    parsed salary carry it (a job counts once per skill, however often it repeats the label)."""
    rows = [(job, monthly_midpoint(job)) for job in jobs]
    unknown: set[tuple[str, str]] = set()
    by_experience = _grouped(rows, EXPERIENCE, unknown)
    by_education = _grouped(rows, EDUCATION, unknown)
    return Breakdown(by_experience, by_education, skill_figures(rows, min_skill_jobs), frozenset(unknown))


def skill_figures(rows: Sequence[tuple[JobRecord, float | None]], min_jobs: int) -> list[SkillFigure]:
    """Skills of at least `min_jobs` parsed jobs, by median descending (then more jobs, then name)."""
    salaries: dict[str, list[float]] = {}
    for job, midpoint in rows:
        if midpoint is None:
            continue
        for skill in {label.strip() for label in job.skills} - {""}:
            salaries.setdefault(skill, []).append(midpoint)
    figures = [
        SkillFigure(skill, len(values), float(np.median(values)))
        for skill, values in salaries.items()
        if len(values) >= min_jobs
    ]
    return sorted(figures, key=lambda f: (-f.median, -f.count, f.skill))


def breakdown_dict(breakdown: Breakdown) -> dict[str, object]:
    """The JSON-ready form: `by_experience`, `by_education` ({band: stats}) and `skills`
    ([{"skill", "count", "median"}]), figures rounded like the city's own."""
    return {
        "by_experience": {band: stats_dict(s) for band, s in breakdown.by_experience.items()},
        "by_education": {level: stats_dict(s) for level, s in breakdown.by_education.items()},
        "skills": [
            {"skill": f.skill, "count": f.count, "median": round(f.median, JSON_DECIMALS)} for f in breakdown.skills
        ],
    }


def _grouped(
    rows: Sequence[tuple[JobRecord, float | None]], dimension: str, unknown: set[tuple[str, str]]
) -> dict[str, CityStats]:
    label_of, band_of, order = _DIMENSIONS[dimension]
    salaries: dict[str, list[float]] = {}
    unparsed: dict[str, int] = {}
    for job, midpoint in rows:
        label = label_of(job)
        band = band_of(label)
        if band == OTHER:
            unknown.add((dimension, (label or "").strip()))
        salaries.setdefault(band, [])
        unparsed.setdefault(band, 0)
        if midpoint is None:
            unparsed[band] += 1
        else:
            salaries[band].append(midpoint)
    return {band: stats_of(salaries[band], unparsed[band]) for band in (*order, OTHER) if band in salaries}


def breakdowns_by(
    jobs: Iterable[JobRecord], key: Callable[[JobRecord], str], *, min_skill_jobs: int = DEFAULT_MIN_SKILL_JOBS
) -> dict[str, Breakdown]:
    """`breakdown_of` each group of `jobs` by `key` (a job's city, or its site), groups in order of first appearance."""
    groups: dict[str, list[JobRecord]] = {}
    for job in jobs:
        groups.setdefault(key(job), []).append(job)
    return {name: breakdown_of(group, min_skill_jobs=min_skill_jobs) for name, group in groups.items()}
