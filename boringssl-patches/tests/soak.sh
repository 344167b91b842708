#!/bin/bash
# 2000 consecutive full SRP handshakes (no resumption) of bssl client against
# gnutls-serv; any failure fails the test. SOAK_COUNT overrides the count.

SCRIPT_NAME=bssl-srp-soak
. "$(dirname "$0")/lib.sh"
COUNT=${SOAK_COUNT:-2000}

require_tools gnutls-serv srptool openssl python3 timeout "$BSSL"
if ! srp_fixtures; then
  fail "$SCRIPT_NAME-setup" "could not create SRP verifiers"
  exit 1
fi
if ! start_gnutls 'NORMAL:+SRP:+SRP-RSA'; then
  fail "$SCRIPT_NAME-setup" "gnutls-serv did not start"
  exit 1
fi

failures=0
start=$(date +%s)
for i in $(seq "$COUNT"); do
  if ! bssl_get "$TMPD/out.txt" -max-version tls1.2 -cipher SRP-AES-128-CBC-SHA \
      -srp-user user2048 -srp-password-file "$TMPD/pw" ||
     ! grep -q '^HTTP/1.0 200' "$TMPD/out.txt"; then
    failures=$((failures + 1))
    cp "$TMPD/out.txt" "$TMPD/fail-$i.txt"
    if [ $failures -le 3 ]; then
      echo "# handshake $i failed: $(grep -m1 -E 'SSL_R|error' "$TMPD/out.txt")"
    fi
  fi
  # The server must still be alive.
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "$SCRIPT_NAME-$COUNT" "gnutls-serv died after $i handshakes"
    exit 1
  fi
done
elapsed=$(( $(date +%s) - start ))
if [ $failures -eq 0 ]; then
  pass "$SCRIPT_NAME-$COUNT-handshakes (${elapsed}s)"
else
  fail "$SCRIPT_NAME-$COUNT-handshakes" "$failures of $COUNT failed"
fi
stop_server
[ "$FAILED" -eq 0 ]
