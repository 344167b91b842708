#!/bin/bash
# Secret hygiene: after a TLS-SRP handshake, the client process holds neither
# the password nor x = SHA1(salt | SHA1(user ":" password)).
#
# Per backend (nss, boringssl) and per password source (environment,
# credentials file): srpclient logs in to the lab's GnuTLS device
# (interop/devices/srp-device-gnutls.c in srp2http mode) whose HTTP backend
# holds the response, so the client sits right after the handshake with its
# request sent.  memscan.py then reads the whole process memory through
# /proc/PID/maps + /proc/PID/mem and searches it for the password (raw,
# UTF-16LE, hex), SHA1(user ":" password), and x (big-endian, little-endian
# as bignum words, hex).  x is computed here from the salt in the device's
# verifier file; the verifier itself is recomputed from it as a check.
# Positive controls: the username must be found in the same dump, and with
# -L (srpclient keeps the password for redirects, a documented choice) the
# password must be found: the search works on a live process.
# The password is random per run and never on a command line.  ~20 s.
# KEEP_TMP=1 keeps the scans (build/tmp/srpclient-hygiene.*/*.scan).
set -u
source "$(dirname "$0")/lib.sh"
test_init hygiene
BACKENDS=${SRPCLIENT_BACKENDS:-nss boringssl}

if [ ! -x "$BIN" ]; then
    fail secret-hygiene/binary "$BIN missing (make srpclient)"
    exit 1
fi
for tool in srptool pkg-config cc python3; do
    command -v $tool >/dev/null || { skip secret-hygiene/all "$tool not installed"; exit 0; }
done
# /proc/PID/mem of another process needs ptrace rights (srpclient also makes
# itself non-dumpable): root, or CAP_SYS_PTRACE.
if [ "$(id -u)" != 0 ]; then
    skip secret-hygiene/all "reading another process's memory needs root (CAP_SYS_PTRACE)"
    exit 0
fi


USER_NAME="hyg-$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
PASSWORD="pw-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
srptool --create-conf "$T/tpasswd.conf" >/dev/null 2>&1
: >"$T/tpasswd"
printf '%s\n%s\n' "$PASSWORD" "$PASSWORD" |
    srptool --passwd "$T/tpasswd" --passwd-conf "$T/tpasswd.conf" -u "$USER_NAME" -i 3 >/dev/null 2>&1
