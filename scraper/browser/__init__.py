"""Browsers: local headless Chromium, remote WebDriver sessions (Grid, bare chromedriver), the
endpoint pool, and `fetch`, which loads a page and reads it back in one call. The only package
that imports Selenium."""
