#!/bin/bash
# srpclient against a real gnutls-serv (TLS-SRP device) on 127.0.0.1, per backend.
# Prints PASS/FAIL/SKIP lines; exits non-zero if any FAIL. Every wait is bounded;
# everything started is killed on exit (trap).
set -u
source "$(dirname "$0")/lib.sh"
test_init lab
PTY="python3 $ROOT/srpclient/tests/ptydrive.py"
BACKENDS=${SRPCLIENT_BACKENDS:-nss boringssl gnutls}

if [ ! -x "$BIN" ]; then
    fail lab/binary "$BIN missing (make srpclient)"
    exit 1
fi
for tool in gnutls-serv srptool certtool python3; do
    command -v $tool >/dev/null || { skip lab/all "$tool not installed (gnutls-bin, python3)"; exit 0; }
done

# ---- material: SRP groups/verifiers, an RSA certificate for SRP-RSA
srptool --create-conf "$T/tpasswd.conf" >/dev/null 2>&1
: >"$T/tpasswd"
add_user() { # user password index
    printf '%s\n%s\n' "$2" "$2" | srptool --passwd "$T/tpasswd" --passwd-conf "$T/tpasswd.conf" \
        -u "$1" -i "$3" >/dev/null 2>&1
}
add_user alice 'correct horse' 3     # 2048-bit group
add_user bob 'bob-pw' 2              # 1536-bit group (below the default minimum)
certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$T/key.pem" >/dev/null 2>&1
printf 'cn = "srp-device.test"\nexpiration_days = 30\nsigning_key\nencryption_key\ntls_www_server\n' >"$T/tmpl"
certtool --generate-self-signed --load-privkey "$T/key.pem" --template "$T/tmpl" \
    --outfile "$T/cert.pem" >/dev/null 2>&1
SHIM=$T/bind-loopback.so
cc -shared -fPIC -o "$SHIM" interop/devices/bind-loopback.c -ldl 2>/dev/null || SHIM=

start_serv() { # varname args...
    local var=$1 port
    shift
    port=$(free_port)
    LD_PRELOAD=${SHIM} timeout 900 gnutls-serv --http -p "$port" "$@" >"$T/serv-$var.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port" || { fail lab/start-$var "gnutls-serv did not start: $(tail -3 "$T/serv-$var.log")"; exit 1; }
    eval "$var=$port"
}
start_serv SRP --srppasswd "$T/tpasswd" --srppasswdconf "$T/tpasswd.conf" \
    --x509keyfile "$T/key.pem" --x509certfile "$T/cert.pem" --priority NORMAL:+SRP:+SRP-RSA
start_serv NOSRP --x509keyfile "$T/key.pem" --x509certfile "$T/cert.pem" --priority NORMAL
# a TCP listener that never speaks TLS (timeouts, argv inspection)
SILENT=$(free_port)
timeout 300 python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $SILENT)); s.listen(8); c = []
while True: c.append(s.accept()[0])
" &
PIDS+=($!)
wait_port "$SILENT" || fail lab/start-silent "listener did not start"
URL=https://127.0.0.1:$SRP/
URL_NOSRP=https://127.0.0.1:$NOSRP/

json() { # file expr -> prints python value
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null
}
run() { # name: runs srpclient without a terminal, sets RC, OUT, ERR
    local n=$1
    shift
    timeout 60 setsid "$BIN" "$@" </dev/null >"$T/$n.out" 2>"$T/$n.err"
    RC=$?
}

