#!/bin/bash
# The client is attacked by the server: a crafted TLS-SRP server
# (hostile-srp-server.py) sends each malformed or forbidden answer once and
# records the client's alert; tstclnt must fail with the documented error
# code and alert, without crashing or hanging (18 cases).  About 20 seconds.
. "$(dirname "$0")/lib.sh"

find_nss || { skip hostile-server "patched NSS not built"; exit 0; }
work=$(mktemp -d "$TMPBASE/nssp-hostile.XXXXXX")
trap 'cleanup_pids; rm -rf "$work"' EXIT
printf 'GET / HTTP/1.0\r\n\r\n' > "$work/req"
printf 'secret\n' > "$work/pw"
PARAMS=$NSS_TREE/lib/ssl/srp-param.c

# run SCENARIO EXPECTED_ALERT EXPECTED_ERROR [tstclnt args...]
run() {
    local scen=$1 want_alert=$2 want_err=$3 port got_alert got_err rc
    local name=${NAME:-$scen}
    shift 3
    rm -f "$work/port" "$work/result"
    python3 "$NSSP_TESTS/hostile-srp-server.py" "$scen" "$work/port" "$work/result" "$PARAMS" &
    local spid=$!
    PIDS+=("$spid")
    for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    port=$(cat "$work/port" 2>/dev/null)
    nss_run timeout 30 "$TSTCLNT" -h 127.0.0.1 -p "$port" -D -o -A "$work/req" "$@" \
        > "$work/out" 2> "$work/err" < /dev/null
    rc=$?
    wait "$spid"
    got_alert=$(cat "$work/result" 2>/dev/null)
    got_err=$(grep -o '\(SSL\|SEC\)_ERROR_[A-Z0-9_]*' "$work/err" | tail -1)
    if [ "$rc" -eq 124 ] || { [ "$rc" -ge 128 ] && [ "$rc" -lt 254 ]; }; then
        fail "hostile/$name" "tstclnt crashed or hung (rc=$rc)"
    elif [ "$rc" -ne 0 ] && [ "$got_err" = "$want_err" ] &&
        { [ "$got_alert" = "alert 2 $want_alert" ] || [ "$want_alert" = - ]; }; then
        pass "hostile/$name"
    else
        fail "hostile/$name" "want alert $want_alert + $want_err, got rc=$rc '$got_alert' ${got_err:-no error}"
    fi
}

SRPUSER=(-V tls1.2:tls1.2 -c :C01D --srp-user alice --srp-password-file "$work/pw")

# Groups: only RFC 5054 Appendix A, at or above the minimum -> insufficient_security (71).
run group-unknown 71 SSL_ERROR_SRP_GROUP_NOT_ACCEPTABLE "${SRPUSER[@]}"
run group-too-small 71 SSL_ERROR_SRP_GROUP_NOT_ACCEPTABLE "${SRPUSER[@]}"
run group-oversized 71 SSL_ERROR_SRP_GROUP_NOT_ACCEPTABLE "${SRPUSER[@]}"
run wrong-generator 71 SSL_ERROR_SRP_GROUP_NOT_ACCEPTABLE "${SRPUSER[@]}"
# B % N == 0 -> illegal_parameter (47).
run B-zero 47 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
run B-equals-N 47 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
run B-longer-than-N 47 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
# Malformed fields -> decode_error (50).
run salt-empty 50 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
run N-empty 50 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
run ske-truncated 50 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
run ske-trailing 50 SSL_ERROR_SRP_BAD_SERVER_PARAMETERS "${SRPUSER[@]}"
# Message flow -> unexpected_message (10).
run certificate-srp-only 10 SSL_ERROR_RX_UNEXPECTED_CERTIFICATE "${SRPUSER[@]}"
run ske-missing 10 SSL_ERROR_RX_UNEXPECTED_HELLO_DONE "${SRPUSER[@]}"
# SRP-RSA with a signature that does not verify -> decrypt_error (51).
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$work/rsa.key" >/dev/null 2>&1
printf 'cn = localhost\nexpiration_days = 30\ntls_www_server\nsigning_key\n' > "$work/tmpl"
certtool --generate-self-signed --load-privkey "$work/rsa.key" --template "$work/tmpl" \
    --outder --outfile "$work/rsa.der" >/dev/null 2>&1
HOSTILE_CERT_DER=$work/rsa.der run srp-rsa-bad-signature 51 SEC_ERROR_BAD_SIGNATURE \
    -V tls1.2:tls1.2 -c :C01E --srp-user alice --srp-password-file "$work/pw"
# A suite we did not offer -> illegal_parameter (47).
run suite-not-offered 47 SSL_ERROR_NO_CYPHER_OVERLAP "${SRPUSER[@]}"
# SRP is never negotiated in TLS 1.3.
run tls13-srp-suite 47 SSL_ERROR_CIPHER_DISALLOWED_FOR_VERSION -V tls1.2:tls1.3 -c :C01D:1301 \
    --srp-user alice --srp-password-file "$work/pw"
# unknown_psk_identity (RFC 5054 2.5.1.2 / 2.9) right after the ClientHello:
# "credentials required" when we sent no user name, "rejected" otherwise.
NAME=unknown-psk-identity-with-user run alert-unknown-psk-identity - \
    SSL_ERROR_SRP_CREDENTIALS_REJECTED "${SRPUSER[@]}"
NAME=unknown-psk-identity-without-user run alert-unknown-psk-identity - \
    SSL_ERROR_SRP_CREDENTIALS_REQUIRED -V tls1.2:tls1.2 -c :C01D --srp
finish
