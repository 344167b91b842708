#!/bin/bash
# FIPS mode: the softoken FIPS token does not offer
# CKM_NSS_TLS_SRP_CLIENT_DERIVE, so libssl never offers the SRP suites.
#  - SRP suites only: the handshake fails cleanly before anything is sent
#    (SSL_ERROR_NO_CIPHERS_SUPPORTED);
#  - SRP + a FIPS suite: the ClientHello carries neither SRP suites nor the
#    SRP extension.
# Uses a fresh NSS database switched to FIPS mode with modutil.  Seconds.
. "$(dirname "$0")/lib.sh"

find_nss || { skip fips-srp-unavailable "patched NSS not built"; exit 0; }
work=$(mktemp -d "$TMPBASE/nssp-fips.XXXXXX")
trap 'cleanup_pids; rm -rf "$work"' EXIT
nss_run "$NSS_BIN/certutil" -N --empty-password -d "sql:$work" >/dev/null 2>&1
if ! nss_run "$NSS_BIN/modutil" -fips true -dbdir "sql:$work" -force >/dev/null 2>&1 ||
    ! nss_run "$NSS_BIN/modutil" -chkfips true -dbdir "sql:$work" 2>&1 | grep -q 'FIPS mode enabled'; then
    skip fips-srp-unavailable "this NSS build cannot switch to FIPS mode"
    exit 0
fi
printf 'secret\n' > "$work/pw"
printf 'GET / HTTP/1.0\r\n\r\n' > "$work/req"

# capture CIPHERS: ClientHello (normalised) in $work/ch.txt, tstclnt stderr in $work/err
capture() {
    rm -f "$work/port" "$work/ch.bin" "$work/ch.txt"
    python3 "$NSSP_TESTS/clienthello.py" capture "$work/port" "$work/ch.bin" 2>/dev/null &
    local cpid=$!
    PIDS+=("$cpid")
    for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    nss_run timeout 20 "$TSTCLNT" -h 127.0.0.1 -p "$(cat "$work/port")" -d "sql:$work" -o -v \
        -A "$work/req" -V tls1.2:tls1.2 -c "$1" --srp-user alice --srp-password-file "$work/pw" \
        > /dev/null 2> "$work/err" < /dev/null
    RC=$?
    kill "$cpid" 2>/dev/null
    wait "$cpid" 2>/dev/null
    [ -s "$work/ch.bin" ] && python3 "$NSSP_TESTS/clienthello.py" normalise "$work/ch.bin" > "$work/ch.txt"
}

capture :C01D:C021
if [ "$RC" -ne 0 ] && grep -q 'SSL_ERROR_NO_CIPHERS_SUPPORTED' "$work/err" && [ ! -s "$work/ch.txt" ]; then
    pass fips/srp-only-fails-cleanly
else
    fail fips/srp-only-fails-cleanly "rc=$RC $(grep -o 'SSL_ERROR_[A-Z_]*' "$work/err" | tail -1)"
fi

capture :C01D:C02F
if [ -s "$work/ch.txt" ] && grep -q '^cipher_suites c02f$' "$work/ch.txt" &&
    ! grep -q '^extension 12 ' "$work/ch.txt"; then
    pass fips/srp-not-offered
else
    fail fips/srp-not-offered "$(grep '^cipher_suites\|^extension 12' "$work/ch.txt" 2>/dev/null | tr '\n' ' ')"
fi
finish
