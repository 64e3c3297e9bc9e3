"""Database layer: SQLAlchemy models, engine set-up, migrations, and the writes (`writes`) and
reads (`reads`) the tool runs.

It knows the domain model (`scraper.model.postings`), never the browser. The writer thread is the
only caller that writes during a scrape; the report and export read through `db.reads`.
"""
