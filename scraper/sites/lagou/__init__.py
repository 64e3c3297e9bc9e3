"""Lagou (拉勾网): the adapter (`adapter.LagouSite`), its `__NEXT_DATA__` reader, the card DOM
fallback and block-page detection. Pure: text in, postings or a block out."""

from scraper.sites.lagou.adapter import LagouSite

__all__ = ["LagouSite"]
