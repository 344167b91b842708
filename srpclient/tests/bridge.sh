#!/bin/bash
# Bridge mode (--listen): login page, login with wrong/right password, device page through the
# bridge, logout, malformed HTTP -> 400, non-loopback refused, clean shutdown on SIGTERM; then the
# same in headless Chromium (playwright-core, executablePath /usr/bin/chromium) with screenshots in
# build/srpclient/. gnutls-serv on 127.0.0.1, run-time ports, bounded waits, trap cleanup.
set -u
source "$(dirname "$0")/lib.sh"
test_init bridge
BE=${SRPCLIENT_BRIDGE_BACKEND:-nss}
[ -x "$BIN" ] || { fail bridge/binary "$BIN missing"; exit 1; }
for tool in srptool curl python3 cc; do
    command -v $tool >/dev/null || { skip bridge/all "$tool not installed"; exit 0; }
done
if "$BIN" --tls-backend $BE -u a:b https://x.invalid/ 2>&1 | grep -q "not built"; then
    BE=gnutls
fi
srptool --create-conf "$T/tpasswd.conf" >/dev/null 2>&1
: >"$T/tpasswd"
printf 'correct horse\ncorrect horse\n' | srptool --passwd "$T/tpasswd" --passwd-conf "$T/tpasswd.conf" -u admin -i 3 >/dev/null 2>&1
# the device: the lab's embedded-style admin device (its page names the SRP user)
build_gnutls_device bridge
timeout 600 "$T/srp-device" --name demo-device --tpasswd "$T/tpasswd" --tpasswd-conf "$T/tpasswd.conf" >"$T/dev.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do grep -q '^LISTENING' "$T/dev.log" && break; sleep 0.1; done
DEV=$(awk '/^LISTENING/ { print $2 }' "$T/dev.log")
[ -n "$DEV" ] && wait_port "$DEV" || { fail bridge/device "device did not start: $(head -3 "$T/dev.log")"; exit 1; }

# (direct, against the admin device) --fail on a 404, -I
timeout 30 "$BIN" --tls-backend $BE --ciphers SRP-AES-256-CBC-SHA -u admin:'correct horse' -f \
    https://127.0.0.1:$DEV/nonexistent </dev/null >"$T/f.out" 2>"$T/f.err"
rc=$?
if [ $rc = 22 ] && [ ! -s "$T/f.out" ] && grep -q 404 "$T/f.err"; then pass direct/fail-404-22
else fail direct/fail-404-22 "rc=$rc $(cat "$T/f.err")"; fi
timeout 30 "$BIN" --tls-backend $BE --ciphers SRP-AES-256-CBC-SHA -u admin:'correct horse' -I \
    https://127.0.0.1:$DEV/ </dev/null >"$T/i.out" 2>"$T/i.err"
rc=$?
if [ $rc = 0 ] && head -1 "$T/i.out" | grep -q '^HTTP/1.[01] 200'; then pass direct/head
else fail direct/head "rc=$rc $(head -1 "$T/i.out")"; fi

# non-loopback listening address refused
timeout 10 "$BIN" --tls-backend $BE --listen 0.0.0.0:$(free_port) https://127.0.0.1:$DEV/ </dev/null >/dev/null 2>"$T/nl.err"
rc=$?
if [ $rc = 2 ] && grep -q 'not a loopback address' "$T/nl.err"; then pass bridge/non-loopback-refused
else fail bridge/non-loopback-refused "rc=$rc $(cat "$T/nl.err")"; fi

BP=$(free_port)
timeout 600 "$BIN" --tls-backend $BE --ciphers SRP-AES-256-CBC-SHA:SRP-AES-128-CBC-SHA --listen 127.0.0.1:$BP https://127.0.0.1:$DEV/ </dev/null 2>"$T/bridge.err" &
BRIDGE=$!
PIDS+=($BRIDGE)
wait_port "$BP" || { fail bridge/start "$(cat "$T/bridge.err")"; exit 1; }
B=http://127.0.0.1:$BP
C="curl -s --max-time 30"
code=$($C -o "$T/p1" -w '%{http_code}' $B/)
if [ "$code" = 401 ] && grep -q 'name="password"' "$T/p1" && grep -q "https://127.0.0.1:$DEV" "$T/p1"; then
    pass bridge/login-page-when-no-credentials
