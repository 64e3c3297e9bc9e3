"""`python -m scraper`: the command line entry point."""

from __future__ import annotations

import sys

from scraper.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
