"""Alembic revisions, one file per schema change, applied in order by `db.engine.upgrade_schema`.

A package so that the revisions are installed along with `migrations/`.
"""