# Needles from the verifier file (the password comes in the environment).
HYG_PASSWORD=$PASSWORD python3 - "$T/tpasswd" "$T/tpasswd.conf" "$USER_NAME" >"$T/needles" 2>"$T/needles.err" <<'EOF'
import hashlib, os, sys
B64 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./"
def dec(s):
    """GnuTLS SRP base64: big-endian 6-bit digits, the short group first."""
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    length = 3 * (len(s) // 4) + {0: 0, 1: 1, 2: 1, 3: 2}[len(s) % 4]
    return n.to_bytes(length, "big")
passwd, conf, user = sys.argv[1:4]
password = os.environ["HYG_PASSWORD"].encode()
_, v, salt, idx = open(passwd).read().split()[0].split(":")
group = [l.split(":") for l in open(conf).read().split() if l.split(":")[0] == idx][0]
N, g = int.from_bytes(dec(group[1]), "big"), int.from_bytes(dec(group[2]), "big")
salt = dec(salt)
inner = hashlib.sha1(user.encode() + b":" + password).digest()
x = hashlib.sha1(salt + inner).digest()
if pow(g, int.from_bytes(x, "big"), N) != int.from_bytes(dec(v), "big"):
    sys.exit("recomputed verifier differs: salt or x decoded wrongly")
utf16 = password.decode().encode("utf-16-le")
print("password=" + password.hex())
print("password-utf16=" + utf16.hex())
print("password-hex=" + password.hex().encode().hex())
print("sha1-user-password=" + inner.hex())
print("x=" + x.hex())
print("x-le=" + x[::-1].hex())
print("x-hex=" + x.hex().encode().hex())
print("x-HEX=" + x.hex().upper().encode().hex())
print("username=" + user.encode().hex())
EOF
if [ ! -s "$T/needles" ]; then
    fail secret-hygiene/x "cannot compute x from the verifier file: $(cat "$T/needles.err")"
    exit 1
fi
pass secret-hygiene/x-recomputes-the-verifier

build_gnutls_device secret-hygiene
# The HTTP backend: answers the n-th request only once $T/release.n exists
# (60 s cap).
HOLD=$(free_port)
timeout 600 python3 - "$HOLD" "$T" >"$T/hold.log" 2>&1 <<'EOF' &
import os, socket, sys, threading, time
port, d = int(sys.argv[1]), sys.argv[2]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(8)
lock, count = threading.Lock(), [0]
def serve(c):
    c.settimeout(60)
    req = b""
    while b"\r\n\r\n" not in req:
        chunk = c.recv(4096)
        if not chunk:
            return
        req += chunk
    with lock:
        count[0] += 1
        n = count[0]
    open("%s/held.%d" % (d, n), "w").close()
    for _ in range(600):
        if os.path.exists("%s/release.%d" % (d, n)):
            break
        time.sleep(0.1)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhygiene-ok\n")
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
PIDS+=($!)
wait_port "$HOLD" || { fail secret-hygiene/backend "holding HTTP backend did not start"; exit 1; }
timeout 600 "$T/srp-device" --name hygiene-device --tpasswd "$T/tpasswd" --tpasswd-conf "$T/tpasswd.conf" \
    --backend "$HOLD" >"$T/dev.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do grep -qs '^LISTENING' "$T/dev.log" && break; sleep 0.1; done
DEV=$(awk '/^LISTENING/ { print $2 }' "$T/dev.log")
[ -n "$DEV" ] && wait_port "$DEV" || { fail secret-hygiene/device "device did not start: $(head -3 "$T/dev.log")"; exit 1; }

printf 'machine 127.0.0.1 port %s login %s password %s\n' "$DEV" "$USER_NAME" "$PASSWORD" >"$T/creds"
chmod 600 "$T/creds"
REQ=0

# run NAME BACKEND SOURCE [srpclient options]: one login; the memory is scanned
# while the device holds the response.  Leaves the scan in $T/NAME.scan.
# Returns 0 when scanned, 2 when the backend is not built in, 1 on failure.
run() {
    local name=$1 be=$2 src=$3 pid rc
    shift 3
    REQ=$((REQ + 1))
    if [ "$src" = env ]; then
        SRPCLIENT_USER=$USER_NAME SRPCLIENT_PASSWORD=$PASSWORD \
            "$BIN" --tls-backend "$be" -s -S "$@" "https://127.0.0.1:$DEV/" \
            </dev/null >"$T/$name.out" 2>"$T/$name.err" &
    else
        "$BIN" --tls-backend "$be" -s -S --credentials "$T/creds" "$@" "https://127.0.0.1:$DEV/" \
            </dev/null >"$T/$name.out" 2>"$T/$name.err" &
    fi
    pid=$!
    PIDS+=($pid)
    for _ in $(seq 300); do
        [ -e "$T/held.$REQ" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -e "$T/held.$REQ" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        grep -q "TLS backend '$be' not built" "$T/$name.err" && return 2
        fail "secret-hygiene/$name" "no request reached the device: $(tail -2 "$T/$name.err" | tr '\n' ' ')"
        return 1
    fi
    xargs python3 "$ROOT/srpclient/tests/memscan.py" "$pid" <"$T/needles" >"$T/$name.scan" 2>"$T/$name.scan.err"
    rc=$?
    touch "$T/release.$REQ"
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null
    wait "$pid"
    local exit_rc=$?
    if [ $rc != 0 ]; then
        fail "secret-hygiene/$name" "memory scan failed: $(cat "$T/$name.scan.err")"
        return 1
    fi
    if [ $exit_rc != 0 ] || ! grep -q hygiene-ok "$T/$name.out"; then
        fail "secret-hygiene/$name" "transfer failed (exit $exit_rc): $(tail -2 "$T/$name.err" | tr '\n' ' ')"
        return 1
    fi
    return 0
}
found() { awk -v n="$2" '$1 == n { print $2 }' "$T/$1.scan"; }

for be in $BACKENDS; do
    for src in env file; do
        name=$be-$src
        run "$name" "$be" "$src"
        case $? in
            0) ;;
            2) skip "secret-hygiene/$be" "backend not built into $BIN"; continue 2 ;;
            *) continue ;;
        esac
        if [ "$(found "$name" username)" -lt 1 ]; then
            fail "secret-hygiene/$name" "control: the username is not in the dump either, the scan sees nothing"
            continue
        fi
        leaks=$(awk '$1 != "username" && $2 > 0 { printf "%s %s× (%s %s) ", $1, $2, $3, $4 }' "$T/$name.scan")
        if [ -z "$leaks" ]; then
            pass "secret-hygiene/$name"
        else
            fail "secret-hygiene/$name" "after the handshake the client memory holds: $leaks"
        fi
    done
    # Positive control: -L keeps the password for redirects, so it must be found.
    name=$be-keep-for-redirects
    if run "$name" "$be" env -L; then
        if [ "$(found "$name" password)" -ge 1 ]; then
            pass "secret-hygiene/$name-control-finds-password"
        else
            fail "secret-hygiene/$name-control-finds-password" "the kept password was not found: the scan is blind"
        fi
    fi
done
[ "$FAILS" -eq 0 ]
