#!/bin/bash
# Bridge under load (issue 9): srpclient --listen in front of a lab TLS-SRP device whose web server
# logs every request that reaches it (srp2http front of interop/devices/srp-device-gnutls.c, backed
# by a small raw-logging HTTP server), for each built product backend:
#   - wrk -c200 -t2 -d$WRK_SECS --timeout 10s through the bridge (requests to the device are serialised,
#     so a request may queue behind 199 others: wrk's default 2 s would count queueing on a loaded
#     machine as errors): no crash, no socket error, every response 2xx,
#     and the device saw at least as many requests as wrk completed;
#   - malformed/hostile HTTP sent raw (python3): each gets its exact status (400 unless an HTTP RFC
#     names a more precise one; the table is printed) and NOTHING of it reaches the device;
#   - meanwhile 40 clients trickle a request head (a byte a second): each is answered 408 once the
#     bridge's 10 s for a head are up, and wrk is not disturbed;
#   - memory: VmRSS sampled from /proc during the run; the peak (VmHWM) must stay under
#     BRIDGE_RSS_BOUND_MB and RSS must come back within BRIDGE_RSS_SLACK_MB of the pre-load baseline;
#   - 16 concurrent 7 MiB uploads against the bridge's 96 MiB body budget: each forwarded whole or
#     refused with 503, the peak stays under the bound plus the budget plus one response;
#   - the bridge is still alive, serves a valid request, and exits 0 on SIGTERM.
# 127.0.0.1 only, run-time ports, bounded waits, trap cleanup.
set -u
source "$(dirname "$0")/lib.sh"
test_init bridge-load
WRK_SECS=${WRK_SECS:-20}
RSS_BOUND_MB=${BRIDGE_RSS_BOUND_MB:-64}
RSS_SLACK_MB=${BRIDGE_RSS_SLACK_MB:-16}
[ -x "$BIN" ] || { fail bridge-load/binary "$BIN missing"; exit 1; }
for tool in srptool curl python3 cc wrk; do
    command -v $tool >/dev/null || { skip bridge-load/all "$tool not installed (srpclient/packages.txt)"; exit 0; }
done
started=$(date +%s)

