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
source "$ROOT/interop/tests/device-test-lib.sh"

if ! command -v apache2 >/dev/null; then
    echo "SKIP apache-device: apache2 not installed (apt-get install apache2)"
    exit 0
fi

device_test_init apache "srp fake nosrp"
P=$(start srp --mode srp) || exit 1
echo "PASS apache-start-srp (port $P)"

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
    check_success_cells $c "$P"
    check "apache-$c-wrong-password" alert:20 $c "$P" any 1.2 user2048 wrong-password
    check "apache-$c-unknown-user" alert:115 $c "$P" any 1.2 nosuchuser whatever
done
check_status "$P"
check "apache-openssl-missing-srp-extension" alert:115 openssl "$P" any 1.2 - ""
# The access log names the SRP user, protocol and cipher of each request.
if grep -q 'srp_user=user2048' "$RUN/srp/access.log" && grep -q 'proto=TLSv1.2 cipher=SRP-' "$RUN/srp/access.log"; then
    echo "PASS apache-access-log-srp-user"
else echo "FAIL apache-access-log-srp-user: no SRP user in access.log"; fails=$((fails + 1)); fi
"$DEV" stop "$RUN/srp"

if P=$(start fake --mode fake-users); then
    echo "PASS apache-start-fake-users"
    for c in gnutls-cli curl; do
        check "apache-fake-users-$c-unknown-user" alert:20 $c "$P" any 1.2 nosuchuser whatever
        check "apache-fake-users-$c-wrong-password" alert:20 $c "$P" any 1.2 user2048 wrong-password
        check "apache-fake-users-$c-success" ok $c "$P" any 1.2 user2048 pass-2048
    done
    "$DEV" stop "$RUN/fake"
else fails=$((fails + 1)); fi
if P=$(start nosrp --mode no-srp); then
    for c in gnutls-cli curl; do
        check "apache-no-srp-$c" alert:40 $c "$P" any 1.2 user2048 pass-2048
    done
    check "apache-no-srp-openssl-missing-extension" alert:40 openssl "$P" any 1.2 - ""
    "$DEV" stop "$RUN/nosrp"
else fails=$((fails + 1)); fi
finish "apache2 -f $RUN/"
