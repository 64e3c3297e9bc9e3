"""job-salary-scraper: collect and chart what Python engineers earn, from Chinese job sites.

The data flows one way, and the modules follow it:

    cli ─► run (build page tasks per city)
            ├─► workers (one thread + one headless Chromium per city, pulling page numbers)
            │      └─► fetch (load the page, read it back in one call)
            │             └─► sites.lagou (pure: HTML → ListingPage of Posting, or a Block)
            └─► writer (the single DB-writer thread: batched upserts, dedup on city/title/salary)
                   └─► db (SQLAlchemy models, Alembic migrations, queries)
                          └─► charts (report: salary distributions per city, summary.json)

`models` holds the typed domain values, `salary` the salary parser, `settings` the one frozen
configuration object, `errors` the exception types, `sandbox` an offline replica of the site.
"""

__version__ = "0.1.0"
