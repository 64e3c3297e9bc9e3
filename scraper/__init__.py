"""job-salary-scraper: collect and chart what Python engineers earn, from Chinese job sites.

The data flows one way, and the packages follow it (imports point down the flow only; the
import-linter contract in pyproject.toml checks it):

    cli ─► crawl.run (compose the run; crawl.plan: open or resume each city's crawl)
            ├─► crawl.worker (one thread + one browser per city, pages from crawl.page_sources)
            │      ├─► browser (a WebDriverBrowser: local headless shell or Chromium, or a remote
            │      │            WebDriver; fetch: load a page and read it back in one call)
            │      └─► sites.lagou, sites.job51 (pure: HTML → ListingPage of Posting, or a Block;
            │                   each site also says how its pages are reached and when they are ready)
            └─► crawl.writer (the single DB-writer thread: batched upserts, dedup on city/title/salary,
                   │             checkpoints and observations in the same transactions)
                   └─► db (SQLAlchemy tables and queries; migrations/ holds Alembic)
                          └─► report (report, export, status) ─► charts (PNGs, trend, summary.json
                                                                         with history, index.html)

`model` holds the domain every layer may use: postings and salaries, the salary parser, cities,
the statuses and the first-N-unique rule; `common` holds the one exception module, the password
masker, the backoff rule and the database-URL checks. `settings` is the one frozen
configuration object; `sandbox` is an offline replica of the site.
"""

__version__ = "0.1.0"
