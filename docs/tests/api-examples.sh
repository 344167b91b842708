#!/bin/bash
# api-examples.sh - the API examples of docs/api-nss.md and docs/api-boringssl.md
# compile against the STAGED patched libraries and fetch a page from a lab
# TLS-SRP device; a wrong password must fail cleanly.
#
# Per library: <lib>-compile, <lib>-fetch, <lib>-wrong-password.  A missing
# staged library, a library without the SRP API yet, or a lab device that
# cannot be started give SKIP with the reason; nothing PASSes without having
# run the example against the device.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. docs/tests/lab-device.sh
TMP=$ROOT/build/tmp/docs-examples
rm -rf "$TMP"; mkdir -p "$TMP"
LAB=$TMP/lab
USER_NAME=docs
PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
failed=0
trap 'lab_device_stop "$LAB"' EXIT

pass() { echo "PASS $1"; }
skip() { echo "SKIP $1: $2"; }
fail() { echo "FAIL $1: $2"; failed=1; }

device_ready=
device_reason=
ensure_device() {
    [ -n "$device_ready" ] && return 0
    [ -n "$device_reason" ] && return 1
    if lab_device_start "$LAB" "$USER_NAME" 2048 < <(printf '%s\n' "$PASSWORD") > "$TMP/lab-start.log"; then
        device_ready=1
        return 0
    fi
    device_reason=$(tail -1 "$TMP/lab-start.log")
    device_reason=${device_reason:-lab device did not start}
    return 1
}

# run_example LIB BINARY [env...]: fetch + wrong password against the device
run_example() {
    local lib=$1 bin=$2 out err rc
    if ! ensure_device; then
        skip "api-example-$lib-fetch" "$device_reason"
        skip "api-example-$lib-wrong-password" "$device_reason"
        return
    fi
    out=$TMP/$lib.out err=$TMP/$lib.err
    timeout 60 "$bin" 127.0.0.1 "$LAB_PORT" "$USER_NAME" /status > "$out" 2> "$err" < <(printf '%s\n' "$PASSWORD")
    rc=$?
    if [ $rc -eq 0 ] && grep -q "srp-authenticated=yes srp-user=$USER_NAME group-bits=2048 suite=TLS_SRP_SHA_WITH_AES_" "$err" &&
       grep -q '^HTTP/1\.[01] 200' "$out" && grep -q "\"srp_user\":\"$USER_NAME\"" "$out"; then
        pass "api-example-$lib-fetch"
    else
        fail "api-example-$lib-fetch" "exit $rc; stderr: $(tr '\n' ' ' < "$err" | cut -c1-200); stdout: $(head -c 200 "$out" | tr '\n' ' ')"
    fi
    timeout 60 "$bin" 127.0.0.1 "$LAB_PORT" "$USER_NAME" /status > "$out" 2> "$err" < <(printf '%s\n' "wrong-$PASSWORD")
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 124 ] && ! grep -q '^HTTP/' "$out" && [ -s "$err" ] &&
       ! grep -q "$PASSWORD" "$err"; then
        pass "api-example-$lib-wrong-password"
    else
        fail "api-example-$lib-wrong-password" "exit $rc (want a clean non-zero exit, no page, an error message without the password); stderr: $(tr '\n' ' ' < "$err" | cut -c1-200)"
    fi
}

# skip_all LIB REASON: SKIP every case of LIB's example.
skip_all() {
    local t
    for t in compile fetch wrong-password; do skip "api-example-$1-$t" "$2"; done
}

# compile_failed LIB: FAIL LIB-compile with the start of $TMP/LIB-compile.log; SKIP the rest.
compile_failed() {
    fail "api-example-$1-compile" "$(head -5 "$TMP/$1-compile.log" | tr '\n' ' ' | cut -c1-300)"
    skip "api-example-$1-fetch" "did not compile"
    skip "api-example-$1-wrong-password" "did not compile"
}

# --- NSS ---------------------------------------------------------------
NSS=${DOCS_NSS_DIST:-build/nss/dist}   # override only to try an unstaged build by hand
if [ ! -f $NSS/include/nss/ssl.h ] || [ ! -d $NSS/lib ]; then
    skip_all nss "patched NSS not staged ($NSS/include/nss/ssl.h missing; run make)"
elif ! grep -q SSL_SetSRPClientCredentials $NSS/include/nss/ssl.h; then
    skip_all nss "staged NSS has no SSL_SetSRPClientCredentials (SRP patches not in the build yet)"
elif ! cc -Wall -o "$TMP/nss_srp_get" docs/examples/nss_srp_get.c -I$NSS/include/nss -I$NSS/include/nspr \
        -L$NSS/lib -Wl,-rpath,"$(cd $NSS/lib && pwd)" -lssl3 -lnss3 -lnssutil3 -lplc4 -lplds4 -lnspr4 \
        > "$TMP/nss-compile.log" 2>&1; then
    compile_failed nss
else
    pass "api-example-nss-compile"
    # LD_LIBRARY_PATH, not only the rpath: a DT_RUNPATH does not apply to the
    # dependencies of libnss3, which would then come from the system NSS.
    LD_LIBRARY_PATH="$(cd $NSS/lib && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" run_example nss "$TMP/nss_srp_get"
fi

# --- BoringSSL -----------------------------------------------------------
BSSL=${DOCS_BORINGSSL_DIST:-build/boringssl/dist}
if [ ! -f $BSSL/include/openssl/ssl.h ] || [ ! -f $BSSL/lib/libssl.a ]; then
    skip_all boringssl "patched BoringSSL not staged ($BSSL/lib/libssl.a missing; run make)"
elif ! grep -q SSL_CTX_set_srp_client_credentials $BSSL/include/openssl/ssl.h; then
    skip_all boringssl "staged BoringSSL has no SSL_CTX_set_srp_client_credentials (SRP patches not in the build yet)"
elif ! { cc -Wall -c -o "$TMP/boringssl_srp_get.o" docs/examples/boringssl_srp_get.c -I$BSSL/include &&
         c++ -o "$TMP/boringssl_srp_get" "$TMP/boringssl_srp_get.o" $BSSL/lib/libssl.a $BSSL/lib/libcrypto.a -lpthread; } \
        > "$TMP/boringssl-compile.log" 2>&1; then
    compile_failed boringssl
else
    pass "api-example-boringssl-compile"
    run_example boringssl "$TMP/boringssl_srp_get"
fi

exit $failed
