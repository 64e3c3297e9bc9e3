"""The command line: arguments → settings → a crawl or a report command; exceptions → one line
and an exit code (`scraper.cli.exit_codes`); logging and the live progress display."""
