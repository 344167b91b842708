#!/usr/bin/env bash
# ui-mockups browser tests for `make check`: PASS/FAIL/SKIP lines, non-zero exit on any FAIL.
# Needs Debian's chromium (/usr/bin/chromium) and node_modules from `npm ci` in ui-mockups/.
set -u
cd "$(dirname "$0")"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then echo "SKIP ui-mockups: $CHROMIUM not installed (make deps)"; exit 0; fi
if ! command -v node >/dev/null 2>&1; then echo "SKIP ui-mockups: node not installed (make deps)"; exit 0; fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  # the lock file pins both; playwright-core downloads no browser
  if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 180 npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1; then
    echo "SKIP ui-mockups: npm ci failed in ui-mockups/ (make deps)"; exit 0
  fi
fi
exec timeout 540 node tools/test.mjs "$@"
