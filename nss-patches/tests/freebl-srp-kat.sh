#!/bin/bash
# RFC 5054 Appendix B known-answer tests of the freebl SRP code
# (gtests/freebl_gtest/srp_unittest.cc, patch 0001): x, k, v, u, A and the
# premaster secret for the RFC's I, P, s, a and B, plus rejection cases.
# Then the softoken mechanism CKM_NSS_TLS_SRP_CLIENT_DERIVE through pk11wrap
# (gtests/pk11_gtest/pk11_srp_unittest.cc, patch 0002).
# One PASS/FAIL line per gtest case.  Takes about a second.
. "$(dirname "$0")/lib.sh"

if ! find_nss || [ ! -x "$NSS_BIN/freebl_gtest" ]; then
    skip freebl-srp-kat "freebl_gtest not built (NSS built without gtests?)"
    exit 0
fi
work=$(mktemp -d "$TMPBASE/nssp-kat.XXXXXX")
trap 'rm -rf "$work"' EXIT
nss_run "$NSS_BIN/certutil" -N --empty-password -d "sql:$work" >/dev/null 2>&1
# kat NAME BINARY SUITE RUNS: the gtest SUITE of BINARY, at least RUNS cases.
kat() {
    local out rc
    out=$(cd "$work" && nss_run timeout 120 "$NSS_BIN/$2" -d "sql:$work" --gtest_filter="$3.*" 2>&1)
    rc=$?
    gtest_cases "$1" "$3\.[A-Za-z0-9_]*" "$4" "$rc" "$out"
}
kat freebl-srp-kat freebl_gtest SrpTest 9
if [ -x "$NSS_BIN/pk11_gtest" ]; then
    kat softoken-srp pk11_gtest Pk11SrpTest 5
else
    skip softoken-srp "pk11_gtest not built"
fi
finish
