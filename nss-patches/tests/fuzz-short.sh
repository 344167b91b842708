#!/bin/bash
# The NSS TLS-SRP fuzz target (nss-patches 0006, built by make nss-fuzz) in make check:
#  - every seed of nss-patches/fuzz/corpus runs clean (ASan, UBSan, leaks);
#  - together they reach the SRP ServerKeyExchange parser and ClientKeyExchange;
#  - a short fuzzing run (FUZZ_SHORT_SECONDS, default 45) finds no crash, leak or timeout.
. "$(dirname "$0")/lib.sh"

SECONDS_SHORT=${FUZZ_SHORT_SECONDS:-45}
BIN=$ROOT/build/fuzz/nss/bin/nssfuzz-tls-srp-client
SEEDS=$ROOT/nss-patches/fuzz/corpus
[ -x "$BIN" ] || { skip fuzz/nss "nssfuzz-tls-srp-client not built (make nss-fuzz)"; exit 0; }
export ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
export NSS_DISABLE_ARENA_FREE_LIST=1 NSS_DISABLE_UNLOAD=1
WORK=$(mktemp -d "$TMPBASE/nss-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

for seed in "$SEEDS"/*; do
    if timeout 120 "$BIN" "$seed" > "$WORK/seed.log" 2>&1; then
        pass "fuzz/nss/seed-runs-clean/$(basename "$seed")"
    else
        fail "fuzz/nss/seed-runs-clean/$(basename "$seed")" \
            "$(grep -m1 -E 'ERROR|runtime error' "$WORK/seed.log")"
    fi
done

timeout 300 "$BIN" -runs=0 -print_coverage=1 "$SEEDS" > "$WORK/cov.log" 2>&1
for fn in ssl_HandleSRPServerKeyExchange ssl_SendSRPClientKeyExchange; do
    if grep -q "^COVERED_FUNC: .* $fn" "$WORK/cov.log"; then
        pass "fuzz/nss/seeds-reach/$fn"
    else
        fail "fuzz/nss/seeds-reach/$fn" "the seed corpus does not reach it (record-corpus again?)"
    fi
done

timeout $((SECONDS_SHORT + 300)) "$ROOT/nss-patches/fuzz/run" "$SECONDS_SHORT" > "$WORK/run.log" 2>&1
rc=$?
sed 's/^/# /' "$WORK/run.log"
if [ $rc -eq 0 ]; then
    pass "fuzz/nss/short-run-${SECONDS_SHORT}s ($(grep -m1 -o 'executions [0-9]*' "$WORK/run.log"))"
else
    fail "fuzz/nss/short-run-${SECONDS_SHORT}s" "$(grep -m1 'FAILED' "$WORK/run.log"); $(grep -m1 'reproducer' "$WORK/run.log")"
fi
finish
