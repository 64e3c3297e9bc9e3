"""The domain model: typed postings and salaries, the salary parser, cities and statuses.
Everything else may import these; they import nothing of ours beyond each other and `scraper.common`."""
