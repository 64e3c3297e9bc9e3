"""`python -m scraper`: the command line entry point."""

from __future__ import annotations

from scraper.cli.main import run

if __name__ == "__main__":
    run()
