# lab-device.sh - start/stop one lab TLS-SRP device for the docs tests (source it).
#
#   lab_device_start DIR USER [BITS]   password on stdin (one line); sets LAB_PORT
#   lab_device_stop DIR
#
# The device is the interop lab's GnuTLS admin device (interop/devices/
# srp-device-gnutls.c): the binary the interop build staged if there is one,
# else compiled here into build/tmp/docs-lab/bin (one C file each, seconds).
# Verifiers are written by the lab's srp-mkconf (password read from stdin, so
# it never appears in argv).  The device listens on 127.0.0.1 on a port the
# kernel picks; every wait is bounded; lab_device_stop kills it by pid.
# On failure the functions print a reason on stdout and return 1 (the caller
# turns that into a SKIP: a missing device is not the example's fault).

LAB_ROOT=${LAB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

lab_bin() {  # lab_bin NAME -> path of a usable binary, building it if needed
    local name=$1 src cand out=$LAB_ROOT/build/tmp/docs-lab/bin
    for cand in "$LAB_ROOT/build/interop/bin/$name" "$LAB_ROOT/build/bin/$name"; do
        [ -x "$cand" ] && { echo "$cand"; return 0; }
    done
    src=$LAB_ROOT/interop/devices/$name.c
    [ -f "$src" ] || { echo "no $name binary and no source $src"; return 1; }
    mkdir -p "$out"
    if [ ! -x "$out/$name" ] || [ "$src" -nt "$out/$name" ] ||
       [ "$LAB_ROOT/interop/devices/common.h" -nt "$out/$name" ]; then
        local libs="-lgnutls"
        [ "$name" = srp-mkconf ] && libs="-lgnutls -lcrypto"
        if ! cc -O1 -o "$out/$name.tmp" "$src" $libs > "$out/$name.log" 2>&1; then
            echo "cannot compile $src (see $out/$name.log; needs libgnutls28-dev, libssl-dev)"
            return 1
        fi
        mv "$out/$name.tmp" "$out/$name"
    fi
    echo "$out/$name"
}

lab_device_start() {  # DIR USER [BITS]; password on stdin
    local dir=$1 user=$2 bits=${3:-2048} dev mk idx i
    case $bits in 1024) idx=1 ;; 1536) idx=2 ;; 2048) idx=3 ;; 3072) idx=4 ;;
        4096) idx=5 ;; 6144) idx=6 ;; 8192) idx=7 ;; *) echo "no RFC 5054 group of $bits bits"; return 1 ;; esac
    dev=$(lab_bin srp-device-gnutls) || { echo "$dev"; return 1; }
    mk=$(lab_bin srp-mkconf) || { echo "$mk"; return 1; }
    mkdir -p "$dir"
    "$mk" conf "$dir/tpasswd.conf" > "$dir/mkconf.log" 2>&1 || { echo "srp-mkconf conf failed"; return 1; }
    : > "$dir/tpasswd"
    "$mk" verifier "$dir/tpasswd.conf" "$idx" "$user" "$dir/tpasswd" >> "$dir/mkconf.log" 2>&1 ||
        { echo "srp-mkconf verifier failed"; return 1; }
    setsid "$dev" --tpasswd "$dir/tpasswd" --tpasswd-conf "$dir/tpasswd.conf" --name docs-lab \
        > "$dir/device.out" 2> "$dir/device.err" < /dev/null &
    echo $! > "$dir/device.pid"
    for i in $(seq 100); do
        grep -q '^LISTENING ' "$dir/device.out" 2>/dev/null && break
        kill -0 "$(cat "$dir/device.pid")" 2>/dev/null || break
        sleep 0.1
    done
    LAB_PORT=$(awk '/^LISTENING /{print $2; exit}' "$dir/device.out" 2>/dev/null)
    if [ -z "$LAB_PORT" ]; then
        lab_device_stop "$dir"
        echo "lab device did not start: $(tail -1 "$dir/device.err" 2>/dev/null)"
        return 1
    fi
}

lab_device_stop() {
    local dir=$1 pid i
    [ -f "$dir/device.pid" ] || return 0
    pid=$(cat "$dir/device.pid")
    # the device forks one child per connection into its own process group
    # (safe under set -e: callers' EXIT traps must not change their exit status)
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/device.pid"
    return 0
}