else fail bridge/login-page-when-no-credentials "code $code"; fi
code=$($C -o "$T/p2" -w '%{http_code}' --data-urlencode username=admin --data-urlencode password=wrong -d next=/ $B/.srpclient/login)
if [ "$code" = 401 ] && grep -q 'rejected the username or password' "$T/p2"; then pass bridge/wrong-password-login-page
else fail bridge/wrong-password-login-page "code $code $(grep -o 'class="error"[^<]*' "$T/p2")"; fi
code=$($C -o /dev/null -D "$T/h3" -w '%{http_code}' --data-urlencode username=admin --data-urlencode 'password=correct horse' -d next=/ $B/.srpclient/login)
if [ "$code" = 303 ] && grep -qi '^Location: /' "$T/h3"; then pass bridge/login-redirects
else fail bridge/login-redirects "code $code"; fi
code=$($C -o "$T/p4" -w '%{http_code}' $B/)
if [ "$code" = 200 ] && sed "s/<[^>]*>//g" "$T/p4" | grep -q "Signed in as admin"; then pass bridge/device-page-through-bridge
else fail bridge/device-page-through-bridge "code $code"; fi
if grep -q 'correct horse' "$T/bridge.err"; then fail bridge/no-password-in-log "password in stderr"
else pass bridge/no-password-in-log; fi
code=$($C -o /dev/null -w '%{http_code}' $B/.srpclient/logout)
code2=$($C -o /dev/null -w '%{http_code}' $B/)
if [ "$code" = 200 ] && [ "$code2" = 401 ]; then pass bridge/logout-forgets
else fail bridge/logout-forgets "logout $code then $code2"; fi
line=$(timeout 10 python3 -c "
import socket; s = socket.create_connection(('127.0.0.1', $BP)); s.sendall(b'NOT HTTP AT ALL\r\n\r\n')
print(s.recv(100).split(b'\r\n')[0].decode())" 2>&1)
case $line in *" 400 "*) pass bridge/malformed-400 ;; *) fail bridge/malformed-400 "$line" ;; esac

# headless Chromium through the bridge (playwright-core from npm, Debian's chromium)
PW=
for d in "$ROOT/srpclient/tests/node_modules" "$ROOT/ui-mockups/node_modules" "$ROOT/interop/node_modules"; do
    [ -d "$d/playwright-core" ] && PW=$d && break
done
if [ -z "$PW" ] || [ ! -x /usr/bin/chromium ]; then
    skip bridge/chromium "playwright-core (npm) or /usr/bin/chromium not available"
else
    NODE_PATH=$PW timeout 120 node "$ROOT/srpclient/tests/bridge-chromium.js" "$B" "$ROOT/build/srpclient" >"$T/chromium.out" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL|SKIP) ' "$T/chromium.out"
    grep -q '^FAIL ' "$T/chromium.out" && FAILS=$((FAILS + 1))
    [ $rc = 0 ] || grep -q '^FAIL ' "$T/chromium.out" || fail bridge/chromium "rc=$rc $(tail -3 "$T/chromium.out" | tr '\n' ' ')"
fi

kill -TERM $BRIDGE
for _ in $(seq 50); do kill -0 $BRIDGE 2>/dev/null || break; sleep 0.1; done
if kill -0 $BRIDGE 2>/dev/null; then fail bridge/sigterm-clean-exit "still running 5 s after SIGTERM"
else
    wait $BRIDGE
    rc=$?
    [ $rc = 0 ] && pass bridge/sigterm-clean-exit || fail bridge/sigterm-clean-exit "rc=$rc"
fi
[ $FAILS = 0 ]
