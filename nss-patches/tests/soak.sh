#!/bin/bash
# 2000 consecutive full TLS-SRP handshakes (SOAK_COUNT) of the patched
# tstclnt against gnutls-serv, zero failures allowed.  gnutls-serv runs with
# --nodb so that no connection resumes: every handshake draws a fresh a and
# b, and a premaster/padding bug (leading zero bytes of A, B or S, about 1
# handshake in 256) cannot hide.  One tstclnt process (-L), 2048-bit group,
# TLS 1.2, TLS_SRP_SHA_WITH_AES_128_CBC_SHA (another suite with
# SOAK_SUITE=C021 etc.).  About 2 minutes on 2 shared cores.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/gnutls-lab.sh"

N=${SOAK_COUNT:-2000}
SUITE=${SOAK_SUITE:-C01D}
find_nss || { skip soak "patched NSS not built"; exit 0; }
command -v gnutls-serv >/dev/null || { skip soak "gnutls-serv not installed"; exit 0; }
trap 'cleanup_pids; [ -n "${LAB-}" ] && rm -rf "$LAB"' EXIT
lab_setup || { fail soak-setup "lab setup failed"; finish; }
LAB_SERV_EXTRA=--nodb lab_start || { fail soak-start "gnutls-serv did not start"; finish; }

start=$(date +%s)
nss_run timeout 3000 "$TSTCLNT" -h 127.0.0.1 -p "$LAB_PORT" -D -o -v -A "$LAB/req" \
    -V tls1.2:tls1.2 -c ":$SUITE" --srp-user user2048 --srp-password-file "$LAB/pw2048" \
    -L "$N" > "$LAB/out" 2> "$LAB/err" < /dev/null
rc=$?
secs=$(( $(date +%s) - start ))
ok=$(grep -c 'SRP: user "user2048", 2048-bit group' "$LAB/err")
hits=$(sed -n 's/^\([0-9]*\) cache hits.*/\1/p' "$LAB/err" | sort -n | tail -1)
http=$(grep -c '^HTTP/1.0 200' "$LAB/out")
if [ "$rc" -eq 0 ] && [ "$ok" -eq "$N" ] && [ "$http" -eq "$N" ] && [ "${hits:-0}" -eq 0 ]; then
    pass "soak/$N-full-handshakes-$SUITE ($ok ok, 0 resumed, ${secs}s)"
else
    fail "soak/$N-full-handshakes-$SUITE" "rc=$rc, $ok handshakes ok, $http HTTP 200, ${hits:-0} resumed, ${secs}s: $(grep -o '\(SSL\|SEC\)_ERROR_[A-Z0-9_]*' "$LAB/err" | sort | uniq -c | tr '\n' ' ')"
fi
finish
