"""Reporting: the last step of the flow, from stored jobs to per-city salary statistics and charts.

It reads the database only through `db.reads` and never touches the browser or the scraper.
`summary` computes the figures (one monthly midpoint salary in CNY per job), `fonts` picks a CJK
font or the pinyin/English fallback, `plots` draws the three charts with one shared salary
colour scale, and `report.build_report` ties them together and writes `summary.json` and the
PNGs into one directory.
"""
