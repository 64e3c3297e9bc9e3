"""Performance benchmark of the scraper (run by hand: `python -m bench.run_bench`, never a test).

    run_bench (orchestrates, prints the table, writes bench/results/*.json and *.png)
      ├─► measure     (runs one contender in a subprocess; samples browser PSS and Python RSS)
      ├─► cpuload     (how busy all cores are; waits for a quiet machine first)
      ├─► contenders: the real CLI, fleet (our workers wired for N city/keyword pairs),
      │               baseline (a naive one-browser-per-city Selenium scraper), plain_http (urllib)
      ├─► ratelimit   (the adaptive delay against the replica's per-minute rate limit)
      ├─► writer_bench (JobWriter rows/s on SQLite and a throwaway PostgreSQL database)
      └─► plot        (scaling curve and comparison bars, matplotlib Agg)

Everything runs against the replica on 127.0.0.1 (`scraper.sandbox`); nothing here is imported
by the product.
"""
