# Sourced by the gnutls-serv based tests: a GnuTLS SRP server on 127.0.0.1
# with one user per RFC 5054 group and RSA + DSA certificates for the
# SRP-RSA / SRP-DSS suites.
#
#   lab_setup            create verifiers and certificates in $LAB
#   lab_start [PRIORITY] start gnutls-serv --http on a free port ($LAB_PORT)
#   lab_stop
#   tstclnt_srp ARGS...  run the patched tstclnt against the server, output
#                        in $LAB/out (stdout) and $LAB/err (stderr), rc in $RC
#
# Users: user<bits> with password pw-<bits>-secret, bits in
# 1024 1536 2048 3072 4096 8192 (GnuTLS has no 6144-bit SRP group).

LAB_GROUPS="1024 1536 2048 3072 4096 8192"
LAB_PRIORITY_DEFAULT='NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+SRP:+SRP-RSA:+SRP-DSS:+AES-128-CBC:+AES-256-CBC:+3DES-CBC:+SHA1:+SIGN-DSA-SHA1:+SIGN-DSA-SHA256'

group_index() {
    case $1 in
    1024) echo 1 ;; 1536) echo 2 ;; 2048) echo 3 ;; 3072) echo 4 ;; 4096) echo 5 ;; 8192) echo 7 ;;
    esac
}

lab_setup() {
    LAB=$(mktemp -d "$TMPBASE/nssp-lab.XXXXXX")
    local tree=$NSS_TREE bits idx
    python3 "$NSSP_TESTS/mk-srp-conf.py" "$tree/lib/ssl/srp-param.c" "$LAB/tpasswd.conf" || return 1
    : > "$LAB/tpasswd"
    for bits in $LAB_GROUPS; do
        idx=$(group_index "$bits")
        if [ "$bits" = 8192 ] ||
            ! printf 'pw-%s-secret\n' "$bits" |
            srptool --passwd "$LAB/tpasswd" --passwd-conf "$LAB/tpasswd.conf" \
                -u "user$bits" -i "$idx" >/dev/null 2>&1; then
            python3 "$NSSP_TESTS/mk-srp-conf.py" --add-user "$LAB/tpasswd.conf" "$idx" "user$bits" \
                "pw-$bits-secret" "$LAB/tpasswd" || return 1
        fi
        printf 'pw-%s-secret\n' "$bits" > "$LAB/pw$bits"
    done
    printf 'not-the-password\n' > "$LAB/pwwrong"
    cat > "$LAB/tmpl" <<'TEOF'
cn = localhost
expiration_days = 30
tls_www_server
signing_key
encryption_key
TEOF
    certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$LAB/rsa.key" >/dev/null 2>&1 &&
        certtool --generate-self-signed --load-privkey "$LAB/rsa.key" --template "$LAB/tmpl" \
            --outfile "$LAB/rsa.crt" >/dev/null 2>&1 &&
        certtool --generate-privkey --key-type dsa --bits 2048 --outfile "$LAB/dsa.key" >/dev/null 2>&1 &&
        certtool --generate-self-signed --load-privkey "$LAB/dsa.key" --template "$LAB/tmpl" \
            --outfile "$LAB/dsa.crt" >/dev/null 2>&1 || return 1
    printf 'GET / HTTP/1.0\r\n\r\n' > "$LAB/req"
    # gnutls-serv has no listen-address option: rewrite its bind() to loopback.
    cc -shared -fPIC -O2 -o "$LAB/bind-loopback.so" "$ROOT/interop/devices/bind-loopback.c" -ldl ||
        return 1
}

lab_start() {
    local prio=${1:-$LAB_PRIORITY_DEFAULT}
    LAB_PORT=$(free_port)
    LD_PRELOAD=$LAB/bind-loopback.so timeout 3600 gnutls-serv --http -a \
        --srppasswd "$LAB/tpasswd" --srppasswdconf "$LAB/tpasswd.conf" \
        --x509certfile "$LAB/rsa.crt" --x509keyfile "$LAB/rsa.key" \
        --x509certfile "$LAB/dsa.crt" --x509keyfile "$LAB/dsa.key" \
        --priority "$prio" -p "$LAB_PORT" ${LAB_SERV_EXTRA-} > "$LAB/serv.log" 2>&1 &
    LAB_PID=$!
    PIDS+=("$LAB_PID")
    wait_port "$LAB_PORT"
}

lab_stop() {
    [ -n "${LAB_PID-}" ] && kill "$LAB_PID" 2>/dev/null && wait "$LAB_PID" 2>/dev/null
    LAB_PID=
}

tstclnt_srp() {
    nss_run timeout 60 "$TSTCLNT" -h 127.0.0.1 -p "$LAB_PORT" -D -o -v -A "$LAB/req" "$@" \
        > "$LAB/out" 2> "$LAB/err" < /dev/null
    RC=$?
}

# The SSL/SEC error name tstclnt reported, if any.
tstclnt_error() {
    grep -o '\(SSL\|SEC\|PR\)_ERROR_[A-Z0-9_]*' "$LAB/err" | grep -v 'PR_IN_PROGRESS_ERROR\|PR_WOULD_BLOCK_ERROR' | tail -1
}
