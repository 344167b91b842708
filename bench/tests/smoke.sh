#!/bin/bash
# Smoke test of the bench tooling (bench/run, bench/bench.py, the floor harnesses): one group,
# three clients (two of ours, one reference), one round, a 6-handshake soak. Asserts that the
# outputs are well-formed and that every ratio is computed from the figures it divides.
# Well under a minute; the real figures come from `make bench` (docs/performance.md).
cd "$(dirname "$0")/../.." || exit 1
mkdir -p build/tmp
out=$(mktemp -d build/tmp/bench-smoke.XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! command -v valgrind >/dev/null || ! command -v gnutls-serv >/dev/null; then
    echo "SKIP bench-smoke: valgrind or gnutls-serv missing (make deps)"
    exit 0
fi
timeout 600 bench/run --out "$out" --groups 2048 --clients tstclnt,bssl-client,gnutls-cli \
    --rounds 1 --k-cpu 2 --k-callgrind 2 --floor-ops 5 --soak 6 --profile-groups 2048 > "$out/log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL bench-smoke/run: bench/run exited $rc: $(tail -3 "$out/log" | tr '\n' ' ')"
    exit 1
fi
python3 - "$out" <<'PY'
import json, math, os, sys
out = sys.argv[1]
failed = 0
def check(name, ok, why=""):
    global failed
    print(("PASS bench-smoke/%s" % name) if ok else ("FAIL bench-smoke/%s: %s" % (name, why)))
    failed += not ok
try:
    r = json.load(open(os.path.join(out, "results.json")))
except Exception as e:
    check("results-json", False, "results.json unreadable: %s" % e)
    sys.exit(1)
check("results-json", True)
g = r["handshake"].get("2048", {})
clients = g.get("clients", {})
check("clients", set(clients) == {"tstclnt", "bssl client", "gnutls-cli"}, sorted(clients))
for name, c in clients.items():
    # One round on a loaded machine: a CPU-time difference may even be negative; only the
    # instruction counts must be positive.
    check("figures/" + name, all(isinstance(c[k], float) for k in ("cpu_ms_per_handshake", "cpu_ms_startup"))
          and all(c[k] > 0 for k in ("ir_per_handshake", "ir_startup")), c)
for metric, ratio_key in (("ir_per_handshake", "ratio_ir_to_best_reference"),
                          ("cpu_ms_per_handshake", "ratio_cpu_to_best_reference")):
    best = g["best_reference"]["instructions" if metric.startswith("ir") else "cpu"]
    check("best-reference/" + metric, best == "gnutls-cli", best)
    for name, c in clients.items():
        want = c[metric] / clients[best][metric]
        check("ratio/%s/%s" % (ratio_key, name), c[ratio_key] is not None and math.isclose(c[ratio_key], want), c[ratio_key])
for lib in ("nss", "boringssl"):
    fl = g["floor"][lib]
    check("floor/" + lib, fl["ir_per_op"] > 1e6 and fl["cpu_ms_per_op"] > 0, fl)
for name, lib in (("tstclnt", "nss"), ("bssl client", "boringssl")):
    c = clients[name]
    want = c["ir_per_handshake"] / g["floor"][lib]["ir_per_op"]
    check("floor-ratio/" + name, math.isclose(c["ratio_ir_to_floor"], want) and 0.8 < want < 3, c["ratio_ir_to_floor"])
for backend, s in r["soak"].items():
    check("soak/" + backend, s["handshakes"] == 6 and s["failures"] == 0 and s["server_full_handshakes"] == 6
          and s["server_resumed"] == 0, s)
check("footprint", len(r["footprint"]) == 5 and all(row["patched"] for row in r["footprint"]), r["footprint"])
check("profile", any(p["top"] for p in r["profile"].values()), list(r["profile"]))
check("no-errors", r["errors"] == [], r["errors"])
md = open(os.path.join(out, "results.md")).read()
check("markdown", all(h in md for h in ("## Client cost per handshake", "## Arithmetic floor", "## Soak",
                                        "## Footprint", "## Goals")), "section missing")
sys.exit(1 if failed else 0)
PY