for be in $BACKENDS; do
    B="--tls-backend $be -m 30"
    run probe-$be $B -u alice:'correct horse' "$URL"
    if [ $RC = 4 ] && grep -q "TLS backend '$be' not built" "$T/probe-$be.err"; then
        skip "lab/$be/*" "$(head -1 "$T/probe-$be.err")"
        continue
    fi
    # success + report
    run ok-$be $B -u alice:'correct horse' --report "$T/ok-$be.json" "$URL"
    if [ $RC = 0 ] && grep -q GnuTLS "$T/ok-$be.out" &&
        [ "$(json "$T/ok-$be.json" 'd["srp_username"], d["http_code"], d["exit_code"], d["error"], d["backend"]')" = "alice 200 0 None $be" ]; then
        pass lab/$be/success
    else
        fail lab/$be/success "rc=$RC $(head -2 "$T/ok-$be.err") $(cat "$T/ok-$be.json" 2>/dev/null)"
    fi
    if grep -q 'correct horse' "$T/ok-$be.json" "$T/ok-$be.err"; then
        fail lab/$be/no-password-in-report "password found in report/stderr"
    else pass lab/$be/no-password-in-report; fi
    # verbose handshake summary
    run v-$be $B -v -u alice:'correct horse' -o /dev/null "$URL"
    if [ $RC = 0 ] && grep -q 'TLS version: TLS 1.2' "$T/v-$be.err" && grep -q 'cipher suite: TLS_SRP_SHA_' "$T/v-$be.err" &&
        grep -q 'authenticated user: alice' "$T/v-$be.err" && ! grep -q 'correct horse' "$T/v-$be.err"; then
        pass lab/$be/verbose-summary
    else fail lab/$be/verbose-summary "rc=$RC $(grep -m3 '^\*  ' "$T/v-$be.err" | tr '\n' ' ')"; fi
    # SRP-RSA: self-signed certificate accepted, fingerprint shown
    run rsa-$be $B -v --ciphers SRP-RSA-AES-128-CBC-SHA -u alice:'correct horse' -o /dev/null "$URL"
    if [ $RC = 0 ] && grep -q 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA' "$T/rsa-$be.err" && grep -q 'SHA-256: [0-9A-F][0-9A-F]:' "$T/rsa-$be.err"; then
        pass lab/$be/srp-rsa-fingerprint
    else fail lab/$be/srp-rsa-fingerprint "rc=$RC $(tail -1 "$T/rsa-$be.err")"; fi
    # wrong password: 67
    run wrong-$be $B -u alice:wrong --report "$T/wrong-$be.json" "$URL"
    if [ $RC = 67 ] && grep -q 'rejected' "$T/wrong-$be.err" && [ "$(json "$T/wrong-$be.json" 'd["error_class"]')" = credentials-rejected ]; then
        pass lab/$be/wrong-password-67
    else fail lab/$be/wrong-password-67 "rc=$RC $(tail -1 "$T/wrong-$be.err")"; fi
    # unknown user: refused with a clear message (67, or 35 when the device sends internal_error)
    run unknown-$be $B -u nosuchuser:x "$URL"
    if { [ $RC = 67 ] || [ $RC = 35 ]; } && [ "$(wc -l <"$T/unknown-$be.err")" -ge 1 ] && grep -q '^srpclient: ' "$T/unknown-$be.err"; then
        pass "lab/$be/unknown-user-$RC"
    else fail lab/$be/unknown-user "rc=$RC $(tail -1 "$T/unknown-$be.err")"; fi
    # device without SRP: 35
    run nosrp-$be $B -u alice:'correct horse' "$URL_NOSRP"
    if [ $RC = 35 ] && grep -q 'does not do TLS-SRP' "$T/nosrp-$be.err"; then
        pass lab/$be/no-srp-35
    else fail lab/$be/no-srp-35 "rc=$RC $(tail -1 "$T/nosrp-$be.err")"; fi
    # missing credentials, no terminal: fails at once (100) naming what is missing and how
    t0=$(date +%s%N)
    run nocred-$be $B "$URL"
    ms=$((($(date +%s%N) - t0) / 1000000))
    if [ $RC = 100 ] && grep -q 'requires a TLS-SRP username and password' "$T/nocred-$be.err" &&
        grep -q -- '-u USER' "$T/nocred-$be.err" && [ $ms -lt 10000 ]; then
        pass lab/$be/missing-credentials-no-terminal
    else fail lab/$be/missing-credentials-no-terminal "rc=$RC ${ms}ms $(tail -1 "$T/nocred-$be.err")"; fi
    run nopw-$be $B -u alice "$URL"
    if [ $RC = 100 ] && grep -q "password for user 'alice'" "$T/nopw-$be.err"; then
        pass lab/$be/missing-password-no-terminal
    else fail lab/$be/missing-password-no-terminal "rc=$RC $(tail -1 "$T/nopw-$be.err")"; fi
    # group below the minimum: 35; accepted when the minimum is lowered
    if [ "$be" = gnutls ]; then
        skip lab/$be/small-group-35 "the GnuTLS reference backend cannot enforce a minimum SRP group"
    else
        run grp-$be $B -u bob:bob-pw "$URL"
        if [ $RC = 35 ] && grep -qi 'group' "$T/grp-$be.err"; then pass lab/$be/small-group-35
        else fail lab/$be/small-group-35 "rc=$RC $(tail -1 "$T/grp-$be.err")"; fi
        run grp2-$be $B --srp-min-group-bits 1536 -u bob:bob-pw --report "$T/grp2-$be.json" "$URL"
        if [ $RC = 0 ] && [ "$(json "$T/grp2-$be.json" 'd["group_bits"]')" = 1536 ]; then
            pass lab/$be/small-group-allowed
        else fail lab/$be/small-group-allowed "rc=$RC $(tail -1 "$T/grp2-$be.err")"; fi
    fi
    # environment and credentials file
    SRPCLIENT_USER=alice SRPCLIENT_PASSWORD='correct horse' run env-$be $B -o /dev/null "$URL"
    if [ $RC = 0 ]; then pass lab/$be/env-credentials
    else fail lab/$be/env-credentials "rc=$RC $(tail -1 "$T/env-$be.err")"; fi
    printf 'machine 127.0.0.1 port %s login alice password "correct horse"\n' "$SRP" >"$T/creds-$be"
    chmod 600 "$T/creds-$be"
    run file-$be $B --credentials "$T/creds-$be" -o /dev/null "$URL"
    if [ $RC = 0 ]; then pass lab/$be/credentials-file
    else fail lab/$be/credentials-file "rc=$RC $(tail -1 "$T/file-$be.err")"; fi
    chmod 644 "$T/creds-$be"
    run file2-$be $B --credentials "$T/creds-$be" -o /dev/null "$URL"
    if [ $RC = 101 ] && grep -q 'chmod 600' "$T/file2-$be.err"; then pass lab/$be/credentials-file-0644-refused
    else fail lab/$be/credentials-file-0644-refused "rc=$RC $(tail -1 "$T/file2-$be.err")"; fi

    # interactive prompt through a pseudo-terminal: missing username flow
    $PTY 'Username for=>alice|Password for alice@=>correct horse' timeout 60 "$BIN" $B \
        --report "$T/pty1-$be.json" -o /dev/null "$URL" >"$T/pty1-$be.txt" 2>&1
    if grep -q '^EXIT 0' "$T/pty1-$be.txt" && grep -q 'requires a login' "$T/pty1-$be.txt" &&
        ! grep -q 'correct horse' "$T/pty1-$be.txt" &&
        [ "$(json "$T/pty1-$be.json" 'd["prompts"], d["attempts"], d["srp_username"]')" = "1 1 alice" ]; then
        pass lab/$be/prompt-missing-username
    else fail lab/$be/prompt-missing-username "$(tr '\n' ' ' <"$T/pty1-$be.txt" | tail -c 300)"; fi
    # wrong then right password
    $PTY 'Username for=>alice|Password for alice@=>nope|Login failed|Username for=>|Password for alice@=>correct horse' \
        timeout 60 "$BIN" $B --report "$T/pty2-$be.json" -o /dev/null "$URL" >"$T/pty2-$be.txt" 2>&1
    if grep -q '^EXIT 0' "$T/pty2-$be.txt" && grep -q 'attempt 1 of 3' "$T/pty2-$be.txt" &&
        [ "$(json "$T/pty2-$be.json" 'd["prompts"], d["attempts"]')" = "2 2" ]; then
        pass lab/$be/prompt-wrong-then-right
    else fail lab/$be/prompt-wrong-then-right "$(tr '\n' ' ' <"$T/pty2-$be.txt" | tail -c 300)"; fi
    # three wrong passwords: 67
    $PTY 'Password for=>a|Login failed|Password for=>b|Login failed|Password for=>c' \
        timeout 60 "$BIN" $B -u alice -o /dev/null "$URL" >"$T/pty3-$be.txt" 2>&1
    if grep -q '^EXIT 67' "$T/pty3-$be.txt" && grep -q '3 times' "$T/pty3-$be.txt"; then
        pass lab/$be/prompt-three-wrong-67
    else fail lab/$be/prompt-three-wrong-67 "$(tr '\n' ' ' <"$T/pty3-$be.txt" | tail -c 300)"; fi
