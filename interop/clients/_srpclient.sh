# Shared part of the srpclient-nss / srpclient-boringssl interop adapters.
# Sourced after _lib.sh with SRPC_BACKEND set. Credentials go through the
# environment (SRPCLIENT_USER / SRPCLIENT_PASSWORD), never argv; --no-prompt
# and stdin from /dev/null so that srpclient never waits for input.
BIN=${INTEROP_SRPCLIENT_BIN:-$INTEROP_ROOT/build/bin/srpclient}
[ -x "$BIN" ] || not_built "$BIN is missing (built by make all)"
ossl=${INTEROP_SUITE_OPENSSL:-$(suite_field "$INTEROP_SUITE" 3)} || unsupported "unknown suite $INTEROP_SUITE"
case $INTEROP_TLS_VERSION in
1.0 | 1.1 | 1.2) ;;
*) unsupported "TLS version $INTEROP_TLS_VERSION" ;;
esac
if [ "$SRPC_BACKEND" = boringssl ] && [[ $ossl == *-DSS-* ]]; then
    unsupported "BoringSSL has no SRP-DSS suites (no DSA in TLS)"
fi
rep=$INTEROP_WORKDIR/srpclient-report.json
err=$INTEROP_WORKDIR/srpclient.err
body=${INTEROP_BODY_FILE:-$INTEROP_WORKDIR/body}
unset SRPCLIENT_USER SRPCLIENT_PASSWORD
if [ -n "${INTEROP_USERNAME-}" ]; then
    export SRPCLIENT_USER=$INTEROP_USERNAME SRPCLIENT_PASSWORD=${INTEROP_PASSWORD-}
fi
timeout -k 2 "$INTEROP_TIMEOUT" "$BIN" --tls-backend "$SRPC_BACKEND" --no-prompt \
    --ciphers "$ossl" --tlsv"$INTEROP_TLS_VERSION" --tls-max "$INTEROP_TLS_VERSION" \
    --srp-min-group-bits "${INTEROP_MIN_GROUP_BITS:-2048}" -m "$INTEROP_TIMEOUT" \
    --report "$rep" -o "$body" "https://$INTEROP_HOST:$INTEROP_PORT$INTEROP_PATH" \
    </dev/null >/dev/null 2>"$err"
rc=$?
unset SRPCLIENT_PASSWORD
msg=$(tail -1 "$err" 2>/dev/null)
[ $rc = 4 ] && not_built "$msg"
[ $rc = 124 ] || [ $rc = 137 ] && result timeout "killed after ${INTEROP_TIMEOUT}s"
[ -s "$rep" ] || result "error:no-report" "srpclient rc $rc: $msg"
# jq, not python3: an interpreter start per cell costs more than the handshake on a loaded machine
r_http_code= r_error_class= r_tls_alert= r_cipher_suite= r_tls_version= r_group_bits= r_srp_username=
fields=$(jq -r 'to_entries[] | select(.key | IN("http_code", "error_class", "tls_alert", "cipher_suite",
    "tls_version", "group_bits", "srp_username")) | "r_\(.key)=\(.value // "" | tostring | @sh)"' "$rep") ||
    result "error:bad-report" "srpclient rc $rc: unreadable report $rep"
eval "$fields"
info="$r_cipher_suite $r_tls_version group ${r_group_bits:-?} user ${r_srp_username:-none}"
if [ -n "$r_http_code" ]; then
    [ "$r_http_code" = 200 ] && [ $rc = 0 ] && result ok "HTTP 200; $info"
    result "http-error:$r_http_code" "HTTP $r_http_code; $info"
fi
case $r_error_class in
credentials-required) result credentials-required "rc $rc: $msg" ;;
credentials-rejected) result "credentials-rejected:${r_tls_alert:-unknown}" "rc $rc: $msg" ;;
group-not-acceptable) result group-rejected "rc $rc: $msg" ;;
timeout) result timeout "rc $rc: $msg" ;;
esac
[ $rc = 7 ] && result connect-failed "rc 7: $msg"
[ $rc = 28 ] && result timeout "rc 28: $msg"
[ -n "$r_tls_alert" ] && result "$(outcome_for_alert "$r_tls_alert")" "rc $rc: $msg"
[ $rc = 35 ] && result handshake-failed:closed "rc $rc: $msg"
result handshake-failed:other "rc $rc: $msg"
