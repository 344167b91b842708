#!/bin/bash
# Default off: a tstclnt that does not use the new options sends the same
# ClientHello with the patches as without them (same version, suites,
# compression, extensions and extension bodies; only the per-connection
# random values - random, session id, key_share public keys - are masked).
# Unpatched NSS comes from build/nss-pristine (make nss-pristine, a cached build).
# A control case checks that enabling SRP does change the ClientHello.
# Takes a few seconds.
. "$(dirname "$0")/lib.sh"

find_nss || { skip default-off-clienthello "patched NSS not built"; exit 0; }
PRISTINE=${NSS_PRISTINE_DIR:-$ROOT/build/nss-pristine}
if [ ! -x "$PRISTINE/bin/tstclnt" ]; then
    skip default-off-clienthello "no unpatched NSS in $PRISTINE (run make nss-pristine)"
    exit 0
fi
work=$(mktemp -d "$TMPBASE/nssp-ch.XXXXXX")
trap 'cleanup_pids; rm -rf "$work"' EXIT
printf 'GET / HTTP/1.0\r\n\r\n' > "$work/req"

# capture LABEL LIBDIR TSTCLNT ARGS...
capture() {
    local label=$1 lib=$2 bin=$3 port
    shift 3
    rm -f "$work/port"
    python3 "$NSSP_TESTS/clienthello.py" capture "$work/port" "$work/$label.bin" &
    local cpid=$!
    PIDS+=("$cpid")
    for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    port=$(cat "$work/port" 2>/dev/null)
    [ -n "$port" ] || return 1
    LD_LIBRARY_PATH=$lib timeout 20 "$bin" -h 127.0.0.1 -p "$port" -D -o -A "$work/req" "$@" \
        > /dev/null 2>&1 < /dev/null
    wait "$cpid" || return 1
    python3 "$NSSP_TESTS/clienthello.py" normalise "$work/$label.bin" > "$work/$label.txt"
}

compare() { # name ARGS...
    local name=$1
    shift
    if ! capture "$name.pristine" "$PRISTINE/lib" "$PRISTINE/bin/tstclnt" "$@" ||
        ! capture "$name.patched" "$NSS_LIB" "$TSTCLNT" "$@"; then
        fail "default-off/$name" "could not capture both ClientHellos"
        return
    fi
    if cmp -s "$work/$name.pristine.txt" "$work/$name.patched.txt"; then
        pass "default-off/$name ($(grep -c '^extension' "$work/$name.patched.txt") extensions, $(awk '/^cipher_suites/ { print NF - 1 }' "$work/$name.patched.txt") suites, $(stat -c %s "$work/$name.patched.bin") bytes)"
    else
        fail "default-off/$name" "$(diff "$work/$name.pristine.txt" "$work/$name.patched.txt" | head -4 | tr '\n' ' ')"
    fi
}

compare default
compare tls12-only -V tls1.2:tls1.2
compare tls10-13-tickets -V tls1.0:tls1.3 -u
compare cipher-list -c :C02F:C030:C013:002F
compare tls13-only -V tls1.3:tls1.3

# Control: the comparison does see SRP when it is enabled.
capture control.patched "$NSS_LIB" "$TSTCLNT" -V tls1.2:tls1.2 --srp-user alice \
    --srp-password-file <(echo secret) &&
    capture control.pristine "$PRISTINE/lib" "$PRISTINE/bin/tstclnt" -V tls1.2:tls1.2
if grep -q '^extension 12 05616c696365$' "$work/control.patched.txt" &&
    grep '^cipher_suites' "$work/control.patched.txt" | grep -q 'c01d' &&
    ! grep -q 'c01d' "$work/control.pristine.txt"; then
    pass "default-off/control-srp-enabled-differs"
else
    fail "default-off/control-srp-enabled-differs" "SRP suites/extension not seen when enabled"
fi
finish