# --- the device: SRP front (GnuTLS) + a web server that logs each request head it receives -------
srptool --create-conf "$T/tpasswd.conf" >/dev/null 2>&1
: >"$T/tpasswd"
printf 'correct horse\ncorrect horse\n' | srptool --passwd "$T/tpasswd" --passwd-conf "$T/tpasswd.conf" -u admin -i 3 >/dev/null 2>&1
build_gnutls_device bridge-load
cat >"$T/webserver.py" <<'EOF'
# Device web server: keep-alive HTTP/1.1, one line per request head received (repr of the raw
# bytes) appended to the access log, so the test sees exactly what the bridge forwarded.
import socketserver, sys
log = open(sys.argv[2], "ab", buffering=0)
class H(socketserver.StreamRequestHandler):
    def handle(self):
        self.request.settimeout(60)
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                line = self.rfile.readline(65537)
                if not line:
                    return
                head += line
                if len(head) > 1 << 20:
                    return
            log.write(repr(head).encode() + b"\n")
            length = 0
            for l in head.split(b"\r\n")[1:]:
                if l.lower().startswith(b"content-length:"):
                    length = int(l.split(b":", 1)[1])
            if length:
                self.rfile.read(length)
            body = b"device ok\n"
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
class S(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
WEB=$(free_port)
: >"$T/access.log"
timeout 900 python3 "$T/webserver.py" "$WEB" "$T/access.log" 2>"$T/web.err" &
PIDS+=($!)
wait_port "$WEB" || { fail bridge-load/device "web server did not start: $(head -3 "$T/web.err")"; exit 1; }
timeout 900 "$T/srp-device" --name load-device --backend "$WEB" --tpasswd "$T/tpasswd" --tpasswd-conf "$T/tpasswd.conf" >"$T/dev.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do grep -q '^LISTENING' "$T/dev.log" && break; sleep 0.1; done
DEV=$(awk '/^LISTENING/ { print $2 }' "$T/dev.log")
[ -n "$DEV" ] && wait_port "$DEV" || { fail bridge-load/device "device did not start: $(head -3 "$T/dev.log")"; exit 1; }
requests_seen() { wc -l <"$T/access.log"; }

# --- malformed and hostile requests (python3, raw socket) ------------------------------------------
cat >"$T/malformed.py" <<'EOF'
# Sends each case on its own connection, reads until the bridge closes (bounded), prints one
# tab-separated line per case: name, expected status, received status (or "none"), number of
# responses on the connection, and what the case is.
import re, socket, sys, time
port = int(sys.argv[1])
H = b"127.0.0.1:%d" % port
def req(line, *headers, body=b"", host=True):
    hs = ([b"Host: " + H] if host else []) + list(headers)
    return line + b"\r\n" + b"".join(h + b"\r\n" for h in hs) + b"\r\n" + body
smuggled = b"GET /mal/smuggled HTTP/1.1\r\nHost: " + H + b"\r\n\r\n"
big = b"a" * (70 * 1024)
cases = [
    # name, expected, bytes, what (every path carries /mal/ so a forwarded one shows in the log)
    ("bad-request-line", 400, b"NOT HTTP AT ALL /mal/badline\r\n\r\n", "no method/target/version"),
    ("unknown-method", 501, req(b"FOO /mal/method HTTP/1.1"), "RFC 9110 15.6.2: unrecognised method"),
    ("lowercase-method", 501, req(b"get /mal/lower HTTP/1.1"), "methods are case-sensitive"),
    ("trace", 405, req(b"TRACE /mal/trace HTTP/1.1"), "known method the bridge does not forward (Allow sent)"),
    ("connect", 405, req(b"CONNECT mal-connect.example:443 HTTP/1.1", host=False) .replace(b"\r\n\r\n", b"\r\nHost: mal-connect.example:443\r\n\r\n"), "no tunnels"),
    ("http-0.9", 400, b"GET /mal/http09\r\n", "HTTP/0.9 simple request"),
    ("http2-preface", 505, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "RFC 9110 15.6.6: version not supported"),
    ("http-version-garbage", 505, req(b"GET /mal/ver HTTP/7.3"), "unsupported major version"),
    ("header-without-colon", 400, req(b"GET /mal/nocolon HTTP/1.1", b"NoColonHere"), "RFC 9112 5"),
    ("space-before-colon", 400, req(b"GET /mal/spacecolon HTTP/1.1", b"X-Mal : a"), "RFC 9112 5.1: MUST 400"),
    ("header-name-not-token", 400, req(b"GET /mal/nametoken HTTP/1.1", b"X(Mal): a"), "field name must be a token"),
    ("nul-in-header", 400, req(b"GET /mal/nul HTTP/1.1", b"X-Mal: a\x00b"), "RFC 9110 5.5: reject NUL"),
    ("cr-in-header", 400, req(b"GET /mal/cr HTTP/1.1", b"X-Mal: a\rX-Injected: b"), "RFC 9110 5.5: reject bare CR"),
    ("lf-in-header", 400, req(b"GET /mal/lf HTTP/1.1", b"X-Mal: a\nX-Injected: b"), "bare LF inside a CRLF-framed head"),
    ("ctl-in-header", 400, req(b"GET /mal/ctlhdr HTTP/1.1", b"X-Mal: a\x01b"), "control character in a value"),
    ("ctl-in-target", 400, req(b"GET /mal/tctl\x01x HTTP/1.1"), "control character in the target"),
    ("obs-fold", 400, req(b"GET /mal/fold HTTP/1.1", b"X-Mal: a", b" folded"), "RFC 9112 5.2: obs-fold rejected"),
    ("content-length-duplicate", 400, req(b"POST /mal/cl2 HTTP/1.1", b"Content-Length: 5", b"Content-Length: 5", body=b"hello"), "RFC 9112 6.3: more than one"),
    ("content-length-conflict", 400, req(b"POST /mal/clc HTTP/1.1", b"Content-Length: 5", b"Content-Length: 45", body=b"hello" + smuggled), "RFC 9112 6.3: MUST 400"),
    ("content-length-list", 400, req(b"POST /mal/cll HTTP/1.1", b"Content-Length: 5, 5", body=b"hello"), "RFC 9112 6.3: invalid value"),
    ("content-length-negative", 400, req(b"POST /mal/cln HTTP/1.1", b"Content-Length: -1"), "RFC 9112 6.3"),
    ("content-length-not-number", 400, req(b"POST /mal/clx HTTP/1.1", b"Content-Length: 0x10"), "RFC 9112 6.3"),
    ("content-length-overflow", 413, req(b"POST /mal/clo HTTP/1.1", b"Content-Length: 99999999999999999999999"), "beyond any body accepted"),
    ("cl-and-te (smuggling)", 400, req(b"POST /mal/clte HTTP/1.1", b"Content-Length: 4", b"Transfer-Encoding: chunked", body=b"0\r\n\r\n" + smuggled), "RFC 9112 6.1: reject, then close"),
    ("te-and-cl (smuggling)", 400, req(b"POST /mal/tecl HTTP/1.1", b"Transfer-Encoding: chunked", b"Content-Length: 60", body=b"0\r\n\r\n" + smuggled), "RFC 9112 6.1"),
    ("te-without-chunked", 400, req(b"POST /mal/tegzip HTTP/1.1", b"Transfer-Encoding: gzip", body=b"x"), "RFC 9112 6.3: chunked not final, MUST 400"),
    ("te-unknown-coding", 501, req(b"POST /mal/tegzipch HTTP/1.1", b"Transfer-Encoding: gzip, chunked", body=b"0\r\n\r\n"), "RFC 9112 6.1: coding not understood"),
    ("te-chunked-not-last", 400, req(b"POST /mal/tenotlast HTTP/1.1", b"Transfer-Encoding: chunked, gzip", body=b"0\r\n\r\n"), "RFC 9112 6.3: chunked not final"),
    ("te-obfuscated", 400, req(b"POST /mal/texchunked HTTP/1.1", b"Transfer-Encoding: xchunked", body=b"0\r\n\r\n" + smuggled), "not 'chunked'"),
    ("te-twice", 400, req(b"POST /mal/te2 HTTP/1.1", b"Transfer-Encoding: chunked", b"Transfer-Encoding: identity", body=b"0\r\n\r\n"), "two framings"),
    ("te-in-http/1.0", 400, req(b"POST /mal/te10 HTTP/1.0", b"Transfer-Encoding: chunked", body=b"0\r\n\r\n" + smuggled), "RFC 9112 6.1: faulty framing"),
    ("chunked-bad-size", 400, req(b"POST /mal/chunkbad HTTP/1.1", b"Transfer-Encoding: chunked", body=b"zz\r\nhello\r\n0\r\n\r\n"), "chunk size not hex"),
    ("chunked-size-overflow", 413, req(b"POST /mal/chunkof HTTP/1.1", b"Transfer-Encoding: chunked", body=b"fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), "RFC 9112 7.1: chunk beyond any body accepted"),
    ("chunked-missing-crlf", 400, req(b"POST /mal/chunkcrlf HTTP/1.1", b"Transfer-Encoding: chunked", body=b"5\r\nhelloXX0\r\n\r\n"), "chunk data not followed by CRLF"),
    ("oversized-header", 431, req(b"GET /mal/bighdr HTTP/1.1", b"X-Mal: " + big), "RFC 6585 5"),
    ("too-many-headers", 431, req(b"GET /mal/manyhdr HTTP/1.1", *[b"X-Mal-%d: a" % i for i in range(3000)]), "RFC 6585 5"),
    ("oversized-request-line", 414, req(b"GET /mal/" + big + b" HTTP/1.1"), "RFC 9112 3: MUST 414"),
    ("body-too-large", 413, req(b"POST /mal/bigbody HTTP/1.1", b"Content-Length: 100000000", b"Expect: 100-continue"), "RFC 9110 15.5.14, before any 100"),
    ("absolute-form-other-host", 421, req(b"GET http://mal-absolute.example/mal/abs HTTP/1.1"), "RFC 9110 15.5.20: not our authority"),
    ("asterisk-form", 400, req(b"OPTIONS * HTTP/1.1"), "nothing server-wide to forward"),
    ("host-missing", 400, req(b"GET /mal/nohost HTTP/1.1", host=False), "RFC 9112 3.2: MUST 400"),
    ("host-duplicate", 400, req(b"GET /mal/host2 HTTP/1.1", b"Host: " + H), "RFC 9112 3.2: MUST 400"),
    ("host-invalid", 400, req(b"GET /mal/hostbad HTTP/1.1", b"Host: a b", host=False), "RFC 9112 3.2: MUST 400"),
    ("host-userinfo", 400, req(b"GET /mal/hostui HTTP/1.1", b"Host: mal@" + H, host=False), "RFC 9110 7.2: no userinfo"),
    ("host-rebinding", 421, req(b"GET /mal/rebind HTTP/1.1", b"Host: mal-rebind.example:%d" % port, host=False), "DNS rebinding: not our authority"),
    ("host-not-loopback", 421, req(b"GET /mal/hostip HTTP/1.1", b"Host: 10.1.2.3:%d" % port, host=False), "loopback bridge: loopback addresses and localhost only"),
    ("host-other-port", 421, req(b"GET /mal/otherport HTTP/1.1", b"Host: 127.0.0.1:1", host=False), "not our authority"),
    ("cross-site-post (CSRF)", 403, req(b"POST /mal/csrf HTTP/1.1", b"Origin: http://mal-csrf.example", b"Content-Type: application/x-www-form-urlencoded", b"Content-Length: 3", body=b"a=b"), "foreign Origin"),
    ("cross-site-subresource", 403, req(b"GET /mal/fetchmeta HTTP/1.1", b"Sec-Fetch-Site: cross-site", b"Sec-Fetch-Mode: no-cors", b"Sec-Fetch-Dest: image"), "Fetch Metadata: cross-site <img>"),
    ("cross-site-login (login CSRF)", 403, req(b"POST /.srpclient/login HTTP/1.1", b"Origin: http://mal-csrf.example", b"Content-Type: application/x-www-form-urlencoded", b"Content-Length: 37", body=b"username=mal&password=mal&next=%2Fmal"), "would replace the credentials"),
    ("cross-site-logout", 403, req(b"GET /.srpclient/logout HTTP/1.1", b"Sec-Fetch-Site: cross-site", b"Sec-Fetch-Mode: no-cors", b"Sec-Fetch-Dest: image"), "would sign the user out"),
    ("pipelined-after-valid", 200, req(b"GET /pipeok HTTP/1.1") + b"GET /mal/pipe2 HTTP/1.1\nHost: " + H + b"\n\n", "one request per connection: the 2nd is never read"),
    ("pipelined-after-rejected", 421, req(b"GET /mal/pipe1 HTTP/1.1", b"Host: mal-rebind.example", host=False) + smuggled, "connection closed after a rejection"),
]
def exchange(data):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    got = b""
    try:
        s.sendall(data)
    except OSError:
        pass  # the bridge may answer and close before reading everything (oversized cases)
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    end, closed = time.monotonic() + 10, False
    while time.monotonic() < end:
        try:
            b = s.recv(65536)
        except OSError:
            closed = True  # reset after the answer: closed all the same
            break
        if not b:
            closed = True
            break
        got += b
    s.close()
    return got, closed
def marker(data):  # what the device log would show if this request got through
    m = re.search(rb"/mal/[A-Za-z0-9]{1,16}|mal-[a-z]+|PRI \*|OPTIONS \*", data)
    return m.group(0).decode() if m else "-"
for name, expected, data, what in cases:
    got, closed = exchange(data)
    codes = re.findall(rb"HTTP/1\.[01] (\d{3}) ", got)
    code = codes[0].decode() if got.startswith(b"HTTP/") else "none"
    # one answer, then the connection closes (libmicrohttpd 0.9.75 repeats the header block of its
    # own error responses: same status, still one answer)
    one = closed and len(set(codes)) == 1
    print("%s\t%d\t%s\t%s\t%s\t%s" % (name, expected, code, "yes" if one else "no", marker(data), what), flush=True)
EOF

# --- slow clients: 40 connections that trickle a request head, one byte a second ----------------
cat >"$T/slow.py" <<'EOF'
import socket, sys, time
port, n = int(sys.argv[1]), 40
t0 = time.monotonic()
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET /mal/slow HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port)
    s.setblocking(False)
    socks.append([s, None])
while time.monotonic() - t0 < 25 and any(a is None for _, a in socks):
    for entry in socks:
        s, answer = entry
        if answer is not None:
            continue
        try:
            got = s.recv(4096)
            entry[1] = (got.split(b" ")[1].decode() if got.startswith(b"HTTP/") else "closed", time.monotonic() - t0)
            continue
        except BlockingIOError:
            pass
        except OSError:
            entry[1] = ("reset", time.monotonic() - t0)
            continue
        try:
            s.send(b"a")
        except OSError:
            pass
    time.sleep(1)
codes = [a[0] if a else "none" for _, a in socks]
times = [a[1] for _, a in socks if a]
print("%d %d %.1f %.1f" % (codes.count("408"), n, min(times or [0]), max(times or [0])))
EOF

# --- memory sampler --------------------------------------------------------------------------------
sample_memory() {   # PID OUTFILE: "epoch_ms rss_kb hwm_kb threads" every 100 ms while PID lives
    while kill -0 "$1" 2>/dev/null; do
        awk -v t="$(date +%s%3N)" '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } /^Threads/ { n = $2 }
            END { if (r) print t, r, h, n }' /proc/"$1"/status 2>/dev/null >>"$2"
        sleep 0.1
    done
}
rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/"$1"/status 2>/dev/null; }

run_backend() {   # BACKEND
    local be=$1 bp bridge B code sampler tpid
    bp=$(free_port)
    B=http://127.0.0.1:$bp
    timeout 900 "$BIN" --tls-backend "$be" --ciphers SRP-AES-256-CBC-SHA:SRP-AES-128-CBC-SHA \
        --listen 127.0.0.1:$bp https://127.0.0.1:$DEV/ </dev/null 2>"$T/bridge-$be.err" &
    tpid=$!
    PIDS+=($tpid)
    wait_port "$bp" || { fail $be/bridge-start "$(head -3 "$T/bridge-$be.err")"; return; }
    bridge=$(pgrep -P $tpid -x srpclient)   # the bridge itself, not timeout(1)
    [ -n "$bridge" ] || { fail $be/bridge-start "no srpclient process under timeout"; return; }
    PIDS+=($bridge)
    code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' --data-urlencode username=admin \
        --data-urlencode 'password=correct horse' -d next=/ $B/.srpclient/login)
    [ "$code" = 303 ] || { fail $be/login "login answered $code: $(tail -3 "$T/bridge-$be.err")"; return; }
    code=$(curl -s --max-time 30 -o "$T/warm" -w '%{http_code}' $B/warmup)
    if [ "$code" = 200 ] && grep -q 'device ok' "$T/warm"; then pass $be/logged-in-and-forwarding
    else fail $be/logged-in-and-forwarding "GET /warmup answered $code"; return; fi
    sample_memory $bridge "$T/mem-$be" &
    sampler=$!
    PIDS+=($sampler)
    sleep 1
    local base_kb; base_kb=$(rss_kb $bridge)

    # load
    local seen0 seen1 t0 t1
    seen0=$(requests_seen)
    timeout 60 python3 "$T/slow.py" $bp >"$T/slow-$be.out" 2>&1 &
    local slow=$!
    t0=$(date +%s)
    timeout $((WRK_SECS + 60)) wrk -c200 -t2 -d${WRK_SECS}s --timeout 10s --latency $B/load >"$T/wrk-$be.out" 2>&1
    local wrc=$?
    t1=$(date +%s)
    seen1=$(requests_seen)
    sed "s/^/    [$be wrk] /" "$T/wrk-$be.out"
    local total non2xx sockerr rps
    total=$(awk '/requests in/ { print $1 }' "$T/wrk-$be.out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$T/wrk-$be.out")
    sockerr=$(grep 'Socket errors:' "$T/wrk-$be.out")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$T/wrk-$be.out")
    if [ $wrc = 0 ] && [ -n "$total" ] && [ "$total" -gt 0 ] && [ -z "$non2xx" ] && [ -z "$sockerr" ]; then
        pass "$be/wrk-200-connections ($total requests, $rps req/s, no errors, $((t1 - t0)) s)"
    else fail $be/wrk-200-connections "rc=$wrc total=${total:-?} non-2xx=${non2xx:-0} ${sockerr:-no socket errors}"; fi
    if kill -0 $bridge 2>/dev/null; then pass $be/alive-after-load; else fail $be/alive-after-load "bridge exited"; fi
    wait $slow
    local slow408 slown slowmin slowmax
    read -r slow408 slown slowmin slowmax <"$T/slow-$be.out"
    echo "    [$be slow] $slow408 of $slown slow-header clients answered 408 after ${slowmin}-${slowmax} s"
    if [ "${slow408:-0}" = 40 ] && awk -v a="$slowmin" -v b="$slowmax" 'BEGIN { exit !(a >= 9 && b <= 16) }'; then
        pass "$be/slow-header-clients-408-after-10s (during wrk, ${slowmin}-${slowmax} s)"
    else fail $be/slow-header-clients-408 "$(cat "$T/slow-$be.out")"; fi
    # every response wrk counted was forwarded (a few more may have been cut off when wrk stopped)
    if [ -n "$total" ] && [ $((seen1 - seen0)) -ge "$total" ]; then pass "$be/device-saw-load ($((seen1 - seen0)) requests)"
    else fail $be/device-saw-load "device saw $((seen1 - seen0)), wrk completed ${total:-?}"; fi

    # malformed (once the requests queued when wrk stopped have reached the device)
    local before after last=-1
    for _ in $(seq 60); do before=$(requests_seen); [ "$before" = "$last" ] && break; last=$before; sleep 0.5; done
    timeout 600 python3 "$T/malformed.py" $bp >"$T/mal-$be.tsv" 2>"$T/mal-$be.err"
    after=$(requests_seen)
    [ -s "$T/mal-$be.tsv" ] || fail $be/malformed "no output: $(tail -3 "$T/mal-$be.err")"
    printf '    [%s malformed] %-30s %-8s %-6s %-9s %s\n' "$be" request expected got forwarded why
    while IFS=$'\t' read -r name expected got once mark what; do
        local fwd=no
        [ "$mark" != - ] && grep -qE -- "$mark([^A-Za-z0-9]|\$)" "$T/access.log" && fwd=yes
        printf '    [%s malformed] %-30s %-8s %-6s %-9s %s\n' "$be" "$name" "$expected" "$got" "$fwd" "$what"
        if [ "$got" = "$expected" ] && [ "$once" = yes ] && [ $fwd = no ]; then pass "$be/malformed/${name// /-}"
        else fail "$be/malformed/${name// /-}" "expected $expected (one answer, then close), got $got (one answer then close: $once), forwarded: $fwd"; fi
    done <"$T/mal-$be.tsv"
    # the only request of the set that may reach the device is pipelined-after-valid's first
    local new; new=$(tail -n +$((before + 1)) "$T/access.log")
    if [ $((after - before)) = 1 ] && echo "$new" | grep -q "GET /pipeok " && ! grep -v mal-control "$T/access.log" | grep -q mal; then
        pass "$be/malformed-never-forwarded (device saw only GET /pipeok)"
    else fail $be/malformed-never-forwarded "device saw $((after - before)) requests: $(echo "$new" | head -3 | cut -c1-200)"; fi
    code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' $B/mal-control)
    if [ "$code" = 200 ] && grep -q 'mal-control' "$T/access.log"; then pass $be/control-request-is-logged
    else fail $be/control-request-is-logged "GET /mal-control answered $code, logged: $(grep -c mal-control "$T/access.log")"; fi
    code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -H "Host: localhost:$bp" -H "Origin: http://localhost:$bp" \
        -H 'Sec-Fetch-Site: same-origin' -d x=y $B/localhost-post)
    if [ "$code" = 200 ] && grep -q "localhost-post" "$T/access.log"; then pass $be/same-origin-post-via-localhost-forwarded
    else fail $be/same-origin-post-via-localhost-forwarded "POST as localhost answered $code"; fi
    code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' --request-target "http://127.0.0.1:$bp/absolute-ok?x=1" $B/)
    if [ "$code" = 200 ] && grep -q "GET /absolute-ok?x=1 " "$T/access.log"; then pass $be/absolute-form-to-bridge-forwarded-as-origin-form
    else fail $be/absolute-form-to-bridge-forwarded-as-origin-form "answered $code: $(grep absolute-ok "$T/access.log" | cut -c1-100)"; fi

    # memory back near baseline, peak under the bound
    sleep 3
    local now_kb peak_kb
    now_kb=$(rss_kb $bridge)
    peak_kb=$(awk '/^VmHWM/ { print $2 }' /proc/$bridge/status 2>/dev/null)
    echo "    [$be memory] baseline ${base_kb} kB, peak (VmHWM) ${peak_kb} kB, after ${now_kb} kB, max threads $(awk 'BEGIN { m = 0 } $4 > m { m = $4 } END { print m }' "$T/mem-$be")"
    if [ -n "$peak_kb" ] && [ "$peak_kb" -lt $((RSS_BOUND_MB * 1024)) ]; then pass "$be/peak-rss-under-${RSS_BOUND_MB}MiB ($((peak_kb / 1024)) MiB)"
    else fail $be/peak-rss-bound "peak ${peak_kb:-?} kB >= $RSS_BOUND_MB MiB"; fi
    if [ -n "$now_kb" ] && [ "$now_kb" -lt $((base_kb + RSS_SLACK_MB * 1024)) ]; then pass "$be/rss-back-near-baseline (${now_kb} kB vs ${base_kb} kB)"
    else fail $be/rss-back-near-baseline "${now_kb:-?} kB after, baseline $base_kb kB (slack $RSS_SLACK_MB MiB)"; fi

    # the bridge-wide body budget (96 MiB): 16 concurrent 7 MiB uploads are more than it holds;
    # each is forwarded whole (200) or refused at once (503), and memory stays bounded
    [ -f "$T/upload" ] || head -c $((7 << 20)) /dev/zero >"$T/upload"
    local ups=() seen_up0 seen_up1 ok busy
    seen_up0=$(grep -c "POST /upload" "$T/access.log")
    for i in $(seq 16); do
        curl -s --max-time 60 -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/octet-stream' \
            --data-binary @"$T/upload" $B/upload$i >>"$T/up-$be" &
        ups+=($!)
    done
    wait "${ups[@]}"
    seen_up1=$(grep -c "POST /upload" "$T/access.log")
    ok=$(grep -c '^200$' "$T/up-$be"); busy=$(grep -c '^503$' "$T/up-$be")
    peak_kb=$(awk '/^VmHWM/ { print $2 }' /proc/$bridge/status 2>/dev/null)
    echo "    [$be upload] 16 x 7 MiB: $ok forwarded (200), $busy refused (503); device saw $((seen_up1 - seen_up0)); peak (VmHWM) now ${peak_kb} kB"
    if [ $((ok + busy)) = 16 ] && [ "$busy" -ge 1 ] && [ "$ok" -ge 1 ] && [ $((seen_up1 - seen_up0)) = "$ok" ] &&
       [ -n "$peak_kb" ] && [ "$peak_kb" -lt $(((RSS_BOUND_MB + 96 + 64) * 1024)) ]; then
        pass "$be/body-budget ($ok forwarded, $busy refused with 503, peak $((peak_kb / 1024)) MiB)"
    else fail $be/body-budget "codes: $(sort "$T/up-$be" | uniq -c | tr '\n' ' ') device saw $((seen_up1 - seen_up0)), peak ${peak_kb:-?} kB"; fi

    # still serving, then a clean exit
    code=$(curl -s --max-time 30 -o "$T/final" -w '%{http_code}' $B/final)
    if kill -0 $bridge 2>/dev/null && [ "$code" = 200 ] && grep -q 'device ok' "$T/final"; then pass $be/serves-after-all
    else fail $be/serves-after-all "GET /final answered $code"; fi
    kill -TERM $bridge
    for _ in $(seq 100); do kill -0 $bridge 2>/dev/null || break; sleep 0.1; done
    if kill -0 $bridge 2>/dev/null; then fail $be/sigterm-clean-exit "still running 10 s after SIGTERM"; kill -KILL $bridge
    else wait $tpid; local rc=$?; [ $rc = 0 ] && pass $be/sigterm-clean-exit || fail $be/sigterm-clean-exit "rc=$rc"; fi
    kill $sampler 2>/dev/null
}

for be in ${BRIDGE_LOAD_BACKENDS:-nss boringssl}; do
    if "$BIN" --tls-backend $be -u a:b https://x.invalid/ 2>&1 | grep -q "not built"; then
        skip $be/all "backend $be not built"
        continue
    fi
    run_backend $be
done
echo "    duration $(( $(date +%s) - started )) s"
[ $FAILS = 0 ]
