# Shared helpers for the hostile-suite client wrappers (bash).  Source it.
# Wrapper interface (README.md): `WRAPPER --probe` exits 0 when the client and
# its SRP support exist (printing one line about it), 3 with the reason when
# not; `WRAPPER` (no argument) runs the client once against
# $HOSTILE_HOST:$HOSTILE_PORT offering $HOSTILE_SUITES (IANA names, ':'),
# with $HOSTILE_USER / $HOSTILE_PASSWORD, and must `exec` it so that the exit
# status and signals are the client's own.  $HOSTILE_CLIENT_PREFIX (words) goes
# before the client binary (hostile.py --valgrind sets it).
HOSTILE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${HOSTILE_ROOT:=$(cd "$HOSTILE_DIR/../.." && pwd)}"
: "${HOSTILE_WORKDIR:=${TMPDIR:-/tmp}}"
: "${HOSTILE_SUITES:=TLS_SRP_SHA_WITH_AES_128_CBC_SHA:TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA}"
: "${HOSTILE_TIMEOUT:=25}"

not_built() { echo "$*"; exit 3; }

# suite_field IANA_NAME COLUMN (2=id 3=openssl 4=gnutls_kx 5=gnutls_cipher), from interop/suites.tsv
suite_field() {
    awk -v n="$1" -v c="$2" '!/^#/ && $1 == n { print $c; found=1 } END { exit !found }' \
        "$HOSTILE_DIR/../suites.tsv"
}

# suites_list COLUMN SEP [PREFIX]: $HOSTILE_SUITES mapped through suites.tsv
suites_list() {
    local out="" s f
    IFS=: read -ra _s <<<"$HOSTILE_SUITES"
    for s in "${_s[@]}"; do
        f=$(suite_field "$s" "$1") || continue
        out+="${out:+$2}${3-}$f"
    done
    printf '%s' "$out"
}

# A throw-away password file (mode 0600) in the scenario's work directory.
password_file() {
    local f="$HOSTILE_WORKDIR/srp-password"
    (umask 077 && printf '%s\n' "$HOSTILE_PASSWORD" >"$f")
    printf '%s' "$f"
}
