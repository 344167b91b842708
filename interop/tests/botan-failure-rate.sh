#!/bin/bash
# Botan 2.19 premaster-padding defect: failure rate per reference client, with
# the cause proven for every failure.  PASS/FAIL lines (README.md, "Working on the project").
#
#   BOTAN_HANDSHAKES=N   handshakes per client (default 40 for `make check`;
#                        the full run uses >= 1000)
#   BOTAN_GROUP=BITS     SRP group (default 2048)
#   BOTAN_CLIENTS="gnutls-cli curl"   reference clients (apache-refclient.sh names)
#   BOTAN_SUITE / BOTAN_TLS   default TLS_SRP_SHA_WITH_AES_128_CBC_SHA / 1.2
#
# Evidence per handshake, joined on the client random:
#   - the Botan device logs its premaster (length, first byte, length without
#     leading zeros) and the first 8 bytes of two master secrets: from Botan's
#     premaster (padded to |N|) and from the zero-stripped premaster;
#   - the client's SSLKEYLOGFILE (gnutls-cli and curl/OpenSSL honour it) gives
#     the master secret the client really derived.
# A failure is "proven peer defect" when the premaster has a leading zero byte
# AND the client's master secret equals master_stripped and differs from
# master_botan.  The test fails if any failure lacks that proof or any
# handshake whose premaster has a leading zero byte succeeded (clients strip).
# Writes build/interop/botan-failure-rate.md (and .json) when N >= 1000 (the
# full run), else build/interop/botan-failure-rate-check.md, so a quick
# `make check` does not overwrite the full table; BOTAN_RATE_OUT overrides.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEV=$ROOT/interop/devices/botan/device
RC=$ROOT/interop/tests/apache-refclient.sh
N=${BOTAN_HANDSHAKES:-40}
G=${BOTAN_GROUP:-2048}
CLIENTS=${BOTAN_CLIENTS:-gnutls-cli curl}
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
P=$("$DEV" start "$RUN/dev" 2>"$RUN/start.err") || {
    echo "FAIL botan-failure-rate-start: $(tail -3 "$RUN/start.err" | tr '\n' ' ')"; exit 1; }
