#!/bin/bash
# Botan 2.19 TLS-SRP device: real handshakes with Debian's reference clients.
# PASS/FAIL/SKIP lines (README.md, "Working on the project").
#
# One instance serves all nine suites, TLS 1.0-1.2 and all seven groups; a
# fake-users instance (Policy::hide_unknown_users) and a no-SRP instance.
# Botan's premaster-padding defect makes ~1/172 (2048-bit group) handshakes
# fail with bad_record_mac: a success cell that fails is re-checked against
# the device log and counted as PASS only when the log proves a leading zero
# byte in the premaster (botan-failure-rate.sh measures the rate).
# WIDER_FULL=1 runs every suite x version x group; default is the subset.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEV=$ROOT/interop/devices/botan/device
RC=$ROOT/interop/tests/apache-refclient.sh
RUN=$ROOT/build/interop/botan/test.$$
mkdir -p "$ROOT/build/tmp"
export TMPDIR=$ROOT/build/tmp
fails=0
INSTANCES="srp fake nosrp"
cleanup() {
    for m in $INSTANCES; do "$DEV" stop "$RUN/$m" >/dev/null 2>&1; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! pkg-config --exists botan-2 2>/dev/null; then
    echo "SKIP botan-device: libbotan-2-dev not installed"
    exit 0
fi

check() { # NAME EXPECTED CLIENT PORT SUITE VERSION USER PASSWORD [LOG]
    local name=$1 exp=$2 out got kl cr
    kl=$RUN/keylog
    : >"$kl"
    out=$(SSLKEYLOGFILE=$kl SRP_PASSWORD=$8 "$RC" "$3" "$4" "$5" "$6" "$7")
    got=${out#outcome=}; got=${got%% *}
    if [ "$got" = "$exp" ]; then echo "PASS $name ($got)"; return; fi
    # The known peer defect: proven by the premaster's leading zero byte.
    cr=$(awk '$1 == "CLIENT_RANDOM" { print $2; exit }' "$kl")
    if [ "$exp" = ok ] && [ "$got" = alert:20 ] && [ -n "$cr" ] && [ -n "${9:-}" ] &&
        grep -q "client_random=$cr .*pms0=00 " "$9"; then
        echo "PASS $name (alert:20: Botan premaster-padding defect, leading zero byte proven in the device log)"
        return
    fi
    echo "FAIL $name: expected $exp, got $out"; fails=$((fails + 1))
}

start() { # NAME ARGS...
    local n=$1 out
    shift
    out=$("$DEV" start "$RUN/$n" "$@" 2>"$RUN.$n.err") || {
        echo "FAIL botan-start-$n: $(tail -3 "$RUN.$n.err" | tr '\n' ' ')" >&2; return 1; }
    echo "${out#LISTENING }"
}

mkdir -p "$RUN"
t0=$(date +%s)
if P=$(start srp) && P_FAKE=$(start fake --mode fake-users) && P_NO=$(start nosrp --mode no-srp); then
    echo "PASS botan-start (3 instances)"
else
    echo "FAIL botan-start: $(cat "$RUN".*.err | tail -5 | tr '\n' ' ')"; exit 1
fi
LOG=$RUN/srp/device.log

SUITES="TLS_SRP_SHA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_WITH_AES_256_CBC_SHA TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA
TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA
TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA"
GROUP_BITS="1024 1536 2048 3072 4096 6144 8192"

expect_ok() { # CLIENT SUITE VERSION BITS
    case $2 in *3DES*) [ "$1" = curl ] && { echo error; return; } ;; esac   # Debian's OpenSSL: no SRP-3DES
    if [ "$1" = gnutls-cli ]; then
        [ "$4" = 6144 ] && { echo error; return; }     # gnutls-cli 3.7.9 rejects the 6144 group
        case $2 in *DSS*) [ "$3" = 1.2 ] && { echo alert:40; return; } ;; esac  # no DSA sigalgs offered
    fi
    echo ok
}

for c in gnutls-cli curl; do
    for s in $SUITES; do
        for v in 1.0 1.1 1.2; do
            [ "${WIDER_FULL:-0}" = 1 ] || [ "$v" = 1.2 ] || [ "$s" = TLS_SRP_SHA_WITH_AES_128_CBC_SHA ] || continue
            check "botan-$c-$s-tls$v-2048" "$(expect_ok $c $s $v 2048)" $c "$P" "$s" "$v" user2048 pass-2048 "$LOG"
        done
    done
    for b in $GROUP_BITS; do
        [ "$b" = 2048 ] && continue
        check "botan-$c-group$b" "$(expect_ok $c TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "$b")" $c "$P" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "user$b" "pass-$b" "$LOG"
    done
    check "botan-$c-wrong-password" alert:20 $c "$P" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 user2048 wrong-password
    check "botan-$c-unknown-user" alert:115 $c "$P" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 nosuchuser whatever
    check "botan-fake-users-$c-unknown-user" alert:20 $c "$P_FAKE" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 nosuchuser whatever
    check "botan-fake-users-$c-success" ok $c "$P_FAKE" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 user2048 pass-2048 "$RUN/fake/device.log"
    check "botan-no-srp-$c" alert:40 $c "$P_NO" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 user2048 pass-2048
done
# /status reports the negotiated session (the lab's admin-device schema).
# Up to 3 tries: a handshake can hit the premaster-padding defect (~0.6%).
for try in 1 2 3; do
st=$(timeout 30 curl -sS -k --tlsauthtype SRP --tlsuser user3072 --tlspassword pass-3072 --tlsv1.1 --tls-max 1.1 \
    --ciphers 'SRP-RSA-AES-128-CBC-SHA:@SECLEVEL=0' "https://127.0.0.1:$P/status" 2>&1)
case $st in *bad_record_mac* | *"bad record mac"*) continue ;; esac
break
done
case $st in
*'"srp_user":"user3072","suite":"TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA","tls_version":"1.1","group_bits":3072}'*)
    echo "PASS botan-status-confirms-session" ;;
*) echo "FAIL botan-status-confirms-session: $st"; fails=$((fails + 1)) ;;
esac
check "botan-openssl-missing-srp-extension" alert:115 openssl "$P" any 1.2 - ""
if grep -q 'HS client_random=.* user=user2048 version=TLS v1.2 suite=SRP_SHA_WITH_AES_128_CBC_SHA n_bytes=256 pms_len=256 ' "$LOG"; then
    echo "PASS botan-log-premaster-evidence"
else echo "FAIL botan-log-premaster-evidence: no HS line with the premaster length"; fails=$((fails + 1)); fi
cleanup
sleep 0.3
left=$(pgrep -f "srp-device-botan --users $RUN/")
if [ -n "$left" ]; then echo "FAIL botan-no-leftover: pids $left"; fails=$((fails + 1))
else echo "PASS botan-no-leftover"; fi
echo "# botan-device: $(($(date +%s) - t0))s" >&2
rm -rf "$RUN" "$RUN".*.err
[ $fails -eq 0 ]
