#!/bin/bash
# Botan 2.19 premaster-padding defect: failure rate per client, with the cause
# proven for every failure.  PASS/FAIL lines (the project's test protocol).
#
#   BOTAN_HANDSHAKES=N   handshakes per client (default 40 for `make check`;
#                        the full run uses >= 1000)
#   BOTAN_GROUP=BITS     SRP group (default 2048)
#   BOTAN_CLIENTS="gnutls-cli curl"   matrix client adapters (interop/clients/);
#                        BOTAN_CLIENTS=all: every SRP client there (ours included)
#   BOTAN_SUITE / BOTAN_TLS   default TLS_SRP_SHA_WITH_AES_128_CBC_SHA / 1.2
#
# Each handshake is one run of the client's matrix adapter (a correct login and
# GET /status); the clients run in parallel, each with its own user.  Evidence per handshake: the Botan device logs one HS line with
# its premaster (length, first byte, length without leading zeros) and the first
# 8 bytes of two master secrets, from Botan's premaster (padded to |N|) and from
# the zero-stripped premaster; the line is the one the device wrote during that
# run.  Clients that honour SSLKEYLOGFILE (gnutls-cli, curl/OpenSSL, curl on
# BoringSSL, NSS) also give the master secret they derived.
# A failure is "proven peer defect" when the premaster has a leading zero byte
# and the device sent bad_record_mac, and, where the client logged its master
# secret, that master equals master_stripped and differs from master_botan.
# The test fails if any failure lacks that proof, if any handshake whose
# premaster has no leading zero byte failed (clients must succeed there), or if
# one with a leading zero byte succeeded.
# Writes build/interop/botan-failure-rate.md (and .json) when N >= 1000 (the
# full run), else build/interop/botan-failure-rate-check.md, so a quick
# `make check` does not overwrite the full table; BOTAN_RATE_OUT overrides.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEV=$ROOT/interop/devices/botan/device
N=${BOTAN_HANDSHAKES:-40}
G=${BOTAN_GROUP:-2048}
CLIENTS=${BOTAN_CLIENTS:-gnutls-cli curl}
[ "$CLIENTS" = all ] && CLIENTS="gnutls-cli curl tstclnt bssl curl-boringssl srpclient-nss srpclient-boringssl"
SUITE=${BOTAN_SUITE:-TLS_SRP_SHA_WITH_AES_128_CBC_SHA}
TLSV=${BOTAN_TLS:-1.2}
if [ "$N" -ge 1000 ]; then REPORT=botan-failure-rate; else REPORT=botan-failure-rate-check; fi
REPORT=${BOTAN_RATE_OUT:-$REPORT}
OUT=$ROOT/build/interop
RUN=$OUT/botan/rate.$$
mkdir -p "$ROOT/build/tmp" "$RUN"
export TMPDIR=$ROOT/build/tmp
cleanup() { "$DEV" stop "$RUN/dev" >/dev/null 2>&1; rm -rf "$RUN"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! pkg-config --exists botan-2 2>/dev/null; then
    echo "SKIP botan-failure-rate: libbotan-2-dev not installed"
    exit 0
fi
# One user per client (same group), so the clients run in parallel and each
# handshake's HS line is found by its user.
"$DEV" users >"$RUN/users.txt"
for c in $CLIENTS; do echo "rate-$c:pass-$G:$G"; done >>"$RUN/users.txt"
chmod 600 "$RUN/users.txt"
P=$("$DEV" start "$RUN/dev" --users "$RUN/users.txt" 2>"$RUN/start.err") || {
    echo "FAIL botan-failure-rate-start: $(tail -3 "$RUN/start.err" | tr '\n' ' ')"; exit 1; }
P=${P#LISTENING }
"$DEV" info | sed -n 's/^library: //p' >"$RUN/library"

# rate_client CLIENT: N correct logins, one line per handshake in $RUN/results.CLIENT:
# "client n outcome client_randoms(HS lines of this run) client_random:master,... (key log)"
rate_client() {
    local c=$1 kl=$RUN/keylog.$1 work=$RUN/work.$1 i w off klines out hs km ts
    : >"$kl"
    mkdir -p "$work"
    ts=$(date +%s.%N)
    for ((i = 1; i <= N; i++)); do
        off=$(stat -c %s "$RUN/dev/device.log")
        klines=$(wc -l <"$kl")
        out=$(SSLKEYLOGFILE=$kl INTEROP_HOST=127.0.0.1 INTEROP_PORT=$P INTEROP_SUITE=$SUITE \
            INTEROP_TLS_VERSION=$TLSV INTEROP_SCENARIO=correct INTEROP_USERNAME=rate-$c \
            INTEROP_PASSWORD=pass-$G INTEROP_GROUP_BITS=$G INTEROP_PATH=/status \
            INTEROP_BODY_FILE=$work/body INTEROP_TIMEOUT=30 INTEROP_WORKDIR=$work \
            INTEROP_ROOT=$ROOT INTEROP_DEVICE=botan timeout 45 "$ROOT/interop/clients/$c" </dev/null | head -1)
        # the device writes a connection's HS line when the connection ends
        for ((w = 0; w < 30; w++)); do
            hs=$(tail -c +$((off + 1)) "$RUN/dev/device.log" | grep ' HS ' | grep -F " user=rate-$c " |
                sed -n 's/.*client_random=\([0-9a-f]*\).*/\1/p' | tr '\n' ',')
            [ -n "$hs" ] && break
            sleep 0.1
        done
        km=$(tail -n +$((klines + 1)) "$kl" | awk '$1 == "CLIENT_RANDOM" { printf "%s:%s,", $2, $3 }')
        echo "$c $i ${out:-none} ${hs:--} ${km:--}" >>"$RUN/results.$c"
        [ "$out" = not-built ] && break
    done
    echo "$c $(echo "$(date +%s.%N) - $ts" | bc)" >"$RUN/times.$c"
    "$ROOT/interop/clients/$c" --info | sed -n "s/^library: /$c /p" >"$RUN/libraries.$c"
}

t0=$(date +%s)
pids=()
for c in $CLIENTS; do
    rate_client "$c" &
    pids+=($!)
done
wait "${pids[@]}"
for c in $CLIENTS; do
    cat "$RUN/results.$c" >>"$RUN/results"
    cat "$RUN/times.$c" >>"$RUN/times"
    cat "$RUN/libraries.$c" >>"$RUN/libraries"
done
"$DEV" stop "$RUN/dev"
python3 - "$RUN" "$OUT/$REPORT" "$N" "$G" "$SUITE" "$TLSV" <<'EOF'
import json, os, re, sys
run, out, n, g, suite, tlsv = sys.argv[1:]
hs = {}
for line in open(os.path.join(run, "dev", "device.log"), errors="replace"):
    m = re.search(r"HS client_random=([0-9a-f]+) (.*)", line)
    if m:
        hs[m.group(1)] = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
secs = dict(l.split() for l in open(os.path.join(run, "times")))
libs = {}
if os.path.exists(os.path.join(run, "libraries")):
    for l in open(os.path.join(run, "libraries")):
        c, _, lib = l.strip().partition(" ")
        libs[c] = lib
device_lib = open(os.path.join(run, "library")).read().strip() or "Botan 2"
rows = {}
problems = []
for line in open(os.path.join(run, "results")):
    c, i, outcome, crs, keys = line.split()
    r = rows.setdefault(c, dict(client=c, library=libs.get(c, ""), handshakes=0, ok=0, failures=0, lz=0,
                                lz_failed=0, failures_proven=0, proven_by_keylog=0, unexplained=0,
                                not_built=0, alerts={}, detail=[]))
    if outcome == "not-built":
        r["not_built"] += 1
        continue
    r["handshakes"] += 1
    masters = dict(k.split(":", 1) for k in keys.split(",") if ":" in k)
    lines = [(cr, hs[cr]) for cr in crs.split(",") if cr in hs]
    failed_lines = [x for x in lines if x[1].get("result") != "ok"]
    cr, h = (failed_lines or lines or [(None, None)])[-1]
    if outcome == "ok":
        r["ok"] += 1
    else:
        r["failures"] += 1
        r["alerts"][outcome] = r["alerts"].get(outcome, 0) + 1
    if h is None or "pms0" not in h:
        r["unexplained"] += 1
        problems.append("%s #%s: %s without the device's HS line" % (c, i, outcome))
        continue
    lz = h["pms0"] == "00"
    r["lz"] += lz
    if outcome == "ok":
        if lz:
            r["unexplained"] += 1
            problems.append("%s #%s: premaster with a leading zero byte but the login succeeded" % (c, i))
        continue
    cm = masters.get(cr, "")[:16].lower()
    by_keylog = bool(cm) and cm == h.get("master_stripped") and cm != h.get("master_botan")
    proven = (lz and h.get("result", "").startswith("sent-alert:20")
              and outcome == "credentials-rejected:bad_record_mac" and (by_keylog or not cm))
    r["lz_failed"] += lz
    if proven:
        r["failures_proven"] += 1
        r["proven_by_keylog"] += by_keylog
    else:
        r["unexplained"] += 1
        problems.append("%s #%s: %s not explained (pms0=%s result=%s client_master=%s botan=%s stripped=%s)"
                        % (c, i, outcome, h.get("pms0"), h.get("result"), cm or "-", h.get("master_botan"),
                           h.get("master_stripped")))
    r["detail"].append(dict(n=int(i), client_random=cr[:16], outcome=outcome, pms_len=h.get("pms_len"),
                            pms0=h.get("pms0"), stripped_len=h.get("stripped_len"), ems=h.get("ems"),
                            master_botan=h.get("master_botan"), master_stripped=h.get("master_stripped"),
                            client_master=cm or "-", server_result=h.get("result"), proven=proven))
# Expected rate: P(S < 2^(8(|N|-1))) for S uniform in [1, N) = 2^(8(|N|-1)) / N.
N_top = {1024: 0xEEAF0AB9, 1536: 0x9DEF3CAF, 2048: 0xAC6BDB41, 3072: 0xFFFFFFFF, 4096: 0xFFFFFFFF,
         6144: 0xFFFFFFFF, 8192: 0xFFFFFFFF}
exp = 2**32 / N_top.get(int(g), 2**32) / 256
md = ["# Botan 2.19 TLS-SRP premaster padding: failure rate per client", "",
      "Device: interop/devices/botan (%s), group %s bits, %s, TLS %s, %s handshakes per client "
      "(one run of the client's matrix adapter each: correct login, GET /status)." % (device_lib, g, suite, tlsv, n),
      "Expected rate if S is uniform in [1, N): 2^(8(|N|-1))/N = %.3f%% (1 in %.0f)." % (100 * exp, 1 / exp), "",
      "| client | library | handshakes | ok | failed | failure rate | alerts | premaster with leading 0x00 | of those failed "
      "| failures proven (leading zero, device sent 20) | of those also by the client's key log (client master = stripped-premaster master) "
      "| unexplained | seconds |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for c, r in rows.items():
    if not r["handshakes"]:
        md.append("| %s | %s | not built | | | | | | | | | | |" % (c, r["library"]))
        continue
    md.append("| %s | %s | %d | %d | %d | %.2f%% | %s | %d | %d | %d | %d | %d | %s |" % (
        c, r["library"], r["handshakes"], r["ok"], r["failures"], 100.0 * r["failures"] / r["handshakes"],
        ", ".join("%s x%d" % kv for kv in sorted(r["alerts"].items())) or "-", r["lz"], r["lz_failed"],
        r["failures_proven"], r["proven_by_keylog"], r["unexplained"], "%.0f" % float(secs.get(c, 0))))
tot_h = sum(r["handshakes"] for r in rows.values())
tot_f = sum(r["failures"] for r in rows.values())
md += ["", "All clients: %d handshakes, %d failed (%.2f%%), %d proven, %d unexplained." % (
    tot_h, tot_f, 100.0 * tot_f / max(1, tot_h), sum(r["failures_proven"] for r in rows.values()),
    sum(r["unexplained"] for r in rows.values()))]
md += ["", "## Every failure", "",
       "| client | # | client_random | outcome | pms_len | pms0 | stripped_len | EMS | master (Botan, padded S) | master (stripped S) | client's master (key log) | device | proven |",
       "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for c, r in rows.items():
    for d in r["detail"]:
        md.append("| %s | %d | %s… | %s | %s | %s | %s | %s | %s… | %s… | %s | %s | %s |" % (
            c, d["n"], d["client_random"], d["outcome"], d["pms_len"], d["pms0"], d["stripped_len"], d["ems"],
            d["master_botan"], d["master_stripped"], d["client_master"], d["server_result"],
            "yes" if d["proven"] else "NO"))
if problems:
    md += ["", "## Unexplained", ""] + ["- " + p for p in problems]
md += ["", "Masters are the first 8 bytes only.  The server's premaster S is BigInt::encode_1363(S, |N|) (leading",
       "zeros kept); OpenSSL, GnuTLS, Erlang, NSS and BoringSSL use the minimal encoding (RFC 5054 2.6 does not",
       "pad), so whenever S < 2^(8(|N|-1)) the two sides derive different master secrets and the server's check",
       "of the client Finished fails with bad_record_mac (20)."]
open(out + ".md", "w").write("\n".join(md) + "\n")
json.dump(dict(device=device_lib, group_bits=int(g), suite=suite, tls_version=tlsv, handshakes_per_client=int(n),
               clients=list(rows.values()), problems=problems),
          open(out + ".json", "w"), indent=1)
print("\n".join(md[:8 + len(rows)]), file=sys.stderr)
bad = 0
for c, r in rows.items():
    name = "botan-failure-rate-%s" % c
    if r["not_built"] and not r["handshakes"]:
        print("SKIP %s: client not built" % name)
    elif r["handshakes"] < int(n):
        print("FAIL %s: only %d of %s handshakes ran" % (name, r["handshakes"], n)); bad += 1
    elif r["unexplained"]:
        print("FAIL %s: %d handshake(s) not explained by the premaster padding" % (name, r["unexplained"])); bad += 1
    elif r["ok"] == 0:
        print("FAIL %s: no handshake succeeded" % name); bad += 1
    else:
        print("PASS %s (%d/%d failed = %.2f%%, all %d proven: leading zero byte in S; every other handshake ok)" % (
            name, r["failures"], r["handshakes"], 100.0 * r["failures"] / r["handshakes"], r["failures_proven"]))
sys.exit(1 if bad else 0)
EOF
rc=$?
echo "# botan-failure-rate: $N handshakes x ($CLIENTS) in $(($(date +%s) - t0))s" >&2
exit $rc
