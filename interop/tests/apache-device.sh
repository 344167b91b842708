#!/bin/bash
# Apache httpd + mod_ssl TLS-SRP device: real handshakes with Debian's
# reference clients.  PASS/FAIL/SKIP lines (README.md, "Working on the project").
#
# Cases (expected outcome per reference client, "-" = client cannot):
#   success per suite x TLS version (2048-bit user), per group (AES-128, TLS 1.2),
#   wrong password, unknown user, missing SRP extension, fake-user mode,
#   device without SRP.
# WIDER_FULL=1 runs every suite x version x group; default is the subset.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEV=$ROOT/interop/devices/apache/device
RC=$ROOT/interop/tests/apache-refclient.sh
RUN=$ROOT/build/interop/apache/test.$$
mkdir -p "$ROOT/build/tmp"
export TMPDIR=$ROOT/build/tmp
fails=0
cleanup() {
    for m in srp fake nosrp; do "$DEV" stop "$RUN/$m" >/dev/null 2>&1; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v apache2 >/dev/null; then
    echo "SKIP apache-device: apache2 not installed (apt-get install apache2)"
    exit 0
fi

source "$ROOT/interop/tests/device-test-lib.sh"

start() { # MODE DIR
    local out
    out=$("$DEV" start "$RUN/$2" --mode "$1" 2>"$RUN.$2.err") || {
        echo "FAIL apache-start-$1: $(tail -3 "$RUN.$2.err" | tr '\n' ' ')"; fails=$((fails + 1)); return 1; }
    echo "${out#LISTENING }"
}

mkdir -p "$RUN"
t0=$(date +%s)
P=$(start srp srp) || exit 1
echo "PASS apache-start-srp (port $P)"

SUITES="TLS_SRP_SHA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_WITH_AES_256_CBC_SHA
TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA
TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA
TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA"
GROUP_BITS="1024 1536 2048 3072 4096 6144 8192"

# Expected outcome of a success cell, from the device's and the clients' limits.
expect_ok() { # CLIENT SUITE VERSION BITS
    case $2 in *3DES*)  # Debian's OpenSSL 3.0 (Apache, curl) has no SRP-3DES
        [ "$1" = curl ] && { echo error; return; }; echo alert:40; return ;; esac
    if [ "$1" = gnutls-cli ]; then
        [ "$4" = 6144 ] && { echo error; return; }   # gnutls-cli 3.7.9 rejects the 6144 group
        case $2 in *DSS*) [ "$3" = 1.2 ] && { echo alert:40; return; } ;; esac  # no DSA sigalgs in TLS 1.2
    fi
    echo ok
}

for c in gnutls-cli curl; do
    for s in $SUITES; do
        for v in 1.0 1.1 1.2; do
            [ "${WIDER_FULL:-0}" = 1 ] || [ "$v" = 1.2 ] || [ "$s" = TLS_SRP_SHA_WITH_AES_128_CBC_SHA ] || continue
            check "apache-$c-$s-tls$v-2048" "$(expect_ok $c $s $v 2048)" $c "$P" "$s" "$v" user2048 pass-2048
        done
    done
    for b in $GROUP_BITS; do
        [ "$b" = 2048 ] && continue
        check "apache-$c-group$b" "$(expect_ok $c TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "$b")" $c "$P" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "user$b" "pass-$b"
    done
    check "apache-$c-wrong-password" alert:20 $c "$P" any 1.2 user2048 wrong-password
    check "apache-$c-unknown-user" alert:115 $c "$P" any 1.2 nosuchuser whatever
done
# /status reports the negotiated session (the lab's admin-device schema).
st=$(timeout 30 curl -sS -k --tlsauthtype SRP --tlsuser user3072 --tlspassword pass-3072 --tlsv1.1 --tls-max 1.1 \
    --ciphers 'SRP-RSA-AES-128-CBC-SHA:@SECLEVEL=0' "https://127.0.0.1:$P/status" 2>&1)
case $st in
*'"srp_user":"user3072","suite":"TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA","tls_version":"1.1","group_bits":3072}'*)
    echo "PASS apache-status-confirms-session" ;;
*) echo "FAIL apache-status-confirms-session: $st"; fails=$((fails + 1)) ;;
esac
check "apache-openssl-missing-srp-extension" alert:115 openssl "$P" any 1.2 - ""
# The access log names the SRP user, protocol and cipher of each request.
if grep -q 'srp_user=user2048' "$RUN/srp/access.log" && grep -q 'proto=TLSv1.2 cipher=SRP-' "$RUN/srp/access.log"; then
    echo "PASS apache-access-log-srp-user"
else echo "FAIL apache-access-log-srp-user: no SRP user in access.log"; fails=$((fails + 1)); fi
"$DEV" stop "$RUN/srp"

if P=$(start fake-users fake); then
    echo "PASS apache-start-fake-users"
    for c in gnutls-cli curl; do
        check "apache-fake-users-$c-unknown-user" alert:20 $c "$P" any 1.2 nosuchuser whatever
        check "apache-fake-users-$c-wrong-password" alert:20 $c "$P" any 1.2 user2048 wrong-password
        check "apache-fake-users-$c-success" ok $c "$P" any 1.2 user2048 pass-2048
    done
    "$DEV" stop "$RUN/fake"
fi
if P=$(start no-srp nosrp); then
    for c in gnutls-cli curl; do
        check "apache-no-srp-$c" alert:40 $c "$P" any 1.2 user2048 pass-2048
    done
    check "apache-no-srp-openssl-missing-extension" alert:40 openssl "$P" any 1.2 - ""
    "$DEV" stop "$RUN/nosrp"
fi
# Nothing left behind.
sleep 0.5
if pgrep -f "apache2 -f $RUN/" >/dev/null; then
    echo "FAIL apache-no-leftover: $(pgrep -af "apache2 -f $RUN/" | head -2)"; fails=$((fails + 1))
else echo "PASS apache-no-leftover"; fi
echo "# apache-device: $(($(date +%s) - t0))s" >&2
rm -rf "$RUN" "$RUN".*.err
[ $fails -eq 0 ]
