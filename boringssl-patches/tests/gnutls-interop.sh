#!/bin/bash
# bssl client (patched BoringSSL) against a real gnutls-serv with SRP:
# every SRP suite x TLS 1.0/1.1/1.2 x every group gnutls serves at or above
# the minimum, plus the documented failures (wrong password, unknown user,
# missing credentials, group below the minimum) and TLS 1.3 behaviour.
# Prints PASS/FAIL/SKIP lines; exits non-zero if anything failed.

SCRIPT_NAME=bssl-srp-gnutls
. "$(dirname "$0")/lib.sh"

require_tools gnutls-serv srptool openssl python3 timeout "$BSSL"

if ! srp_fixtures; then
  fail "$SCRIPT_NAME-setup" "could not create SRP verifiers or certificate"
  exit 1
fi

PRIO='NORMAL:+SRP:+SRP-RSA:+SRP-DSS:+3DES-CBC:+VERS-TLS1.0:+VERS-TLS1.1'
if ! start_gnutls "$PRIO"; then
  fail "$SCRIPT_NAME-setup" "gnutls-serv did not start: $(tail -3 "$TMPD/server.log")"
  exit 1
fi

# expect_ok <name> <cipher standard name> <bits> <bssl args...>
expect_ok() {
  local name=$1 std=$2 bits=$3
  shift 3
  local out="$TMPD/out.txt"
  bssl_get "$out" "$@"
  local rc=$?
  if [ $rc -ne 0 ]; then
    fail "$name" "bssl client exit $rc: $(grep -m1 -E 'SSL_R|error|Error' "$out")"
  elif ! grep -q "Cipher: $std" "$out"; then
    fail "$name" "wrong cipher: $(grep -m1 'Cipher:' "$out")"
  elif ! grep -q "SRP group: $bits bits" "$out"; then
    fail "$name" "wrong SRP group: $(grep -m1 'SRP group' "$out")"
  elif ! grep -q '^HTTP/1.0 200' "$out"; then
    fail "$name" "no HTTP response"
  else
    pass "$name"
  fi
}

# expect_err <name> <reason> <bssl args...>
expect_err() {
  local name=$1 reason=$2
  shift 2
  local out="$TMPD/out.txt"
  bssl_get "$out" "$@"
  local rc=$?
  if [ $rc -eq 0 ]; then
    fail "$name" "handshake unexpectedly succeeded"
  elif [ $rc -eq 124 ]; then
    fail "$name" "timed out"
  elif ! grep -q "$reason" "$out"; then
    fail "$name" "expected $reason, got: $(grep -m2 -E 'SSL_R|error:' "$out" | tr '\n' ' ')"
  else
    pass "$name"
  fi
}

PWF="$TMPD/pw"
declare -A STD=(
  [SRP-AES-128-CBC-SHA]=TLS_SRP_SHA_WITH_AES_128_CBC_SHA
  [SRP-AES-256-CBC-SHA]=TLS_SRP_SHA_WITH_AES_256_CBC_SHA
  [SRP-3DES-EDE-CBC-SHA]=TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA
  [SRP-RSA-AES-128-CBC-SHA]=TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA
  [SRP-RSA-AES-256-CBC-SHA]=TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA
  [SRP-RSA-3DES-EDE-CBC-SHA]=TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA
)

# Full matrix at the default minimum (2048 bits) and above.
for bits in 2048 3072 4096 8192; do
  for suite in SRP-AES-128-CBC-SHA SRP-AES-256-CBC-SHA SRP-3DES-EDE-CBC-SHA \
      SRP-RSA-AES-128-CBC-SHA SRP-RSA-AES-256-CBC-SHA SRP-RSA-3DES-EDE-CBC-SHA; do
    for ver in tls1 tls1.1 tls1.2; do
      expect_ok "gnutls-$suite-$ver-$bits" "${STD[$suite]}" "$bits" \
        -cipher "$suite" -min-version "$ver" -max-version "$ver" \
        -srp-user "user$bits" -srp-password-file "$PWF"
    done
  done
done

# Smaller groups only with an explicitly lowered minimum.
for bits in 1024 1536; do
  for ver in tls1 tls1.1 tls1.2; do
    expect_ok "gnutls-SRP-AES-128-CBC-SHA-$ver-$bits-min1024" \
      TLS_SRP_SHA_WITH_AES_128_CBC_SHA "$bits" \
      -cipher SRP-AES-128-CBC-SHA -min-version "$ver" -max-version "$ver" \
      -srp-min-group-bits 1024 -srp-user "user$bits" -srp-password-file "$PWF"
  done
  expect_err "gnutls-group-$bits-below-default-minimum" SRP_GROUP_NOT_ACCEPTABLE \
    -max-version tls1.2 -srp-user "user$bits" -srp-password-file "$PWF"
