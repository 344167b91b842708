#!/bin/bash
# The TLS-SRP tests in NSS's ssl_gtest (gtests/ssl_gtest/ssl_srp_unittest.cc,
# patch 0003): API arguments, suites off by default, ClientHello contents
# (SRP extension with the user name, suites offered without it), the
# credentials hook, no SRP in TLS 1.3, the NSS server never selecting SRP.
# One PASS/FAIL line per gtest case.  Needs only an RSA certificate: a small
# database is made on the fly.  About 10 seconds.
. "$(dirname "$0")/lib.sh"

find_nss || { skip ssl-gtest-srp "patched NSS not built"; exit 0; }
[ -x "$NSS_BIN/ssl_gtest" ] || { skip ssl-gtest-srp "ssl_gtest not built"; exit 0; }
TREE=$NSS_TREE
DB=$(mktemp -d "$TMPBASE/nssp-srpgt.XXXXXX")
trap 'rm -rf "$DB"' EXIT
(
    cd "$DB" || exit 1
    PROFILEDIR=$DB BINDIR=$NSS_BIN R_NOISE_FILE=$DB/noise
    head -c 2048 /dev/urandom > "$R_NOISE_FILE"
    html_msg() { :; }
    export LD_LIBRARY_PATH=$NSS_LIB
    "$BINDIR/certutil" -N -d "$PROFILEDIR" --empty-password || exit 1
    . "$TREE/tests/common/certsetup.sh"
    counter=0
    make_cert client rsa sign > /dev/null 2>&1 && make_cert rsa rsa sign kex > /dev/null 2>&1
) || { fail ssl-gtest-srp "could not create a certificate database"; finish; }
out=$(cd "$DB" && nss_run timeout 300 "$NSS_BIN/ssl_gtest" -d "$DB" --gtest_filter='*Srp*' 2>&1)
rc=$?
gtest_cases ssl-gtest-srp '[^ ]*Srp[^ ]*' 20 "$rc" "$out"
finish
