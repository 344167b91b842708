#!/bin/bash
# The srp_client fuzzer (make boringssl-fuzz) on its seed corpus: every seed, recorded from
# the lab, completes an SRP handshake in the fuzzed client or (fail-*, hostile-*) ends in the
# SRP error it was recorded for; a seed whose SRP prime is altered fails in the SRP group
# check (so the inputs do reach the SRP code); then a short fuzzing run (FUZZ_SHORT_SECONDS,
# default 45) finds no crash, leak or timeout and covers the SRP ServerKeyExchange parser.
# Prints PASS/FAIL lines; exits non-zero on any FAIL.
SCRIPT_NAME=bssl-fuzz-short
. "$(dirname "$0")/lib.sh"
FUZZER=$ROOT/build/fuzz/boringssl/bin/srp_client
SEEDS=$ROOT/boringssl-patches/fuzz/srp_client_corpus

if [ ! -x "$FUZZER" ]; then
  fail "$SCRIPT_NAME" "no $FUZZER (make boringssl-fuzz)"
  exit 1
fi

# replay FILE: run one input with the fuzzer's debug output, into $TMPD/replay.log.
replay() {
  BORINGSSL_FUZZER_DEBUG=1 timeout 60 "$FUZZER" "$1" > "$TMPD/replay.log" 2>&1
}

for seed in "$SEEDS"/*; do
  name=bssl-fuzz-seed-$(basename "$seed")
  # Seeds that end in a fatal alert (fail-*: the server's; hostile-*: ours) and the SRP
  # reason they must produce; the others complete the handshake.
  case $(basename "$seed") in
    fail-*) reason=SRP_CREDENTIALS_REJECTED ;;
    hostile-b-*) reason=SRP_BAD_SERVER_PARAMETERS ;;
    hostile-n-*) reason=SRP_GROUP_NOT_ACCEPTABLE ;;
    *) reason= ;;
  esac
  replay "$seed"
  rc=$?
  if [ $rc -ne 0 ]; then
    fail "$name" "fuzzer exit $rc: $(grep -m1 -E 'ERROR|error' "$TMPD/replay.log")"
  elif [ -n "$reason" ]; then
    if grep -q "$reason" "$TMPD/replay.log"; then
      pass "$name"
    else
      fail "$name" "no $reason: $(grep -m1 ':error:' "$TMPD/replay.log")"
    fi
  elif grep -q -E 'Handshake failed|Error parsing' "$TMPD/replay.log"; then
    fail "$name" "handshake did not complete: $(grep -m1 -E ':error:' "$TMPD/replay.log")"
  else
    pass "$name"
  fi
done

# Flip the last byte of N in the ServerKeyExchange of the 2048-bit seed.
python3 - "$SEEDS/srp-aes256-tls12-2048" "$TMPD/bad-group" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
pos = 2  # after kDataTag
while pos + 5 <= len(data):
    ctype, _, length = struct.unpack_from("!BHH", data, pos)
    body = pos + 5
    if ctype == 22 and data[body] == 12:  # ServerKeyExchange in one record
        n_len = struct.unpack_from("!H", data, body + 4)[0]
        data[body + 6 + n_len - 1] ^= 1
        break
    pos = body + length
else:
    sys.exit("no ServerKeyExchange record")
open(sys.argv[2], "wb").write(data)
PY
replay "$TMPD/bad-group"
if grep -q SRP_GROUP_NOT_ACCEPTABLE "$TMPD/replay.log"; then
  pass bssl-fuzz-seed-altered-prime-rejected
else
  fail bssl-fuzz-seed-altered-prime-rejected "no SRP_GROUP_NOT_ACCEPTABLE: $(grep -m1 ':error:' "$TMPD/replay.log")"
fi

seconds=${FUZZ_SHORT_SECONDS:-45}
FUZZ_RUNS_DIR=$TMPD/runs "$ROOT/boringssl-patches/fuzz/run" "$seconds" srp_client > "$TMPD/run.out" 2>&1
rc=$?
sed 's/^/  /' "$TMPD/run.out"
if [ $rc -ne 0 ]; then
  fail "bssl-fuzz-srp_client-${seconds}s" "$(grep -m1 -E 'FAILED|run:' "$TMPD/run.out")"
elif ! grep -q -E '^ +[1-9][0-9]*/[0-9]+ edges +ssl_srp_parse_server_params ' "$TMPD/run.out"; then
  fail "bssl-fuzz-srp_client-${seconds}s" "no coverage of ssl_srp_parse_server_params reported"
else
  pass "bssl-fuzz-srp_client-${seconds}s"
fi
[ "$FAILED" -eq 0 ]
