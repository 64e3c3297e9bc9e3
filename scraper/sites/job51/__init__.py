"""前程无忧 51job (we.51job.com): the adapter (`adapter.Job51Site`), the card reader (`cards`: each
`.joblist-item`'s `sensorsdata` JSON first, its DOM text second, recruiter fields never) and the block
signals (`block`). Pure: text in, postings or a block out."""

from scraper.sites.job51.adapter import Job51Site

__all__ = ["Job51Site"]
