# Shared helpers for interop client adapters (bash).  Source it:
#   . "$(dirname "$0")/_lib.sh"
# See interop/README.md, "Client adapter interface".

INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${INTEROP_HOST:=127.0.0.1}"
: "${INTEROP_PATH:=/}"
: "${INTEROP_TIMEOUT:=60}"
: "${INTEROP_ROOT:=$(cd "$INTEROP_DIR/.." && pwd)}"
: "${INTEROP_WORKDIR:=${TMPDIR:-/tmp}}"

# Print the result and exit.  $1 = outcome, $2 = detail (one line).
result() {
    local d=${2-}
    d=${d//$'\n'/ }
    printf '%s\ndetail: %s\n' "$1" "${d:0:400}"
    exit 0
}
not_built() { result not-built "$1"; }
unsupported() { result unsupported "$1"; }

# suite_field IANA_NAME COLUMN (2=id 3=openssl 4=gnutls_kx 5=gnutls_cipher)
suite_field() {
    awk -v n="$1" -v c="$2" '!/^#/ && $1 == n { print $c; found=1 } END { exit !found }' \
        "$INTEROP_DIR/suites.tsv"
}

# TLS alert number -> RFC name.
alert_name() {
    case $1 in
    0) echo close_notify ;; 10) echo unexpected_message ;; 20) echo bad_record_mac ;;
    22) echo record_overflow ;; 40) echo handshake_failure ;; 42) echo bad_certificate ;;
    43) echo unsupported_certificate ;; 46) echo certificate_unknown ;;
    47) echo illegal_parameter ;; 48) echo unknown_ca ;; 50) echo decode_error ;;
    51) echo decrypt_error ;; 70) echo protocol_version ;; 71) echo insufficient_security ;;
    80) echo internal_error ;; 86) echo inappropriate_fallback ;; 90) echo user_canceled ;;
    109) echo missing_extension ;; 110) echo unsupported_extension ;;
    112) echo unrecognized_name ;; 115) echo unknown_psk_identity ;;
    *) echo "alert$1" ;;
    esac
}

# Map a received alert name to the normalised outcome, given whether we sent
# SRP credentials (a username) in the ClientHello.
outcome_for_alert() {
    local alert=$1
    if [ -z "${INTEROP_USERNAME-}" ]; then
        case $alert in
        unknown_psk_identity) echo credentials-required ;;
        *) echo "handshake-failed:$alert" ;;
        esac
    else
        case $alert in
        unknown_psk_identity | bad_record_mac | decrypt_error) echo "credentials-rejected:$alert" ;;
        *) echo "handshake-failed:$alert" ;;
        esac
    fi
}

# First line of the HTTP status line in a file -> status code (or empty).
http_status() {
    head -c 200 "$1" 2>/dev/null | head -1 | awk '/^HTTP\/1\.[01] [0-9][0-9][0-9]/ { print $2 }'
}
