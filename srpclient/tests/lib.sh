# Sourced by srpclient's test scripts: the PASS/FAIL/SKIP protocol, a scratch directory
# under build/tmp, cleanup of every process a test starts, and loopback port helpers.
# Usage: source "$(dirname "$0")/lib.sh"; test_init NAME  (then add started PIDs to PIDS)
# KEEP_TMP=1 keeps the scratch directory.

# test_init NAME: cd to the repo root; set ROOT, BIN (SRPCLIENT_BIN or build/bin/srpclient),
# T (a fresh build/tmp/srpclient-NAME.XXXXXX), PIDS=() and FAILS=0; install the traps.
test_init() {
    ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    cd "$ROOT" || exit 1
    BIN=${SRPCLIENT_BIN:-$ROOT/build/bin/srpclient}
    mkdir -p build/tmp build/srpclient
    T=$(mktemp -d "$ROOT/build/tmp/srpclient-$1.XXXXXX")
    PIDS=()
    FAILS=0
    trap cleanup EXIT
    trap 'exit 130' INT TERM HUP
}

# cleanup: TERM every started process, KILL what is left after 5 s (a hung process must
# not hang the test), reap them, remove T unless KEEP_TMP is set.
cleanup() {
    local p alive
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for _ in $(seq 50); do
        alive=0
        for p in "${PIDS[@]}"; do
            case "$(awk '{ print $3 }' /proc/"$p"/stat 2>/dev/null)" in '' | Z) ;; *) alive=1 ;; esac
        done
        [ $alive = 0 ] && break
        sleep 0.1
    done
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    [ -n "${KEEP_TMP-}" ] || rm -rf "$T"
}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }

# free_port: a port the kernel considers free on 127.0.0.1 now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_port PORT: 0 once 127.0.0.1:PORT accepts a connection, 1 after 15 s.
wait_port() {
    for _ in $(seq 150); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# build_gnutls_device NAME: compile the lab's GnuTLS admin device to $T/srp-device; on failure
# a FAIL line for NAME/device and exit.
build_gnutls_device() {
    cc -O2 -o "$T/srp-device" interop/devices/srp-device-gnutls.c $(pkg-config --cflags --libs gnutls) \
        2>"$T/cc.err" && return 0
    fail "$1/device" "cannot build interop/devices/srp-device-gnutls.c: $(head -2 "$T/cc.err")"
    exit 1
}
