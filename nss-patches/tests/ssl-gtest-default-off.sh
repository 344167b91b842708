#!/bin/bash
# Default off: NSS's own ssl_gtest (built with the patches) filtered to the
# TLS cipher-suite, generic handshake, TLS 1.2, pre-1.3, key exchange and
# extension tests passes.  None of these enables SRP, so they exercise the
# patched libssl as an application that does not use the SRP API; the new
# *Srp* tests (ssl_srp_unittest.cc) run along.
# The certificate database is created once with NSS's tests/common/certsetup.sh
# (cached in build/tmp/nssp-gtestdb).  Several minutes on 2 cores.
. "$(dirname "$0")/lib.sh"

find_nss || { skip ssl-gtest-default-off "patched NSS not built"; exit 0; }
[ -x "$NSS_BIN/ssl_gtest" ] || { skip ssl-gtest-default-off "ssl_gtest not built"; exit 0; }
TREE=$NSS_TREE
DB=$TMPBASE/nssp-gtestdb
FILTER=${SSL_GTEST_FILTER:-'CipherSuite*/TlsCipherSuiteTest.*:GenericStream/TlsConnectGeneric.*:Pre13Stream/*:Version12Only/*:Version12Plus/*:KeyExchangeTest/TlsKeyExchangeTest.*:Extension*:*CustomExtension*:TlsCipherOrderTest.*:*Srp*'}

if [ ! -f "$DB/.done" ]; then
    rm -rf "$DB"
    mkdir -p "$DB"
    (
        cd "$DB" || exit 1
        PROFILEDIR=$DB
        BINDIR=$NSS_BIN
        R_NOISE_FILE=$DB/noise
        head -c 2048 /dev/urandom > "$R_NOISE_FILE"
        html_msg() { [ "$1" -eq "$2" ] || echo "certsetup: $3 failed" >&2; }
        export LD_LIBRARY_PATH=$NSS_LIB
        "$BINDIR/certutil" -N -d "$PROFILEDIR" --empty-password || exit 1
        . "$TREE/tests/common/certsetup.sh"
        counter=0
        for c in "client rsa sign" "rsa rsa sign kex" "rsa2048 rsa2048 sign kex" \
            "rsa8192 rsa8192 sign kex" "rsa_sign rsa sign" "rsa_pss rsapss sign" \
            "rsa_pss384 rsapss384 sign" "rsa_pss512 rsapss512 sign" \
            "rsa_pss_noparam rsapss_noparam sign" "rsa_decrypt rsa kex" \
            "ecdsa256 p256 sign" "ecdsa384 p384 sign" "ecdsa521 p521 sign" \
            "ecdh_ecdsa p256 kex" "rsa_ca rsa_ca ca" "rsa_chain rsa_chain sign" \
            "rsa_pss_ca rsapss_ca ca" "rsa_pss_chain rsapss_chain sign" \
            "rsa_ca_rsa_pss_chain rsa_ca_rsapss_chain sign" "ecdh_rsa ecdh_rsa kex" \
            "dsa dsa sign" "delegator_ecdsa256 delegator_p256 sign" \
            "delegator_rsae2048 delegator_rsae2048 sign" \
            "delegator_rsa_pss2048 delegator_rsa_pss2048 sign"; do
            # shellcheck disable=SC2086
            make_cert $c > /dev/null 2>&1 || exit 1
        done
    ) || { fail ssl-gtest-default-off "could not create the ssl_gtest certificate database"; finish; }
    touch "$DB/.done"
fi

log=$TMPBASE/nssp-ssl-gtest.log
(cd "$DB" && nss_run timeout 1500 "$NSS_BIN/ssl_gtest" -d "$DB" -s "$TREE/gtests/ssl_gtest" \
    --gtest_filter="$FILTER") > "$log" 2>&1
rc=$?
summary=$(grep -E '^\[  (PASSED|SKIPPED|FAILED) +\] [0-9]+ test' "$log" | sed 's/^\[ *//; s/ *\] */ /; s/ tests\{0,1\}[.,].*//' | tr '\n' ' ')
ran=$(sed -n 's/^\[==========\] \([0-9]*\) tests from .* ran.*/\1/p' "$log")
if [ "$rc" -eq 0 ] && [ -n "$ran" ]; then
    pass "ssl-gtest-default-off ($ran tests: $summary)"
else
    fail "ssl-gtest-default-off" "rc=$rc $summary; failed: $(grep '^\[  FAILED  \] [A-Za-z]' "$log" | head -5 | sed 's/\[  FAILED  \] //' | tr '\n' ' ')"
fi
finish
