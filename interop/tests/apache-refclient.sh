#!/bin/bash
# One TLS-SRP handshake + HTTP GET with a Debian reference client, classified.
# Shared by the wider devices' tests (apache-, erlang-, botan-*.sh).
#
#   apache-refclient.sh CLIENT PORT SUITE VERSION USER [PATH]
#     CLIENT   gnutls-cli | openssl | curl
#     SUITE    IANA name (TLS_SRP_SHA_WITH_AES_128_CBC_SHA, ..._RSA_..., ..._DSS_...)
#              or "any" (every SRP suite the client has)
#     VERSION  1.0 | 1.1 | 1.2
#     USER     SRP user; "-" = offer SRP suites WITHOUT the SRP extension
#              (RFC 5054 2.5.1.2; only `openssl s_client -srp_lateuser` can)
#   The password is read from the environment variable SRP_PASSWORD (never
#   from our argv; the reference clients themselves take it in argv, which
#   is their interface, not ours).
#
# Prints one line:
#   outcome=<ok|alert:N|closed|timeout|unsupported|error> proto=.. suite=.. detail=..
# "ok" means handshake done AND the page arrived (HTTP 200).  alert:N is the
# TLS alert received from the server; "closed" a TCP close without an alert.
set -u
CLIENT=$1 PORT=$2 SUITE=$3 VERSION=$4 USER=$5 URLPATH=${6:-/}
PASS=${SRP_PASSWORD:-}; export SRP_PASSWORD=$PASS
T=${CLIENT_TIMEOUT:-60}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/refclient.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

# IANA -> OpenSSL name / GnuTLS kx+cipher
case $SUITE in
any) OSSL='SRP'; GKX='+SRP:+SRP-RSA:+SRP-DSS'; GC='+AES-128-CBC:+AES-256-CBC:+3DES-CBC' ;;
TLS_SRP_SHA_*) ;;
*) echo "outcome=error detail=unknown-suite-$SUITE"; exit 0 ;;
esac
if [ "$SUITE" != any ]; then
    rest=${SUITE#TLS_SRP_SHA_}
    case $rest in
    RSA_WITH_*) kx=RSA; OKX=SRP-RSA-; GKX=+SRP-RSA; c=${rest#RSA_WITH_} ;;
    DSS_WITH_*) kx=DSS; OKX=SRP-DSS-; GKX=+SRP-DSS; c=${rest#DSS_WITH_} ;;
    WITH_*) kx=; OKX=SRP-; GKX=+SRP; c=${rest#WITH_} ;;
    esac
    case $c in
    AES_128_CBC_SHA) OSSL=${OKX}AES-128-CBC-SHA; GC=+AES-128-CBC ;;
    AES_256_CBC_SHA) OSSL=${OKX}AES-256-CBC-SHA; GC=+AES-256-CBC ;;
    3DES_EDE_CBC_SHA) OSSL=${OKX}3DES-EDE-CBC-SHA; GC=+3DES-CBC ;;
    *) echo "outcome=error detail=unknown-suite-$SUITE"; exit 0 ;;
    esac
fi
case $VERSION in
1.0) GV=+VERS-TLS1.0; OV=-tls1; CV=--tlsv1.0; CMAX=1.0 ;;
1.1) GV=+VERS-TLS1.1; OV=-tls1_1; CV=--tlsv1.1; CMAX=1.1 ;;
1.2) GV=+VERS-TLS1.2; OV=-tls1_2; CV=--tlsv1.2; CMAX=1.2 ;;
*) echo "outcome=error detail=bad-version-$VERSION"; exit 0 ;;
esac

alert_num() { # OpenSSL/curl alert text -> number
    case $1 in
    *"bad record mac"*) echo 20 ;; *"handshake failure"*) echo 40 ;;
    *"illegal parameter"*) echo 47 ;; *"unknown psk identity"*) echo 115 ;;
    *"decrypt error"*) echo 51 ;; *"internal error"*) echo 80 ;;
    *"insufficient security"*) echo 71 ;; *"protocol version"*) echo 70 ;;
    *"decode error"*) echo 50 ;; *"unexpected message"*) echo 10 ;;
    *"access denied"*) echo 49 ;; *"no renegotiation"*) echo 100 ;;
    *"unrecognized name"*) echo 112 ;; *"record overflow"*) echo 22 ;;
    *) echo "?" ;;
    esac
}

