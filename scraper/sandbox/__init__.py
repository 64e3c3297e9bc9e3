"""An offline replica of Lagou's listing pages, for the tests and `python -m scraper --sandbox`.

`ReplicaServer` serves deterministic generated postings (`data`) as NEW `/wn/jobs` pages
(`pages`) and OLD `/zhaopin/{Kw}/` pages (`old_pages`) on 127.0.0.1, and can answer with
Lagou's anti-bot responses on a fixed schedule (`faults`, `blocks`). `data.jobs_for` is the
oracle: what a correct scraper must read from the pages. The replica never uses the network
beyond its own loopback socket. Run it alone with `python -m scraper.sandbox`.
"""

from __future__ import annotations

from scraper.sandbox.data import CITIES, jobs_for
from scraper.sandbox.faults import FaultKind, FaultPlan
from scraper.sandbox.server import ReplicaServer, RequestRecord

__all__ = ["CITIES", "FaultKind", "FaultPlan", "ReplicaServer", "RequestRecord", "jobs_for"]
