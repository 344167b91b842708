#!/bin/bash
# Constant-time validation of the SRP client arithmetic (patch 0001,
# ssl/srp.cc) under valgrind memcheck, the way BoringSSL's
# CONSTANT_TIME_VALIDATION works: constant-time-harness.cc, built against the
# staged libssl.a/libcrypto.a, marks the password and the secret exponent a
# as undefined memory (a from RAND_bytes is marked by a valgrind function
# wrapper as it is generated) and declassifies only A and the premaster
# length.  Any "Conditional jump or move depends on uninitialised value(s)"
# or "Use of uninitialised value" with an SRP frame in its stack fails, with
# the stack.  constant-time.supp lists the documented declassification points.
# Takes about 10 s (compile) + 5 s (valgrind).
SCRIPT_NAME=bssl-constant-time
. "$(dirname "$0")/lib.sh"
TESTS=$ROOT/boringssl-patches/tests
DIST=$ROOT/build/boringssl/dist

for tool in valgrind g++; do
  command -v "$tool" >/dev/null || { skip constant-time "$tool not installed"; exit 0; }
done
if [ ! -f /usr/include/valgrind/memcheck.h ] || [ ! -f "$DIST/lib/libssl.a" ]; then
  skip constant-time "valgrind headers or the staged BoringSSL missing"
  exit 0
fi

harness=$TMPD/ct-harness
if ! g++ -std=c++17 -O1 -g -I"$DIST/include" "$TESTS/constant-time-harness.cc" \
      "$DIST/lib/libssl.a" "$DIST/lib/libcrypto.a" -lpthread -o "$harness" 2>"$TMPD/cc.log"; then
  fail constant-time/build "harness does not build: $(tail -5 "$TMPD/cc.log" | tr '\n' ' ')"
  exit 1
fi

timeout 300 valgrind -s --num-callers=30 --error-limit=no \
  --suppressions="$TESTS/constant-time.supp" "$harness" >"$TMPD/out" 2>"$TMPD/vg"
rc=$?
grep -q '^HARNESS-' "$TMPD/out" || fail constant-time/run "harness printed nothing (rc=$rc): $(tail -5 "$TMPD/vg" | tr '\n' ' ')"
while read -r status name rest; do
  if [ "$status" = HARNESS-PASS ]; then
    pass "constant-time/$name"
  else
    fail "constant-time/$name" "${rest#: }"
  fi
done < <(grep '^HARNESS-' "$TMPD/out")

# Secret-dependent branches or memory indices in the SRP code.
python3 "$ROOT/nss-patches/tests/ct-report.py" "$TMPD/vg" 'srp\.cc|ssl_srp_' >"$TMPD/report"
n=$(head -1 "$TMPD/report")
if [ "$n" -eq 0 ]; then
  pass constant-time/no-secret-dependent-branch
else
  fail constant-time/no-secret-dependent-branch "$n memcheck report(s) in the SRP code:"
  tail -n +2 "$TMPD/report"
fi

# Positive control: the secrets did reach the code.  A derives from a in both
# runs (the RFC vector's a and RAND_bytes' output), so its declassification
# point must have been reached twice.
used=$(sed -n 's/.*used_suppression: *\([0-9]*\) srp-public-A-leading-zeros .*/\1/p' "$TMPD/vg")
if [ "${used:-0}" -ge 2 ]; then
  pass constant-time/secrets-marked
else
  fail constant-time/secrets-marked "the A declassification point was reached ${used:-0} times, expected 2 (password/a not marked?)"
fi
[ "$FAILED" -eq 0 ]