P=${P#LISTENING }
t0=$(date +%s)
for c in $CLIENTS; do
    kl=$RUN/keylog.$c
    : >"$kl"
    ts=$(date +%s.%N)
    for ((i = 1; i <= N; i++)); do
        before=$(wc -l <"$kl")
        out=$(SSLKEYLOGFILE=$kl SRP_PASSWORD=pass-$G "$RC" "$c" "$P" "$SUITE" "$TLSV" "user$G")
        cr=$(sed -n "$((before + 1))p" "$kl" | awk '$1 == "CLIENT_RANDOM" { print $2, $3 }')
        o=${out#outcome=}
        echo "$c $i ${o%% *} ${cr:-- -}" >>"$RUN/results"
    done
    echo "$c $(echo "$(date +%s.%N) - $ts" | bc)" >>"$RUN/times"
done
"$DEV" stop "$RUN/dev"
python3 - "$RUN/results" "$RUN/dev/device.log" "$RUN/times" "$OUT/$REPORT" "$N" "$G" "$SUITE" "$TLSV" <<'EOF'
import json, re, sys
results, devlog, times, out, n, g, suite, tlsv = sys.argv[1:]
hs = {}
for line in open(devlog, errors="replace"):
    m = re.search(r"HS client_random=([0-9a-f]+) (.*)", line)
    if m:
        hs[m.group(1)] = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
secs = dict(l.split() for l in open(times))
rows = {}
problems = []
for line in open(results):
    c, i, outcome, cr, cmaster = line.split()
    r = rows.setdefault(c, dict(client=c, handshakes=0, ok=0, failures=0, lz=0, lz_failed=0,
                                 failures_proven=0, other_failures=0, lz_ok=0, no_evidence=0,
                                 alerts={}, detail=[]))
    r["handshakes"] += 1
    h = hs.get(cr)
    if outcome == "ok":
        r["ok"] += 1
    else:
        r["failures"] += 1
        r["alerts"][outcome] = r["alerts"].get(outcome, 0) + 1
    if h is None or "pms0" not in h:
        if outcome != "ok":
            r["no_evidence"] += 1
            problems.append("%s #%s: %s without server evidence (client_random %s)" % (c, i, outcome, cr))
        continue
    lz = h["pms0"] == "00"
    cm = cmaster[:16].lower()
    if lz:
        r["lz"] += 1
    if outcome == "ok":
        if lz:
            r["lz_ok"] += 1
            problems.append("%s #%s: premaster with leading zero but handshake ok" % (c, i))
        continue
    proven = lz and cm == h.get("master_stripped") and cm != h.get("master_botan")
    if lz:
        r["lz_failed"] += 1
    if proven:
        r["failures_proven"] += 1
    else:
        r["other_failures"] += 1
        problems.append("%s #%s: %s not explained (pms0=%s client_master=%s botan=%s stripped=%s)"
                        % (c, i, outcome, h.get("pms0"), cm, h.get("master_botan"), h.get("master_stripped")))
    r["detail"].append(dict(n=int(i), client_random=cr[:16], outcome=outcome, pms_len=h.get("pms_len"),
                            pms0=h.get("pms0"), stripped_len=h.get("stripped_len"), ems=h.get("ems"),
                            master_botan=h.get("master_botan"), master_stripped=h.get("master_stripped"),
                            client_master=cm, server_result=h.get("result"), proven=proven))
# Expected rate: P(S < 2^(8(|N|-1))) for S uniform in [1, N) = 2^(8(|N|-1)) / N.
N_top = {1024: 0xEEAF0AB9, 1536: 0x9DEF3CAF, 2048: 0xAC6BDB41, 3072: 0xFFFFFFFF, 4096: 0xFFFFFFFF,
         6144: 0xFFFFFFFF, 8192: 0xFFFFFFFF}
exp = 2**32 / N_top.get(int(g), 2**32) / 256
md = ["# Botan 2.19 TLS-SRP premaster padding: failure rate per reference client", "",
      "Device: interop/devices/botan (Botan %s TLS::Server), group %s bits, %s, TLS %s, %s handshakes per client."
      % (hs and "2.19" or "?", g, suite, tlsv, n),
      "Expected rate if S is uniform in [1, N): 2^(8(|N|-1))/N = %.3f%% (1 in %.0f)." % (100 * exp, 1 / exp), "",
      "| client | handshakes | ok | failed | failure rate | alerts | premaster with leading 0x00 | of those failed | failures proven (leading zero + client master = stripped-premaster master != Botan's) | unexplained | seconds |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
for c, r in rows.items():
    md.append("| %s | %d | %d | %d | %.2f%% | %s | %d | %d | %d | %d | %s |" % (
        c, r["handshakes"], r["ok"], r["failures"], 100.0 * r["failures"] / max(1, r["handshakes"]),
        ", ".join("%s x%d" % kv for kv in sorted(r["alerts"].items())) or "-", r["lz"], r["lz_failed"],
        r["failures_proven"], r["other_failures"] + r["no_evidence"] + r["lz_ok"], "%.0f" % float(secs.get(c, 0))))
md += ["", "## Every failure", "",
       "| client | # | client_random | outcome | pms_len | pms0 | stripped_len | EMS | master (Botan, padded S) | master (stripped S) | client's master (SSLKEYLOGFILE) | proven |",
       "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for c, r in rows.items():
    for d in r["detail"]:
        md.append("| %s | %d | %s… | %s | %s | %s | %s | %s | %s… | %s… | %s… | %s |" % (
            c, d["n"], d["client_random"], d["outcome"], d["pms_len"], d["pms0"], d["stripped_len"], d["ems"],
            d["master_botan"], d["master_stripped"], d["client_master"], "yes" if d["proven"] else "NO"))
if problems:
    md += ["", "## Unexplained", ""] + ["- " + p for p in problems]
md += ["", "Masters are the first 8 bytes only.  The server's premaster S is BigInt::encode_1363(S, |N|) (leading",
       "zeros kept); OpenSSL, GnuTLS and Erlang use BN_bn2bin-style minimal encoding (RFC 5054 2.6 does not pad),",
       "so whenever S < 2^(8(|N|-1)) the two sides derive different master secrets and the server's check of the",
       "client Finished fails with bad_record_mac (20)."]
open(out + ".md", "w").write("\n".join(md) + "\n")
json.dump(dict(group_bits=int(g), suite=suite, tls_version=tlsv, handshakes_per_client=int(n),
               clients=list(rows.values()), problems=problems),
          open(out + ".json", "w"), indent=1)
print("\n".join(md[:8 + len(rows)]), file=sys.stderr)
bad = 0
for c, r in rows.items():
    name = "botan-failure-rate-%s" % c
    unexplained = r["other_failures"] + r["no_evidence"] + r["lz_ok"]
    if r["handshakes"] < int(n):
        print("FAIL %s: only %d of %s handshakes ran" % (name, r["handshakes"], n)); bad += 1
    elif unexplained:
        print("FAIL %s: %d failure(s) not explained by the premaster padding" % (name, unexplained)); bad += 1
    elif r["ok"] == 0:
        print("FAIL %s: no handshake succeeded" % name); bad += 1
    else:
        print("PASS %s (%d/%d failed = %.2f%%, all %d proven: leading zero byte in S)" % (
            name, r["failures"], r["handshakes"], 100.0 * r["failures"] / r["handshakes"], r["failures_proven"]))
sys.exit(1 if bad else 0)
EOF
rc=$?
echo "# botan-failure-rate: $N handshakes x ($CLIENTS) in $(($(date +%s) - t0))s" >&2
exit $rc
