"""A scrape: the run's composition root (`run`), each city's crawl plan and page source, the city
workers with their pacing, the single writer thread, error snapshots and the run lock."""