done

# backend-independent checks, with the first built backend
BE=
for be in $BACKENDS; do
    run p2-$be --tls-backend $be -u alice:'correct horse' -o /dev/null "$URL"
    [ $RC = 0 ] && { BE=$be; break; }
done
if [ -z "$BE" ]; then
    fail lab/common "no backend works (see the per-backend results)"
else
    # password scrubbed from argv while running (silent server keeps it waiting)
    setsid "$BIN" --tls-backend $BE -m 8 -u alice:argvsecret https://127.0.0.1:$SILENT/ </dev/null >/dev/null 2>&1 &
    P=$!
    PIDS+=($P)
    sleep 1
    if [ -r /proc/$P/cmdline ]; then
        if tr '\0' ' ' </proc/$P/cmdline | grep -q argvsecret; then
            fail lab/argv-scrubbed "password visible in /proc/$P/cmdline"
        else pass lab/argv-scrubbed; fi
    else fail lab/argv-scrubbed "process ended too early"; fi
    kill $P 2>/dev/null
    run to --tls-backend $BE -m 2 -u alice:x https://127.0.0.1:$SILENT/
    if [ $RC = 28 ]; then pass lab/timeout-28; else fail lab/timeout-28 "rc=$RC $(tail -1 "$T/to.err")"; fi
    run refused --tls-backend $BE -m 5 -u alice:x https://127.0.0.1:$(free_port)/
    if [ $RC = 7 ]; then pass lab/connect-refused-7; else fail lab/connect-refused-7 "rc=$RC"; fi
    run resolve --tls-backend $BE -m 5 -u alice:x https://no-such-host.invalid/
    if [ $RC = 6 ]; then pass lab/resolve-6; else fail lab/resolve-6 "rc=$RC"; fi
    run hdr --tls-backend $BE -i -u alice:'correct horse' "$URL"
    if [ $RC = 0 ] && head -1 "$T/hdr.out" | grep -q '^HTTP/1.[01] 200'; then pass lab/include-headers
    else fail lab/include-headers "rc=$RC $(head -1 "$T/hdr.out")"; fi
    run outf --tls-backend $BE -u alice:'correct horse' -o "$T/body.html" "$URL"
    if [ $RC = 0 ] && [ ! -s "$T/outf.out" ] && grep -q GnuTLS "$T/body.html"; then pass lab/output-file
    else fail lab/output-file "rc=$RC"; fi
fi
for be in $BACKENDS; do
    run nb-$be --tls-backend $be -u a:b "$URL"
    if [ $RC = 4 ]; then
        if grep -q "TLS backend '$be' not built" "$T/nb-$be.err"; then pass lab/$be/not-built-says-so
        else fail lab/$be/not-built-says-so "$(cat "$T/nb-$be.err")"; fi
    fi
done
[ $FAILS = 0 ]
