#!/bin/bash
# Self-test of the grader: deliberately broken fake clients (clients/_fake) must be
# caught.  Prints PASS/FAIL lines (make check).  Reports go to build/hostile/selftest/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/hostile/selftest
mkdir -p "$out" "$root/build/tmp"
fails=0
# check NAME MODE SCENARIO EXPECTED-VERDICT WHY-SUBSTRING [hostile.py options]
check() {
    local name=$1 mode=$2 scen=$3 want=$4 why=$5
    shift 5
    HOSTILE_FAKE_MODE=$mode timeout -k 5 120 python3 "$here/hostile.py" --client "fake-$mode=$here/clients/_fake" \
        --scenario "$scen" --out "$out" "$@" >"$out/$name.log" 2>&1
    local got
    got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"][0]; print(r["verdict"] + "\t" + r.get("why", ""))' \
        "$out/results.json" 2>/dev/null)
    if [ "${got%%$'\t'*}" = "$want" ] && [[ "${got#*$'\t'}" == *"$why"* ]]; then
        echo "PASS hostile/selftest/$name"
    else
        echo "FAIL hostile/selftest/$name: wanted $want ($why), got: ${got:-no result} (log $out/$name.log)"
        fails=$((fails + 1))
    fi
}
check naive-control-passes naive control-srp PASS "ClientKeyExchange"
check naive-b-zero-caught naive b-zero FAIL "did not reject"
check naive-rsa-caught naive bad-rsa-signature FAIL "did not reject"
check hang-caught hang b-zero FAIL "hang" --client-timeout 6 --server-wait 3
check loop-caught loop psk-identity-every-conn FAIL "the client loops"
check crash-caught crash b-zero FAIL "crashed (signal 11)"
check mute-caught mute missing-ske FAIL "expected unexpected_message, got closed"
[ $fails -eq 0 ]
