#!/bin/bash
# make-check entry point of the hostile-server suite (registered in checks.list).
# Runs every scenario of expectations.tsv against every client wrapper in
# clients/ (tstclnt, bssl, srpclient-nss, srpclient-boringssl; gnutls-cli as
# the reference) and prints PASS/FAIL/SKIP lines; a client that is not built
# gives SKIP lines.  Results: build/hostile/results.{json,md}.
# Arguments are passed to hostile.py (e.g. --client tstclnt --scenario b-zero).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$root/build/tmp" "$root/build/hostile"
command -v python3 >/dev/null || { echo "FAIL hostile/setup: python3 not found"; exit 1; }
command -v openssl >/dev/null || { echo "FAIL hostile/setup: openssl not found"; exit 1; }
# Whole-suite bound: ~22 scenarios x 5 clients, normally well under a minute.
exec timeout -k 10 "${HOSTILE_SUITE_TIMEOUT:-900}" nice -n 5 python3 "$here/hostile.py" "$@"
