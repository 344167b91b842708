#!/bin/bash
# Erlang/OTP 25 ssl TLS-SRP device: real handshakes with Debian's reference
# clients.  PASS/FAIL/SKIP lines (HELPERS.md protocol).
#
# Instances (OTP limits, see interop/devices/erlang/device):
#   rsa      RSA certificate, TLS 1.0-1.2: SRP + SRP-RSA AES suites, SRP 3DES
#   dss      DSA certificate only (OTP 25 always sends the first certs_keys
#            certificate, so SRP-DSS needs its own instance)
#   tls11    RSA certificate, TLS 1.0-1.1: SRP-RSA 3DES (absent when TLS 1.2 is on)
#   u115     unknown users answered with unknown_psk_identity (#alert{} from
#            the lookup fun) instead of OTP's default illegal_parameter
#   no-srp   device without SRP
# WIDER_FULL=1 runs every suite x version x group; default is the subset.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEV=$ROOT/interop/devices/erlang/device
RC=$ROOT/interop/tests/apache-refclient.sh
RUN=$ROOT/build/interop/erlang/test.$$
mkdir -p "$ROOT/build/tmp"
export TMPDIR=$ROOT/build/tmp
fails=0
INSTANCES="rsa dss tls11 dss11 u115 nosrp"
cleanup() {
    for m in $INSTANCES; do "$DEV" stop "$RUN/$m" >/dev/null 2>&1; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v escript >/dev/null; then
    echo "SKIP erlang-device: escript not installed (apt-get install erlang-base erlang-ssl erlang-crypto erlang-public-key erlang-asn1)"
    exit 0
fi

check() { # NAME EXPECTED CLIENT PORT SUITE VERSION USER PASSWORD
    local name=$1 exp=$2 out got
    out=$(SRP_PASSWORD=$8 "$RC" "$3" "$4" "$5" "$6" "$7")
    got=${out#outcome=}; got=${got%% *}
    if [ "$got" = "$exp" ]; then echo "PASS $name ($got)"
    else echo "FAIL $name: expected $exp, got $out"; fails=$((fails + 1)); fi
}

start() { # NAME ARGS...
    local n=$1 out
    shift
    out=$("$DEV" start "$RUN/$n" "$@" 2>"$RUN.$n.err") || {
        echo "FAIL erlang-start-$n: $(tail -3 "$RUN.$n.err" | tr '\n' ' ')" >&2; return 1; }
    echo "${out#LISTENING }"
}

mkdir -p "$RUN"
t0=$(date +%s)
ok=1
P_RSA=$(start rsa) && P_DSS=$(start dss --certs dsa) && P_11=$(start tls11 --versions 1.0,1.1) &&
    P_D11=$(start dss11 --certs dsa --versions 1.0,1.1) &&
    P_115=$(start u115 --unknown-user 115) && P_NO=$(start nosrp --mode no-srp) || ok=0
if [ $ok = 1 ]; then echo "PASS erlang-start (6 instances)"
else echo "FAIL erlang-start: $(cat "$RUN".*.err | tail -5 | tr '\n' ' ')"; exit 1; fi

SUITES="TLS_SRP_SHA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_WITH_AES_256_CBC_SHA TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA
TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA
TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA"
GROUP_BITS="1024 1536 2048 3072 4096 6144 8192"

# Which instance serves a suite at a TLS version, and the expected outcome.
port_for() { # SUITE VERSION
    case $1 in
    *RSA_WITH_3DES*) [ "$2" = 1.2 ] && echo "$P_RSA" || echo "$P_11" ;;
    *DSS_WITH_3DES*) [ "$2" = 1.2 ] && echo "$P_DSS" || echo "$P_D11" ;;
    *DSS*) echo "$P_DSS" ;;
    *) echo "$P_RSA" ;;
    esac
}
expect_ok() { # CLIENT SUITE VERSION BITS
    case $2 in
    *3DES*) [ "$1" = curl ] && { echo error; return; } # Debian's OpenSSL has no SRP-3DES
        case $2 in *RSA* | *DSS*) [ "$3" = 1.2 ] && { echo alert:71; return; } ;; esac ;;  # OTP: not with TLS 1.2
    esac
    if [ "$1" = gnutls-cli ]; then
        [ "$4" = 6144 ] && { echo error; return; }     # gnutls-cli 3.7.9 rejects the 6144 group
        case $2 in *DSS*) [ "$3" = 1.2 ] && { echo alert:71; return; } ;; esac  # no DSA sigalgs offered
    fi
    echo ok
}

for c in gnutls-cli curl; do
    for s in $SUITES; do
        for v in 1.0 1.1 1.2; do
            [ "${WIDER_FULL:-0}" = 1 ] || [ "$v" = 1.2 ] || [ "$s" = TLS_SRP_SHA_WITH_AES_128_CBC_SHA ] ||
                case $s in *RSA_WITH_3DES* | *DSS_WITH_3DES*) [ "$v" = 1.0 ] ;; *) false ;; esac || continue
            check "erlang-$c-$s-tls$v-2048" "$(expect_ok $c $s $v 2048)" $c "$(port_for $s $v)" "$s" "$v" user2048 pass-2048
        done
    done
    for b in $GROUP_BITS; do
        [ "$b" = 2048 ] && continue
        check "erlang-$c-group$b" "$(expect_ok $c TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "$b")" $c "$P_RSA" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "user$b" "pass-$b"
    done
    # OTP quirk: a wrong password gets no alert, only a TCP close.
    check "erlang-$c-wrong-password" closed $c "$P_RSA" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 user2048 wrong-password
    # OTP quirk: an unknown user gets illegal_parameter (47) ...
    check "erlang-$c-unknown-user" alert:47 $c "$P_RSA" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 nosuchuser whatever
    # ... unless the lookup fun returns the #alert{} for unknown_psk_identity.
    check "erlang-u115-$c-unknown-user" alert:115 $c "$P_115" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 nosuchuser whatever
    check "erlang-no-srp-$c" alert:71 $c "$P_NO" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 user2048 pass-2048
done
# No SRP extension: the lookup fun sees `undefined`.
check "erlang-openssl-missing-srp-extension" alert:47 openssl "$P_RSA" any 1.2 - ""
check "erlang-u115-openssl-missing-srp-extension" alert:115 openssl "$P_115" any 1.2 - ""
if grep -q 'lookup: no SRP extension (username undefined)' "$RUN/rsa/device.log"; then
    echo "PASS erlang-lookup-fun-called-with-undefined"
else echo "FAIL erlang-lookup-fun-called-with-undefined: not in device.log"; fails=$((fails + 1)); fi
if grep -q 'handshake ok: user=user2048 suite=TLS_SRP_SHA_WITH_AES_128_CBC_SHA' "$RUN/rsa/device.log"; then
    echo "PASS erlang-log-srp-user"
else echo "FAIL erlang-log-srp-user: no SRP user in device.log"; fails=$((fails + 1)); fi
cleanup
sleep 0.3
left=$(for m in $INSTANCES; do pgrep -f "srp-device.escript $RUN/$m\$"; done)
if [ -n "$left" ]; then echo "FAIL erlang-no-leftover: pids $left"; fails=$((fails + 1))
else echo "PASS erlang-no-leftover"; fi
echo "# erlang-device: $(($(date +%s) - t0))s" >&2
rm -rf "$RUN" "$RUN".*.err
[ $fails -eq 0 ]
