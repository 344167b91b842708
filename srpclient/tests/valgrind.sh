#!/bin/bash
# srpclient under valgrind memcheck: one full login (TLS-SRP handshake with the 2048-bit
# group, HTTP 200) per TLS backend against a lab device (interop/run-matrix --lab,
# admin-gnutls). Passes when the login succeeds with no memcheck error and no definite or
# indirect leak; the PASS line carries the figures. Credentials through the environment,
# never argv. No suppressions: NSS, NSPR, GnuTLS and libcurl-gnutls need none here.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
BIN=${SRPCLIENT_BIN:-$ROOT/build/bin/srpclient}
BACKENDS=${SRPCLIENT_BACKENDS:-nss boringssl}
FAILS=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }

[ -x "$BIN" ] || { fail valgrind/binary "$BIN missing (make srpclient)"; exit 1; }
command -v valgrind >/dev/null || { fail valgrind/tool "valgrind not installed (srpclient/packages.txt)"; exit 1; }
if readelf --dyn-syms -W "$BIN" | grep -q ' __asan_init'; then
    skip "valgrind/*" "$BIN is the ASan build (make SANITIZE=1): valgrind needs the regular one"
    exit 0
fi
mkdir -p build/tmp
T=$(mktemp -d "$ROOT/build/tmp/srpclient-valgrind.XXXXXX")
LAB=
cleanup() {
    if [ -n "$LAB" ]; then # run-matrix stops its devices on SIGTERM
        kill "$LAB" 2>/dev/null
        wait "$LAB" 2>/dev/null
    fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- the lab device: run-matrix prints one JSON object (ports, users file), then waits
timeout 900 interop/run-matrix --lab --devices admin-gnutls --lab-seconds 600 \
    --out "$T/lab" >"$T/lab.json" 2>"$T/lab.log" &
LAB=$!
for _ in $(seq 600); do # bounded: 60 s
    grep -q '^}' "$T/lab.json" 2>/dev/null && break
    kill -0 "$LAB" 2>/dev/null || break
    sleep 0.1
done
eval "$(python3 - "$T/lab.json" <<'PY' 2>/dev/null
import json, shlex, sys
lab = json.load(open(sys.argv[1]))
user = json.load(open(lab["users"]))["users"]["2048"]
print("PORT=%s SRP_USER=%s SRP_PASSWORD=%s" % (lab["devices"]["admin-gnutls"]["srp"],
      shlex.quote(user["username"]), shlex.quote(user["password"])))
PY
)"
[ -n "${PORT-}" ] || { fail valgrind/lab "admin-gnutls did not start: $(tail -3 "$T/lab.log")"; exit 1; }

# one figure of memcheck's summary: valgrind_figure LOG 'definitely lost' -> bytes
valgrind_figure() {
    sed -n "s/.*== *$2: \([0-9,]*\) bytes.*/\1/p" "$1" | tr -d , | tail -1
}

for be in $BACKENDS; do
    name=valgrind/$be/full-login
    log=$T/valgrind-$be.log
    start=$(date +%s)
    SRPCLIENT_USER=$SRP_USER SRPCLIENT_PASSWORD=$SRP_PASSWORD \
        timeout -k 5 300 valgrind --tool=memcheck --leak-check=full \
        --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=97 --num-callers=40 --track-origins=yes \
        --log-file="$log" \
        "$BIN" --tls-backend "$be" --no-prompt -m 240 --report "$T/report-$be.json" \
        -o "$T/body-$be" "https://127.0.0.1:$PORT/" </dev/null >/dev/null 2>"$T/err-$be"
    rc=$?
    secs=$(($(date +%s) - start))
    if grep -q "TLS backend '$be' not built" "$T/err-$be"; then
        skip "$name" "$(head -1 "$T/err-$be")"
        continue
    fi
    read -r code suite bits < <(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(d.get("http_code"), d.get("cipher_suite"), d.get("group_bits"))' "$T/report-$be.json" 2>/dev/null)
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d , | tail -1)
    if grep -q 'All heap blocks were freed' "$log"; then
        leaks="no leaks possible"
    else
        leaks="definitely lost $(valgrind_figure "$log" 'definitely lost') B, indirectly lost"
        leaks+=" $(valgrind_figure "$log" 'indirectly lost') B, possibly lost"
        leaks+=" $(valgrind_figure "$log" 'possibly lost') B, still reachable"
        leaks+=" $(valgrind_figure "$log" 'still reachable') B"
    fi
    suppressed=$(sed -n 's/.*ERROR SUMMARY: .*suppressed: \([0-9,]*\) from.*/\1/p' "$log" | tr -d , | tail -1)
    figures="${errors:-?} errors, $leaks, ${suppressed:-0} suppressed; ${secs}s"
    if [ $rc = 0 ] && [ "$code" = 200 ] && [[ $suite == TLS_SRP_* ]] && [ "$errors" = 0 ]; then
        pass "$name ($suite, ${bits}-bit group, HTTP 200; $figures)"
    elif [ $rc = 97 ] || [ "${errors:-1}" != 0 ]; then
        fail "$name" "memcheck: $figures; first: $(grep -m1 -A4 -E '== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in)' "$log" |
            sed 's/^==[0-9]*== *//' | tr '\n' ' ' | cut -c1-400)"
        cp "$log" "build/tmp/srpclient-valgrind-$be.log" && echo "  full log: build/tmp/srpclient-valgrind-$be.log"
    else
        fail "$name" "rc $rc, HTTP ${code:-none}, ${suite:-no} suite under valgrind ($figures): $(tail -1 "$T/err-$be")"
    fi
    grep -qF -- "$SRP_PASSWORD" "$log" "$T/err-$be" &&
        fail "valgrind/$be/no-password-in-log" "the password appears in the valgrind log or stderr"
done
[ $FAILS = 0 ]
