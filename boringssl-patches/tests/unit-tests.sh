#!/bin/bash
# BoringSSL's own ssl_test and crypto_test, with the SRP series applied: the new SRP
# cases (SRPTest.*) and every existing test still pass.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/boringssl/dist/bin
mkdir -p "$top/build/tmp"
fails=0
for t in ssl_test crypto_test; do
  if [ ! -x "$bin/$t" ]; then echo "SKIP boringssl/$t: $bin/$t not built (make boringssl)"; continue; fi
  log=$top/build/tmp/boringssl-$t.log
  start=$(date +%s)
  if (cd "$top/build/boringssl" && timeout 900 "$bin/$t" > "$log" 2>&1); then
    echo "PASS boringssl/$t: $(grep -E '^\[  PASSED  \]' "$log" | head -1) ($(( $(date +%s) - start ))s)"
  else
    echo "FAIL boringssl/$t: $(grep -E '^\[  FAILED  \]|FAILED' "$log" | head -3 | tr '\n' ' ') (log $log)"
    fails=1
  fi
done
exit $fails
