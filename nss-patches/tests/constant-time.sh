#!/bin/bash
# Constant-time validation of the NSS SRP client (patches 0001 and 0002)
# under valgrind memcheck: constant-time-harness.c, built twice against the
# staged NSS, marks the password and the secret exponent a undefined memory
# (a drawn by freebl's RNG is marked as it is generated, by a valgrind
# function wrapper) and declassifies only A, u and the premaster length at
# the freebl API boundary.  Runs: SRP_ClientDerive through the freebl loader
# (RFC 5054 vector and a random a, 2048 bits) and the softoken mechanism
# CKM_NSS_TLS_SRP_CLIENT_DERIVE through pk11wrap.  Any "Conditional jump or
# move depends on uninitialised value(s)" / "Use of uninitialised value" with
# an NSS frame fails, with its stack.  Positive control: SRP_ComputeVerifier
# (not used in handshakes; mp_exptmod) must be reported.  About 30 s.
. "$(dirname "$0")/lib.sh"

for tool in valgrind gcc; do
    command -v "$tool" >/dev/null || { skip constant-time "$tool not installed"; exit 0; }
done
if ! find_nss || [ ! -f "$NSS_DIST_DIR/include/nss/blapi.h" ] || [ ! -f /usr/include/valgrind/memcheck.h ]; then
    skip constant-time "staged NSS with private headers, or valgrind headers, missing"
    exit 0
fi
work=$(mktemp -d "$TMPBASE/nssp-ct.XXXXXX")
trap 'rm -rf "$work"' EXIT
inc="-I$NSS_DIST_DIR/include/nss -I$NSS_DIST_DIR/include/nspr"
libs="-L$NSS_LIB -lnssutil3 -lplc4 -lplds4 -lnspr4 -Wl,-rpath,$NSS_LIB"
if ! gcc -O1 -g -DCT_FREEBL -DUSE_UTIL_DIRECTLY $inc "$NSSP_TESTS/constant-time-harness.c" \
        "$NSS_LIB/libfreebl.a" $libs -ldl -o "$work/ct-freebl" 2>"$work/cc.log" ||
   ! gcc -O1 -g -DCT_SOFTOKEN $inc "$NSSP_TESTS/constant-time-harness.c" \
        -lnss3 $libs -o "$work/ct-softoken" 2>>"$work/cc.log"; then
    fail constant-time/build "harness does not build: $(tail -5 "$work/cc.log" | tr '\n' ' ')"
    finish
fi

for mode in freebl softoken; do
    (cd "$work" && nss_run timeout 600 valgrind --num-callers=30 --error-limit=no \
        "./ct-$mode" >"$mode.out" 2>"$mode.vg")
    rc=$?
    grep -q '^HARNESS-' "$work/$mode.out" ||
        fail "constant-time/$mode" "harness printed nothing (rc=$rc): $(tail -3 "$work/$mode.vg" | tr '\n' ' ')"
    while read -r status name rest; do
        if [ "$status" = HARNESS-PASS ]; then
            pass "constant-time/$name"
        else
            fail "constant-time/$name" "${rest#: }"
        fi
    done < <(grep '^HARNESS-' "$work/$mode.out")
done

# The positive control's reports are expected; any other report in NSS code
# is a secret-dependent branch or memory index.
python3 "$NSSP_TESTS/ct-report.py" "$work/freebl.vg" 'SRP_ComputeVerifier' >"$work/control"
if [ "$(head -1 "$work/control")" -gt 0 ]; then
    pass constant-time/control-detects-mp_exptmod
else
    fail constant-time/control-detects-mp_exptmod "no report for SRP_ComputeVerifier: the secrets were not marked"
fi
for mode in freebl softoken; do
    python3 "$NSSP_TESTS/ct-report.py" "$work/$mode.vg" \
        'libfreeblpriv3|libsoftokn3|libnss3|libnssutil3' 'SRP_ComputeVerifier' >"$work/$mode.report"
    n=$(head -1 "$work/$mode.report")
    if [ "$n" -eq 0 ]; then
        pass "constant-time/$mode-no-secret-dependent-branch"
    else
        fail "constant-time/$mode-no-secret-dependent-branch" "$n memcheck report(s) in NSS:"
        tail -n +2 "$work/$mode.report" | head -200
    fi
done
finish
