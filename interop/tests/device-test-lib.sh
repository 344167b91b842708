# Sourced by the plug-in device tests (apache-, erlang-, botan-device.sh) once ROOT is
# set: the run directory, start and cleanup of the device instances, and the cells
# every device is checked with.  Failures are counted in `fails`; PASS/FAIL names
# start with the device's name.

# The nine SRP suites and seven RFC 5054 groups every device is checked with.
SUITES="TLS_SRP_SHA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_WITH_AES_256_CBC_SHA TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA
TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA
TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA"
GROUP_BITS="1024 1536 2048 3072 4096 6144 8192"
# Cells the default subset keeps besides TLS 1.2 and the AES-128 suite: "SUITE@VERSION ...".
SUBSET_ALSO=

# device_test_init NAME INSTANCES: DEV (interop/devices/NAME/device), RC (the reference
# client), RUN (build/interop/NAME/test.PID), TMPDIR under build/tmp, fails, t0; every
# instance in INSTANCES (directories under RUN) is stopped on exit, failure included.
device_test_init() {
    NAME=$1 INSTANCES=$2
    DEV=$ROOT/interop/devices/$NAME/device
    RC=$ROOT/interop/tests/apache-refclient.sh
    RUN=$ROOT/build/interop/$NAME/test.$$
    mkdir -p "$ROOT/build/tmp" "$RUN"
    export TMPDIR=$ROOT/build/tmp
    fails=0
    t0=$(date +%s)
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

cleanup() {
    local m
    for m in $INSTANCES; do "$DEV" stop "$RUN/$m" >/dev/null 2>&1; done
}

# start INSTANCE DEVICE-ARGS...: print the port of a new instance under RUN.  On failure
# a FAIL line with the device's last error lines on stderr (stdout is the caller's
# $(...)) and status 1.
start() {
    local n=$1 out
    shift
    out=$("$DEV" start "$RUN/$n" "$@" 2>"$RUN.$n.err") || {
        echo "FAIL $NAME-start-$n: $(tail -3 "$RUN.$n.err" | tr '\n' ' ')" >&2; return 1; }
    echo "${out#LISTENING }"
}

# check NAME EXPECTED CLIENT PORT SUITE VERSION USER PASSWORD: one reference-client
# handshake, graded.  botan-device.sh replaces it with one that knows Botan's defect.
check() {
    local name=$1 exp=$2 out got
    out=$(SRP_PASSWORD=$8 "$RC" "$3" "$4" "$5" "$6" "$7")
    got=${out#outcome=}; got=${got%% *}
    if [ "$got" = "$exp" ]; then echo "PASS $name ($got)"
    else echo "FAIL $name: expected $exp, got $out"; fails=$((fails + 1)); fi
}

# check_success_cells CLIENT PORT [MORE CHECK ARGS]: every suite at TLS 1.0-1.2 with the
# 2048-bit user and every other group (AES-128, TLS 1.2), expected outcome from the
# caller's expect_ok CLIENT SUITE VERSION BITS.  WIDER_FULL=1 runs every cell.
check_success_cells() {
    local c=$1 port=$2 s v b
    shift 2
    for s in $SUITES; do
        for v in 1.0 1.1 1.2; do
            [ "${WIDER_FULL:-0}" = 1 ] || [ "$v" = 1.2 ] || [ "$s" = TLS_SRP_SHA_WITH_AES_128_CBC_SHA ] ||
                [[ " $SUBSET_ALSO " = *" $s@$v "* ]] || continue
            check "$NAME-$c-$s-tls$v-2048" "$(expect_ok "$c" "$s" "$v" 2048)" "$c" "$port" "$s" "$v" user2048 pass-2048 "$@"
        done
    done
    for b in $GROUP_BITS; do
        [ "$b" = 2048 ] && continue
        check "$NAME-$c-group$b" "$(expect_ok "$c" TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "$b")" "$c" "$port" \
            TLS_SRP_SHA_WITH_AES_128_CBC_SHA 1.2 "user$b" "pass-$b" "$@"
    done
}

# check_status PORT [TRIES]: /status reports the negotiated session (the lab's
# admin-device schema).  TRIES > 1 retries a handshake that ended in bad_record_mac.
check_status() {
    local port=$1 tries=${2:-1} i st
    for ((i = 1; i <= tries; i++)); do
        st=$(timeout 30 curl -sS -k --tlsauthtype SRP --tlsuser user3072 --tlspassword pass-3072 --tlsv1.1 --tls-max 1.1 \
            --ciphers 'SRP-RSA-AES-128-CBC-SHA:@SECLEVEL=0' "https://127.0.0.1:$port/status" 2>&1)
        case $st in *bad_record_mac* | *"bad record mac"*) continue ;; esac
        break
    done
    case $st in
    *'"srp_user":"user3072","suite":"TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA","tls_version":"1.1","group_bits":3072}'*)
        echo "PASS $NAME-status-confirms-session" ;;
    *) echo "FAIL $NAME-status-confirms-session: $st"; fails=$((fails + 1)) ;;
    esac
}

# finish PATTERN: stop the instances; no process whose command line matches PATTERN
# (extended regex) may be left.  Then the run time, RUN removed, status 1 on failures.
finish() {
    local left
    cleanup
    sleep 0.5
    left=$(pgrep -af "$1" | head -2 | tr '\n' ' ')
    if [ -n "$left" ]; then echo "FAIL $NAME-no-leftover: $left"; fails=$((fails + 1))
    else echo "PASS $NAME-no-leftover"; fi
    echo "# $NAME-device: $(($(date +%s) - t0))s" >&2
    rm -rf "$RUN" "$RUN".*.err
    [ $fails -eq 0 ]
}
