# Shared helpers for the BoringSSL TLS-SRP tests. Source this file.
#
# Provides: ROOT, BSSL, TMPD (per-run directory, removed on exit), PASSED/FAILED
# counters, pass/fail/skip reporters, free_port, srp_fixtures, start_gnutls,
# stop_server. Every wait is bounded; everything started is killed on exit.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -z "${BSSL:-}" ]; then
  # The staged build (make boringssl) first; a plain CMake build leaves it in out/tool/.
  BSSL=$ROOT/build/boringssl/dist/bin/bssl
  [ -x "$BSSL" ] || BSSL=$ROOT/build/boringssl/out/tool/bssl
fi
FAILED=0
SERVER_PID=

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP $1: $2"; }

mkdir -p "$ROOT/build/tmp"
TMPD=$(mktemp -d "$ROOT/build/tmp/bssl-srp.XXXXXX")

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    for _ in $(seq 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  fi
}

cleanup() {
  stop_server
  rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a currently unused TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# require_tools NAME... exits with SKIP lines if a tool is missing.
require_tools() {
  local t
  for t in "$@"; do
    if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "$t" ]; then
      skip "${SCRIPT_NAME:-bssl-srp}" "$t not available"
      exit 0
    fi
  done
}

# srp_fixtures writes, in $TMPD: tpasswd.conf with the RFC 5054 groups that
# gnutls serves (1024, 1536, 2048, 3072, 4096, 8192 bits; gnutls has no 6144),
# tpasswd with one user "user<bits>" per group, all with password from
# $TMPD/pw, a wrong password in $TMPD/wrongpw, and an RSA certificate for the
# SRP-RSA suites.
srp_fixtures() {
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$TMPD/pw"
  echo "not-the-password" > "$TMPD/wrongpw"
  # Index 1 (the RFC 5054 1024-bit group) is copied verbatim from gnutls
  # 3.8.9 doc/credentials/srp-tpasswd.conf; srptool --create-conf writes the
  # others (indices 2, 3, 4, 5 and 7).
  srptool --create-conf "$TMPD/gen.conf" >/dev/null 2>&1 || return 1
  {
    echo "1:Ewl2hcjiutMd3Fu2lgFnUXWSc67TVyy2vwYCKoS9MLsrdJVT9RgWTCuEqWJrfB6uE3LsE9GkOlaZabS7M29sj5TnzUqOLJMjiwEzArfiLr9WbMRANlF68N5AVLcPWvNx6Zjl3m5Scp0BzJBz9TkgfhzKJZ.WtP3Mv/67I/0wmRZ:2"
    grep -E '^[2-7]:' "$TMPD/gen.conf"
  } > "$TMPD/tpasswd.conf"
  : > "$TMPD/tpasswd"
  # srptool 3.7.9 aborts for the 8192-bit group, so all verifiers come from
  # srp-verifier.py (checked against srptool's output by check-verifier).
  local idx bits
  for idx in 1:1024 2:1536 3:2048 4:3072 5:4096 7:8192; do
    bits=${idx#*:}
    idx=${idx%%:*}
    python3 "$ROOT/boringssl-patches/tests/srp-verifier.py" "$TMPD/tpasswd.conf" \
      "$idx" "user$bits" "$TMPD/pw" >> "$TMPD/tpasswd" || return 1
  done
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$TMPD/key.pem" -out "$TMPD/cert.pem" >/dev/null 2>&1 || return 1
}

# start_gnutls <priority> [gnutls-serv options...] starts gnutls-serv on a
# fresh port (in $PORT) and waits until it accepts connections.
start_gnutls() {
  local priority=$1 try
  shift
  for try in 1 2 3; do
    PORT=$(free_port)
    gnutls-serv --http --srppasswd "$TMPD/tpasswd" \
      --srppasswdconf "$TMPD/tpasswd.conf" \
      --x509certfile "$TMPD/cert.pem" --x509keyfile "$TMPD/key.pem" \
      --priority "$priority" -p "$PORT" "$@" >"$TMPD/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
      if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        break
      fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        return 0
      fi
      sleep 0.1
    done
    stop_server
  done
  return 1
}

# bssl_get <outfile> <bssl client args...> sends an HTTP request through bssl
# client to the server on $PORT, with a bounded wait. stdout and stderr go to
# <outfile>.
bssl_get() {
  local out=$1
  shift
  printf 'GET / HTTP/1.0\r\n\r\n' |
    timeout 60 "$BSSL" client -connect "127.0.0.1:$PORT" "$@" >"$out" 2>&1
}
