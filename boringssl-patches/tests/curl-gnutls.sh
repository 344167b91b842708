#!/bin/bash
# Unmodified curl 8.14.1 built against the patched BoringSSL
# (make curl-boringssl) doing --tlsauthtype SRP transfers against
# gnutls-serv. The password is passed in a curl config file, not in argv.

SCRIPT_NAME=curl-boringssl-srp
. "$(dirname "$0")/lib.sh"
CURL=${CURL:-$ROOT/build/curl-boringssl/bin/curl}

if [ ! -x "$CURL" ]; then
  skip "$SCRIPT_NAME" "$CURL not built (run make curl-boringssl)"
  exit 0
fi
require_tools gnutls-serv srptool openssl python3 timeout

if "$CURL" -V | grep -q 'TLS-SRP'; then
  pass "curl-V-reports-TLS-SRP"
else
  fail "curl-V-reports-TLS-SRP" "$("$CURL" -V | grep Features)"
fi

if ! srp_fixtures; then
  fail "$SCRIPT_NAME-setup" "could not create SRP verifiers"
  exit 1
fi
if ! start_gnutls 'NORMAL:+SRP:+SRP-RSA:+VERS-TLS1.0:+VERS-TLS1.1'; then
  fail "$SCRIPT_NAME-setup" "gnutls-serv did not start"
  exit 1
fi

# curl_srp USER PASSWORD-FILE CURL-ARGS...: GET / as USER; curl's status, its
# output in $TMPD/curl.out.
curl_srp() {
  local user=$1 pwfile=$2
  shift 2
  # --insecure as in curl's own TLS-SRP tests: SRP-only suites carry no
  # certificate to verify; the password authenticates the server.
  printf 'tlsauthtype = "SRP"\ntlsuser = "%s"\ntlspassword = "%s"\n' \
    "$user" "$(cat "$pwfile")" > "$TMPD/curl.cfg"
  timeout 60 "$CURL" -sS -K "$TMPD/curl.cfg" --insecure -o "$TMPD/body" \
    -w '%{http_code}' "$@" "https://127.0.0.1:$PORT/" >"$TMPD/curl.out" 2>&1
}

# expect_page NAME USER PASSWORD-FILE CURL-ARGS...: the page arrives (HTTP 200).
expect_page() {
  local name=$1 rc
  shift
  curl_srp "$@"
  rc=$?
  if [ $rc -eq 0 ] && grep -q 200 "$TMPD/curl.out"; then
    pass "$name"
  else
    fail "$name" "exit $rc: $(head -c 300 "$TMPD/curl.out")"
  fi
}

# expect_refused NAME USER PASSWORD-FILE CURL-ARGS...: curl fails, and not by timing out.
expect_refused() {
  local name=$1 rc
  shift
  curl_srp "$@"
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then
    pass "$name"
  else
    fail "$name" "exit $rc"
  fi
}

for ver in 1.0 1.1 1.2; do
  expect_page "curl-srp-transfer-tls$ver" user2048 "$TMPD/pw" --tlsv$ver --tls-max $ver
done
expect_page curl-srp-transfer-default-versions user2048 "$TMPD/pw"
expect_refused curl-srp-wrong-password-fails user2048 "$TMPD/wrongpw" --tls-max 1.2
expect_refused curl-srp-unknown-user-fails nosuchuser "$TMPD/pw" --tls-max 1.2

stop_server
echo "# $SCRIPT_NAME: $FAILED failed"
[ "$FAILED" -eq 0 ]
