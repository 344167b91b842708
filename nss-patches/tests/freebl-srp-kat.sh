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
out=$(cd "$work" && nss_run timeout 120 "$NSS_BIN/freebl_gtest" -d "sql:$work" \
      --gtest_filter='SrpTest.*' 2>&1)
rc=$?
n=0
while read -r status name; do
    n=$((n + 1))
    if [ "$status" = OK ]; then
        pass "freebl-srp-kat/$name"
    else
        fail "freebl-srp-kat/$name" "gtest reported FAILED"
    fi
done < <(printf '%s\n' "$out" | sed -n 's/^\[ *\(OK\|FAILED\) *\] \(SrpTest\.[A-Za-z0-9_]*\) (.*/\1 \2/p')
if [ "$n" -lt 9 ]; then
    fail freebl-srp-kat "only $n SrpTest cases ran (rc=$rc): $(printf '%s' "$out" | tail -3 | tr '\n' ' ')"
elif [ "$rc" -ne 0 ]; then
    fail freebl-srp-kat "freebl_gtest exited with $rc"
fi

if [ -x "$NSS_BIN/pk11_gtest" ]; then
    out=$(cd "$work" && nss_run timeout 120 "$NSS_BIN/pk11_gtest" -d "sql:$work" \
          --gtest_filter='Pk11SrpTest.*' 2>&1)
    rc=$?
    n=0
    while read -r status name; do
        n=$((n + 1))
        if [ "$status" = OK ]; then
            pass "softoken-srp/$name"
        else
            fail "softoken-srp/$name" "gtest reported FAILED"
        fi
    done < <(printf '%s\n' "$out" | sed -n 's/^\[ *\(OK\|FAILED\) *\] \(Pk11SrpTest\.[A-Za-z0-9_]*\) (.*/\1 \2/p')
    [ "$n" -ge 5 ] || fail softoken-srp "only $n Pk11SrpTest cases ran (rc=$rc)"
else
    skip softoken-srp "pk11_gtest not built"
fi
finish