done
expect_err "gnutls-group-2048-below-minimum-3072" SRP_GROUP_NOT_ACCEPTABLE \
  -max-version tls1.2 -srp-min-group-bits 3072 -srp-user user2048 \
  -srp-password-file "$PWF"

# The "SRP" rule alone, as curl uses it, with TLS 1.3 also enabled.
expect_ok "gnutls-SRP-rule-default-versions" TLS_SRP_SHA_ \
  2048 -srp-user user2048 -srp-password-file "$PWF"

# Resumption of an SRP session (session saved to a file and read back).
resume_test() {
  local name=$1 ext=$2
  shift 2
  rm -f "$TMPD/session.pem"
  bssl_get "$TMPD/first.txt" -max-version tls1.2 -cipher "SRP-AES-128-CBC-SHA$ext" \
    -srp-user user2048 -srp-password-file "$PWF" -session-out "$TMPD/session.pem" "$@"
  bssl_get "$TMPD/second.txt" -max-version tls1.2 -cipher "SRP-AES-128-CBC-SHA$ext" \
    -srp-user user2048 -srp-password-file "$PWF" -session-in "$TMPD/session.pem" "$@"
  if ! grep -q '^HTTP/1.0 200' "$TMPD/second.txt"; then
    fail "$name" "second connection failed: $(grep -m1 -E 'SSL_R|error' "$TMPD/second.txt")"
  elif ! grep -q 'Resumed session: yes' "$TMPD/second.txt"; then
    fail "$name" "session not resumed"
  elif ! grep -q 'SRP username: user2048' "$TMPD/second.txt" ||
       ! grep -q 'SRP group: 2048 bits' "$TMPD/second.txt"; then
    fail "$name" "resumed session lost the SRP username or group"
  else
    pass "$name"
  fi
}
resume_test gnutls-resume-srp-session ""
# A session is only offered with the same SRP username.
rm -f "$TMPD/session.pem"
bssl_get "$TMPD/first.txt" -max-version tls1.2 -srp-user user2048 \
  -srp-password-file "$PWF" -session-out "$TMPD/session.pem"
bssl_get "$TMPD/second.txt" -max-version tls1.2 -srp-user user3072 \
  -srp-password-file "$PWF" -session-in "$TMPD/session.pem"
if grep -q 'Resumed session: no' "$TMPD/second.txt" &&
   grep -q 'SRP username: user3072' "$TMPD/second.txt"; then
  pass gnutls-no-resume-other-username
else
  fail gnutls-no-resume-other-username "$(grep -m2 -E 'Resumed|SRP username|error' "$TMPD/second.txt" | tr '\n' ' ')"
fi

# Failures.
expect_err "gnutls-wrong-password" SRP_CREDENTIALS_REJECTED \
  -max-version tls1.2 -srp-user user2048 -srp-password-file "$TMPD/wrongpw"
# gnutls-serv simulates unknown users (RFC 5054 2.5.1.3) with the first group of
# tpasswd.conf, here 1024 bits: refused as too small by default, and a failure
# at Finished when 1024 bits are allowed.
expect_err "gnutls-unknown-user" 'SRP_GROUP_NOT_ACCEPTABLE\|SRP_CREDENTIALS_REJECTED' \
  -max-version tls1.2 -srp-user nosuchuser -srp-password-file "$PWF"
expect_err "gnutls-unknown-user-min1024" SRP_CREDENTIALS_REJECTED \
  -max-version tls1.2 -srp-min-group-bits 1024 -srp-user nosuchuser \
  -srp-password-file "$PWF"
expect_err "gnutls-missing-credentials" SRP_CREDENTIALS_REQUIRED \
  -max-version tls1.2 -cipher SRP
expect_err "bssl-srp-dss-not-available" 'Failed setting cipher list' \
  -max-version tls1.2 -cipher SRP-DSS-AES-128-CBC-SHA -srp-user user2048 \
  -srp-password-file "$PWF"

stop_server
echo "# $SCRIPT_NAME: $FAILED failed"
[ "$FAILED" -eq 0 ]
