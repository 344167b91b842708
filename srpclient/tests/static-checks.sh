#!/bin/bash
# Static checks on the built binary: linkage (no OpenSSL libssl, BoringSSL
# symbols not exported, NSS from our tree), help and man page cover every option.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
BIN=build/bin/srpclient
FAILS=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }
[ -x "$BIN" ] || { fail static/binary "$BIN missing"; exit 1; }

L=$(ldd "$BIN" 2>&1)
if printf '%s\n' "$L" | grep -q 'libssl\.so\.3'; then fail static/no-openssl-libssl "libssl.so.3 linked"
else pass static/no-openssl-libssl; fi
if printf '%s\n' "$L" | grep -q 'not found'; then fail static/ldd-resolves "$(printf '%s\n' "$L" | grep 'not found' | head -2)"
else pass static/ldd-resolves; fi
if "$BIN" --tls-backend nss https://x.invalid/ 2>&1 | grep -q "backend 'nss' not built"; then
    skip static/nss-from-our-tree "NSS backend not built"
elif realpath "$(printf '%s\n' "$L" | awk '$1 == "libssl3.so" { print $3 }')" | grep -q "^$(realpath "$ROOT")/build/nss/"; then
    pass static/nss-from-our-tree
else fail static/nss-from-our-tree "$(printf '%s\n' "$L" | grep libssl3)"; fi
# nothing but libc-style entry points exported: no SSL_/BN_/EVP_... from BoringSSL
EXP=$(nm -D --defined-only "$BIN" 2>/dev/null | awk '{ print $3 }' | grep -E '^(SSL|BN|EVP|ERR|CRYPTO|OPENSSL|X509|RSA|SHA|HMAC|RAND|BIO|EC|DH)_' | head -5)
if [ -n "$EXP" ]; then fail static/no-exported-crypto-symbols "$EXP"
else pass static/no-exported-crypto-symbols; fi
if "$BIN" --tls-backend boringssl https://x.invalid/ 2>&1 | grep -q "backend 'boringssl' not built"; then
    skip static/boringssl-symbols-local "BoringSSL backend not built"
else
    # BoringSSL is in the binary, but only as local symbols
    if nm "$BIN" | grep -qE ' [tT] SSL_set_srp_client_credentials$' &&
        ! nm "$BIN" | grep -qE ' T SSL_set_srp_client_credentials$'; then pass static/boringssl-symbols-local
    else fail static/boringssl-symbols-local "$(nm "$BIN" | grep -E 'SSL_set_srp_client_credentials' | head -2)"; fi
fi
# every long option appears in --help and in the man page
OPTS=$(grep -oE '^  \{"[a-z0-9.-]+"' srpclient/src/options.c | sed 's/.*"\(.*\)"/\1/')
H=$("$BIN" --help)
miss_h= miss_m=
MAN=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' srpclient/srpclient.1 2>/dev/null)
for o in $OPTS; do
    printf '%s' "$H" | grep -q -- "--$o" || miss_h="$miss_h $o"
    printf '%s' "$MAN" | grep -q -- "--$o" || miss_m="$miss_m $o"
done
[ -z "$miss_h" ] && pass static/help-covers-options || fail static/help-covers-options "missing:$miss_h"
[ -z "$miss_m" ] && pass static/man-covers-options || fail static/man-covers-options "missing:$miss_m"
for c in 0 2 4 6 7 22 23 28 35 47 67 100 101 102 103 104; do
    printf '%s' "$MAN" | grep -q "^\.IP $c\$" || miss_c="${miss_c-} $c"
done
[ -z "${miss_c-}" ] && pass static/man-covers-exit-codes || fail static/man-covers-exit-codes "missing:$miss_c"
if command -v man >/dev/null; then
    W=$(MANWIDTH=80 man -l srpclient/srpclient.1 2>&1 >/dev/null | grep -v '^$' | head -3)
    [ -z "$W" ] && pass static/man-renders || fail static/man-renders "$W"
else skip static/man-renders "man not installed"; fi
[ $FAILS = 0 ]
