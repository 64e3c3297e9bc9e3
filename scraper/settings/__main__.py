"""`python -m scraper.settings > .env.example`: writes the example file from the settings table."""

from __future__ import annotations

from scraper.settings.spec import render_env_example

print(render_env_example(), end="")
