# Shared helpers for the nss-patches test scripts (bash).  Source it.
# Output protocol (README.md, "Working on the project"): one line per case, PASS/FAIL/SKIP.

NSSP_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$NSSP_TESTS/../.." && pwd)
TMPBASE=$ROOT/build/tmp
mkdir -p "$TMPBASE"
# The Python helpers import srplab.py: no __pycache__ next to them.
export PYTHONDONTWRITEBYTECODE=1

FAILS=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }
finish() { [ "$FAILS" -eq 0 ]; exit $?; }

# Locate the patched NSS: the staged layout first, then the in-tree dist.
find_nss() {
    local d
    if [ -n "${NSS_DIST_DIR-}" ]; then
        :
    elif [ -x "$ROOT/build/nss/dist/bin/tstclnt" ]; then
        NSS_DIST_DIR=$ROOT/build/nss/dist
    else
        for d in "$ROOT"/build/nss/src/dist/Linux*_OPT.OBJ; do
            [ -x "$d/bin/tstclnt" ] && NSS_DIST_DIR=$d
        done
    fi
    [ -n "${NSS_DIST_DIR-}" ] || return 1
    # Source files the tests read: staged with a cached build, else the tree.
    NSS_TREE=$NSS_DIST_DIR/share/nss-tree
    [ -d "$NSS_TREE" ] || NSS_TREE=$ROOT/build/nss/src/nss
    NSS_BIN=$NSS_DIST_DIR/bin
    NSS_LIB=$NSS_DIST_DIR/lib
    TSTCLNT=$NSS_BIN/tstclnt
    return 0
}

# gtest_cases NAME CASE RUNS RC OUTPUT: PASS/FAIL NAME/<case> for each gtest case in
# OUTPUT (a gtest binary's output, exit status RC) whose name matches CASE (sed
# BRE); FAIL NAME when fewer than RUNS ran, or when RC != 0 with no case failed.
gtest_cases() {
    local name=$1 n=0 failed=0 status c
    while read -r status c; do
        n=$((n + 1))
        if [ "$status" = OK ]; then pass "$name/$c"; else fail "$name/$c" "gtest reported FAILED"; failed=1; fi
    done < <(printf '%s\n' "$5" | sed -n "s/^\[ *\(OK\|FAILED\) *\] \($2\) (.*/\1 \2/p")
    [ "$n" -ge "$3" ] || fail "$name" "only $n cases ran (rc=$4): $(printf '%s' "$5" | tail -3 | tr '\n' ' ')"
    [ "$4" -eq 0 ] || [ $failed = 1 ] || fail "$name" "gtest exited with $4"
}

# Run an NSS tool from the patched build.
nss_run() {
    LD_LIBRARY_PATH=$NSS_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$@"
}

# A free TCP port on 127.0.0.1 (bind to port 0 and release it).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Wait (bounded) until something listens on 127.0.0.1:$1.
wait_port() {
    local port=$1 i
    for i in $(seq 1 100); do
        if python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(0.2); s.connect(("127.0.0.1",int(sys.argv[1])))' "$port" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# Processes we started, killed on exit.
PIDS=()
cleanup_pids() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null
    done
    PIDS=()
}