req="GET $URLPATH HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
case $CLIENT in
gnutls-cli)
    [ "$USER" = - ] && { echo "outcome=unsupported detail=gnutls-cli-cannot-omit-srp-extension"; exit 0; }
    prio="NORMAL:-KX-ALL:$GKX:-CIPHER-ALL:$GC:-MAC-ALL:+SHA1:-VERS-ALL:$GV:%COMPAT"
    printf "$req" | timeout "$T" gnutls-cli --insecure --srpusername "$USER" --srppasswd "$PASS" \
        --priority "$prio" -p "$PORT" 127.0.0.1 >"$TMP/out" 2>&1
    rc=$?
    out=$(cat "$TMP/out")
    proto=$(sed -n 's/^- Description: (\([^)]*\))-(\([^)]*\))-(\([^)]*\)).*/\1/p' "$TMP/out" | head -1)
    suite=$(sed -n 's/^- Description: (\([^)]*\))-(\([^)]*\))-(\([^)]*\))-(\([^)]*\)).*/\2-\3-\4/p' "$TMP/out" | head -1)
    if [ $rc -eq 124 ]; then o=timeout
    elif grep -q '^HTTP/1\.[01] 200' "$TMP/out"; then o=ok
    elif a=$(grep -o 'Received alert \[[0-9]*\]' "$TMP/out" | head -1) && [ -n "$a" ]; then
        o=alert:$(echo "$a" | tr -dc 0-9)
    elif grep -qiE 'non-properly terminated|pull function|Error in the push|connection reset|TLS packet with unexpected length' "$TMP/out"; then o=closed
    else o=error; fi
    detail=$(grep -E '^\*\*\*|Fatal|Error' "$TMP/out" | head -2 | tr '\n' ' ' | tr -s ' ' | cut -c1-160)
    ;;
openssl)
    if [ "$USER" = - ]; then cred=(-srpuser nobody -srp_lateuser); else cred=(-srpuser "$USER" -srppass env:SRP_PASSWORD); fi
    # No -srp_strength: s_client's default minimum (1024) accepts all 7 groups.
    printf "$req" | timeout "$T" openssl s_client -connect "127.0.0.1:$PORT" "$OV" -cipher "$OSSL:@SECLEVEL=0" \
        "${cred[@]}" -ign_eof >"$TMP/out" 2>&1
    rc=$?
    proto=$(sed -n 's/^ *Protocol *: *//p' "$TMP/out" | head -1)
    suite=$(sed -n 's/^ *Cipher *: *//p' "$TMP/out" | head -1)
    if [ $rc -eq 124 ]; then o=timeout
    elif grep -q '^HTTP/1\.[01] 200' "$TMP/out"; then o=ok
    elif a=$(grep -o 'SSL alert number [0-9]*' "$TMP/out" | head -1) && [ -n "$a" ]; then o=alert:${a##* }
    elif grep -qiE 'unexpected eof|errno=104|Connection reset|write:errno' "$TMP/out"; then o=closed
    else o=error; fi
    detail=$(grep -E ':error:' "$TMP/out" | head -1 | cut -d: -f6- | cut -c1-160)
    ;;
curl)
    [ "$USER" = - ] && { echo "outcome=unsupported detail=curl-cannot-omit-srp-extension"; exit 0; }
    # curl wants the password in argv (--tlspassword); it is a lab password.
    timeout "$T" curl -sS -k --tlsauthtype SRP --tlsuser "$USER" --tlspassword "$PASS" \
        $CV --tls-max "$CMAX" --ciphers "$OSSL:@SECLEVEL=0" -o "$TMP/body" \
        -w '%{http_code}' "https://127.0.0.1:$PORT$URLPATH" >"$TMP/code" 2>"$TMP/err"
    rc=$?
    proto=$VERSION suite=$OSSL
    err=$(cat "$TMP/err")
    if [ $rc -eq 124 ]; then o=timeout
    elif [ $rc -eq 0 ] && [ "$(cat "$TMP/code")" = 200 ]; then o=ok
    elif echo "$err" | grep -q 'alert'; then o=alert:$(alert_num "$err")
    elif echo "$err" | grep -qiE 'unexpected eof|SSL_ERROR_SYSCALL|reset by peer|Recv failure'; then o=closed
    else o=error; fi
    detail=$(echo "$err" | head -1 | cut -c1-160)
    ;;
*) echo "outcome=error detail=unknown-client-$CLIENT"; exit 0 ;;
esac
echo "outcome=$o proto=${proto:--} suite=${suite:--} detail=${detail// /_}"
