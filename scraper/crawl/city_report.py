"""`CityReport`: how one city's crawl went, as its worker saw it and as the run settles it.

The worker fills it while it scrapes; `crawl.plan` settles it against the checkpoints, the run
record stores it and the CLI's progress display and end lines read it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scraper.model.statuses import CityStatus


@dataclass(slots=True)
class CityReport:
    """How one city went (`status`: see `CityStatus`)."""

    city: str
    status: CityStatus = CityStatus.PENDING
    reason: str = ""
    pages: int = 0
    postings: int = 0
    blocks: int = 0
    retries: int = 0
    errors: Counter[str] = field(default_factory=Counter)
