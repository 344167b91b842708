#!/usr/bin/env python3
"""Client cost of one TLS-SRP handshake, side by side (make bench; see docs/performance.md).

Started by bench/run, which builds the floor harnesses and starts the lab's gnutls-serv
(nss-patches/tests/gnutls-lab.sh, with --nodb --noticket: no handshake can resume). This
script measures, for each group:

  handshake   the client CPU of one full handshake of every client, with the start-up of the
              process separated out: clients that can do several handshakes in one process
              run K and 1 handshakes (cost = difference / (K - 1)); the others (srpclient)
              run 1 handshake and a run with no handshake (the same client against a port
              that accepts and closes at once: start-up, ClientHello, error exit), and the
              difference is the handshake. Two counts: instructions (valgrind callgrind,
              one pass: it does not move with the machine's load) and CPU time (user + sys
              from wait4, median over interleaved rounds).
  floor       what the client must compute per handshake, through each library's own SRP
              function (build/bench/bin/floor-{nss,boringssl}).
and then the soak (10,000 full handshakes per backend) and the footprint of the libraries.
Results: build/bench/results.json and results.md.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

SUITE = ("TLS_SRP_SHA_WITH_AES_128_CBC_SHA", "C01D", "SRP-AES-128-CBC-SHA")
GNUTLS_PRIORITY = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+SRP:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1"
GROUP_INDEX = {1024: "1", 1536: "2", 2048: "3", 3072: "4", 4096: "5", 8192: "7"}  # tpasswd.conf
B64 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./"


class Lab:
    """The running gnutls-serv, its files, and a port that accepts and closes at once."""

    def __init__(self, lab_dir, port):
        self.dir = lab_dir
        self.port = port
        self.closer_port = self._start_closer()
        self._log_offset, self._log_rest, self._served, self._resumed = 0, b"", 0, 0

    @staticmethod
    def _start_closer():
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)

        def serve():
            while True:
                conn, _ = sock.accept()
                conn.close()

        threading.Thread(target=serve, daemon=True).start()
        return sock.getsockname()[1]

    def password(self, bits):
        with open(os.path.join(self.dir, "pw%d" % bits)) as f:
            return f.readline().rstrip("\n")

    def handshakes_served(self):
        """(full SRP handshakes, resumed sessions) gnutls-serv has logged so far.

        gnutls-serv flushes its log per connection; complete lines are counted once, as the
        log grows (the soak adds about 20 lines per handshake)."""
        with open(os.path.join(self.dir, "serv.log"), "rb") as f:
            f.seek(self._log_offset)
            data = self._log_rest + f.read()
            self._log_offset = f.tell()
        complete, _, self._log_rest = data.rpartition(b"\n")
        self._served += complete.count(b"SRP authentication. Connected as")
        self._resumed += complete.count(b"resumed")
        return self._served, self._resumed


class Client:
    """How to run one client for n handshakes (n = 0: the same run against the closing port)."""

    def __init__(self, name, kind, library, loop, argv_for, valgrind_env=None):
        self.name, self.kind, self.library = name, kind, library
        self.valgrind_env = valgrind_env or {}  # added to the environment under callgrind
        self.loop = loop          # "many": any n; "two": n in (1, 2); "one": n in (0, 1)
        self.argv_for = argv_for  # (lab, bits, n, port) -> (argv, env, stdin bytes)

    def counts(self, k_many):
        """(lo, hi) handshake counts whose difference is measured."""
        return {"many": (1, k_many), "two": (1, 2), "one": (0, 1)}[self.loop]


def make_clients(root):
    nss_lib = os.path.join(root, "build/nss/dist/lib")
    tstclnt = os.path.join(root, "build/nss/dist/bin/tstclnt")
    bssl = os.path.join(root, "build/boringssl/dist/bin/bssl")
    srpclient = os.path.join(root, "build/bin/srpclient")

    def request(lab):
        with open(os.path.join(lab.dir, "req"), "rb") as f:
            return f.read()

    def srpc(backend):
        def argv_for(lab, bits, n, port):
            env = dict(os.environ, SRPCLIENT_USER="user%d" % bits,
                       SRPCLIENT_PASSWORD=lab.password(bits))
            return ([srpclient, "--tls-backend", backend, "--no-prompt", "--ciphers", SUITE[2],
                     "--tls-max", "1.2", "-m", "900", "-o", "/dev/null",
                     "https://127.0.0.1:%d/" % port], env, b"")
        return argv_for

    def tstclnt_argv(lab, bits, n, port):
        env = dict(os.environ, LD_LIBRARY_PATH=nss_lib)
        return ([tstclnt, "-h", "127.0.0.1", "-p", str(port), "-D", "-o",
                 "-A", os.path.join(lab.dir, "req"), "-V", "tls1.2:tls1.2", "-c", ":" + SUITE[1],
                 "--srp-user", "user%d" % bits,
                 "--srp-password-file", os.path.join(lab.dir, "pw%d" % bits),
                 "-L", str(max(n, 1))], env, b"")

    def bssl_argv(lab, bits, n, port):
        argv = [bssl, "client", "-connect", "127.0.0.1:%d" % port, "-cipher", SUITE[2],
                "-max-version", "tls1.2", "-srp-user", "user%d" % bits,
                "-srp-password-file", os.path.join(lab.dir, "pw%d" % bits)]
        # The server resumes nothing, so the second connection is a second full handshake.
        return (argv + (["-test-resumption"] if n == 2 else []), dict(os.environ), request(lab))

    def curl_argv(lab, bits, n, port):
        url = "https://127.0.0.1:%d/" % port
        argv = ["curl", "-sS", "-K", "-", "-k", "--tlsauthtype", "SRP", "--tlsuser", "user%d" % bits,
                "--ciphers", SUITE[2] + ":@SECLEVEL=0", "--tlsv1.2", "--tls-max", "1.2",
                "--no-sessionid", "--max-time", "900"]
        for _ in range(max(n, 1)):  # one connection per URL: the server closes after each
            argv += ["-o", "/dev/null", url]
        password = lab.password(bits).replace("\\", "\\\\").replace('"', '\\"')
        return argv, dict(os.environ), ('tlspassword = "%s"\n' % password).encode()

    def gnutls_argv(lab, bits, n, port):
        # gnutls-cli only takes the password in argv (a reference tool; lab password).
        argv = ["gnutls-cli", "--insecure", "--priority", GNUTLS_PRIORITY,
                "--srpusername", "user%d" % bits, "--srppasswd", lab.password(bits),
                "-p", str(port), "127.0.0.1"]
        # -r reconnects offering the session; nothing resumes, so it is a full handshake.
        return argv + (["-r"] if n == 2 else []), dict(os.environ), request(lab)

    return [
        Client("srpclient (NSS)", "ours", "nss", "one", srpc("nss")),
        Client("srpclient (BoringSSL)", "ours", "boringssl", "one", srpc("boringssl")),
        Client("tstclnt", "ours", "nss", "many", tstclnt_argv),
        Client("bssl client", "ours", "boringssl", "two", bssl_argv),
        Client("curl (OpenSSL)", "reference", "openssl", "many", curl_argv),
        # gnutls-cli's own 40 s handshake timeout expires under valgrind at 8192 bits.
        Client("gnutls-cli", "reference", "gnutls", "two", gnutls_argv, valgrind_env={
            "LD_PRELOAD": os.path.join(root, "build/bench/no-handshake-timeout.so")}),
    ]


def run_measured(argv, env, stdin, timeout, wrapper=()):
    """Run one process; return (rc, cpu seconds of it and its children, stdout+stderr)."""
    proc = subprocess.Popen(list(wrapper) + argv, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    reader.start()
    try:
        proc.stdin.write(stdin)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    reader.join(5)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_utime + usage.ru_stime, (out[0] if out else b"")


class Bench:
    def __init__(self, args):
        self.args = args
        self.root = args.root
        self.out = args.out
        self.lab = Lab(args.lab, args.port)
        self.soak_lab = Lab(args.soak_lab, args.soak_port)
        self.clients = [c for c in make_clients(self.root)
                        if not args.clients or slug(c.name) in args.clients.split(",")]
        self.errors = []
        self.retried = []
        self.params = {bits: self.write_params(bits) for bits in args.groups}
        os.makedirs(os.path.join(self.out, "callgrind"), exist_ok=True)

    # -- inputs of the floor harnesses ------------------------------------------------------
    def write_params(self, bits):
        """A parameter file: the group, a salt and a B = k*v + g^b a server would send."""
        def dec(s):
            n = 0
            for c in s:
                n = n * 64 + B64.index(c)
            return n
        with open(os.path.join(self.lab.dir, "tpasswd.conf")) as f:
            for line in f:
                idx, n_enc, g_enc = line.strip().split(":")
                if idx == GROUP_INDEX[bits]:
                    N, g = dec(n_enc), dec(g_enc)
        nlen = (N.bit_length() + 7) // 8
        pad = lambda v: v.to_bytes(nlen, "big")
        sha1 = lambda *parts: int.from_bytes(hashlib.sha1(b"".join(parts)).digest(), "big")
        user, password, salt = "user%d" % bits, self.lab.password(bits), os.urandom(16)
        x = sha1(salt, hashlib.sha1(("%s:%s" % (user, password)).encode()).digest())
        k = sha1(pad(N), pad(g))
        b = int.from_bytes(os.urandom(32), "big")
        B = (k * pow(g, x, N) + pow(g, b, N)) % N
        path = os.path.join(self.out, "floor-params-%d.txt" % bits)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("bits=%d\nN=%s\ng=%s\nsalt=%s\nB=%s\nuser=%s\npassword=%s\n" % (
                bits, pad(N).hex(), "%02x" % g, salt.hex(), pad(B).hex(), user, password))
        return path

    # -- one client run, checked ------------------------------------------------------------
    def client_run(self, client, bits, n, wrapper=(), timeout=1200, attempts=3, lab=None):
        """Run client for n handshakes; check the server saw exactly n full handshakes.

        A failed run is repeated (up to |attempts| runs) and listed in self.retried: the
        reference clients fail now and then (curl/OpenSSL: a premaster the server cannot
        decrypt with, about one 8192-bit handshake in a few hundred)."""
        lab = lab or self.lab
        port = lab.port if n > 0 else lab.closer_port
        argv, env, stdin = client.argv_for(lab, bits, n, port)
        if wrapper:
            env = dict(env, **client.valgrind_env)
        for attempt in range(attempts):
            before, resumed_before = lab.handshakes_served()
            rc, cpu, output = run_measured(argv, env, stdin, timeout, wrapper)
            served, resumed = lab.handshakes_served()
            if (rc == 0 or n == 0) and served - before == n and resumed == resumed_before:
                return True, cpu
            why = "%s, %d bits, %d handshakes%s: rc %d, server saw %d (resumed %d): %s" % (
                client.name, bits, n, " under callgrind" if wrapper else "", rc, served - before,
                resumed - resumed_before, output[-300:].decode(errors="replace").replace("\n", " "))
            (self.errors if attempt == attempts - 1 else self.retried).append(why)
        return False, cpu

    # -- instructions (callgrind, one pass) ---------------------------------------------------
    def callgrind(self, client, bits, n):
        path = os.path.join(self.out, "callgrind", "%s-%d-n%d.out" % (slug(client.name), bits, n))
        ok, _ = self.client_run(client, bits, n, wrapper=(
            "valgrind", "--tool=callgrind", "--callgrind-out-file=" + path, "--trace-children=no"))
        return (callgrind_total(path) if ok else None), path

    def floor_callgrind(self, library, bits):
        path = os.path.join(self.out, "callgrind", "floor-%s-%d.out" % (library, bits))
        rc, _, output = run_measured(
            ["valgrind", "--tool=callgrind", "--toggle-collect=floor_once",
             "--callgrind-out-file=" + path, self.floor_bin(library), self.params[bits], "2"],
            self.floor_env(), b"", 600)
        result = parse_floor(output)
        if rc != 0 or not result:
            self.errors.append("floor %s %d under callgrind: rc %d: %s" % (
                library, bits, rc, output[-300:].decode(errors="replace")))
            return None
        return callgrind_total(path) / result["calls"]

    def floor_bin(self, library):
        return os.path.join(self.root, "build/bench/bin/floor-" + library)

    def floor_env(self):
        return dict(os.environ, LD_LIBRARY_PATH=os.path.join(self.root, "build/nss/dist/lib"))

    def floor_cpu(self, library, bits):
        iterations = max(2, self.args.floor_ops * 2048 ** 2 // bits ** 2)
        rc, _, output = run_measured([self.floor_bin(library), self.params[bits], str(iterations)],
                                     self.floor_env(), b"", 600)
        result = parse_floor(output)
        if rc != 0 or not result:
            self.errors.append("floor %s %d: rc %d: %s" % (library, bits, rc,
                                                          output[-300:].decode(errors="replace")))
            return None
        return result["cpu_seconds"] / result["iterations"]

    # -- the measurements ---------------------------------------------------------------------
    def measure_instructions(self):
        ir = {}
        for bits in self.args.groups:
            for client in self.clients:
                lo, hi = client.counts(self.args.k_callgrind)
                if bits >= self.args.callgrind_subtract_from:
                    lo, hi = 0, 1  # one handshake under callgrind: see --callgrind-subtract-from
                runs, paths = {}, {}
                # The 1-vs-0 subtraction, as a check of it, at the first group only (time).
                check = bits == self.args.groups[0]
                for n in sorted({lo, hi} | ({0, 1} if check else set())):
                    runs[n], paths[n] = self.callgrind(client, bits, n)
                entry = {"runs": {str(n): v for n, v in runs.items()}, "lo": lo, "hi": hi,
                         "files": [paths[lo], paths[hi]]}
                if None not in runs.values():
                    per = (runs[hi] - runs[lo]) / (hi - lo)
                    entry["per_handshake"] = per
                    entry["startup"] = runs[lo] - lo * per
                    if 0 in runs:
                        entry["per_handshake_by_subtraction"] = runs[1] - runs[0]
                ir.setdefault(str(bits), {})[client.name] = entry
                log("instructions %d %-22s %s" % (bits, client.name, fmt_m(entry.get("per_handshake"))))
            for library in ("nss", "boringssl"):
                ir.setdefault(str(bits), {})["floor:" + library] = {
                    "per_op": self.floor_callgrind(library, bits)}
        return ir

    def measure_cpu(self):
        samples = {}
        floors = {}
        order = list(self.clients)
        for rnd in range(self.args.rounds):
            random.Random(rnd).shuffle(order)
            for bits in self.args.groups:
                for client in order:
                    lo, hi = client.counts(self.args.k_cpu)
                    ok_hi, cpu_hi = self.client_run(client, bits, hi)
                    ok_lo, cpu_lo = self.client_run(client, bits, lo)
                    if ok_hi and ok_lo:
                        per = (cpu_hi - cpu_lo) / (hi - lo)
                        samples.setdefault(str(bits), {}).setdefault(client.name, []).append(
                            (per, cpu_lo - lo * per))
                for library in ("nss", "boringssl"):
                    value = self.floor_cpu(library, bits)
                    if value is not None:
                        floors.setdefault(str(bits), {}).setdefault(library, []).append(value)
            log("cpu round %d/%d done (load %.1f)" % (rnd + 1, self.args.rounds, os.getloadavg()[0]))
        return samples, floors

    def soak(self):
        """SOAK handshakes per backend at 2048 bits against the second server: tstclnt in one
        process, bssl client 2 per process."""
        count = self.args.soak
        bits = 2048
        result = {}
        every = make_clients(self.root)
        tst = next(c for c in every if c.name == "tstclnt")
        bssl = next(c for c in every if c.name == "bssl client")
        for backend, client, per_process in (("nss", tst, count), ("boringssl", bssl, 2)):
            before, resumed_before = self.soak_lab.handshakes_served()
            start, cpu, failures, processes = time.monotonic(), 0.0, 0, 0
            errors_before = len(self.errors)
            done = 0
            while done < count:
                n = min(per_process, count - done)
                ok, used = self.client_run(client, bits, n, timeout=3600, attempts=1,
                                           lab=self.soak_lab)
                processes += 1
                cpu += used
                failures += 0 if ok else n
                done += n
            wall = time.monotonic() - start
            served, resumed = self.soak_lab.handshakes_served()
            result[backend] = {
                "client": client.name, "group_bits": bits, "suite": SUITE[0],
                "handshakes": count, "processes": processes, "failures": failures,
                "ran_beside": "the instruction counts (callgrind) of the other clients",
                "server_full_handshakes": served - before, "server_resumed": resumed - resumed_before,
                "wall_seconds": wall, "handshakes_per_second": count / wall,
                "client_cpu_ms_per_handshake": cpu * 1000 / count,
                "first_errors": self.errors[errors_before:errors_before + 3]}
            log("soak %s: %d handshakes, %d failures, %.1f/s" % (
                backend, count, failures, count / wall))
        return result

    def footprint(self):
        rows = []
        pairs = [("NSS", "libssl3.so"), ("NSS", "libsoftokn3.so"), ("NSS", "libfreeblpriv3.so"),
                 ("BoringSSL", "libssl.a"), ("BoringSSL", "libcrypto.a")]
        for library, name in pairs:
            stage = "nss" if library == "NSS" else "boringssl"
            patched = size_of(os.path.join(self.root, "build/%s/dist/lib" % stage, name))
            pristine = size_of(os.path.join(self.root, "build/%s-pristine/lib" % stage, name))
            row = {"library": library, "file": name, "patched": patched, "pristine": pristine}
            if patched and pristine:
                row["delta"] = patched["normalized"] - pristine["normalized"]
                row["delta_pct"] = 100.0 * row["delta"] / pristine["normalized"]
            rows.append(row)
        return rows


# -- helpers --------------------------------------------------------------------------------------
def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def fmt_m(value):
    return "-" if value is None else "%.2fM" % (value / 1e6)


def callgrind_total(path):
    with open(path) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    return None


def callgrind_annotate(path, inclusive):
    """[(instructions, function, object)] from callgrind_annotate's function list."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=" + ("yes" if inclusive else "no"),
                          "--threshold=100", path], capture_output=True, text=True, timeout=300)
    rows = []
    for line in out.stdout.splitlines():
        # "1,234 (12.34%)  file:function [object]"; file names have no ':', C++ functions do
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+[^:\s]*:(.*?)\s+\[(.*)\]\s*$", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), m.group(2), m.group(3)))
    return rows


# Bignum arithmetic, by function name: NSS mpi (mp_*, s_mp*, weave*), OpenSSL/BoringSSL
# (bn_*, BN_*, *_mont*), GMP/nettle (__gmpn_*, __gmpz_*, nettle_*powm*).
BIGNUM_FUNCTION = re.compile(r"^(mp_|s_mp|s_mpv|mpp_|weave|bn_|BN_|__gmp|nettle_.*(powm|sec_)|mpi_)|_mont|copy_from_prebuf")


def handshake_profile(lo_path, hi_path, lo, hi, count=8):
    """Own instructions per function per handshake: (hi run - lo run) / (hi - lo)."""
    cost = {}
    for sign, path in ((-1, lo_path), (1, hi_path)):
        for ir, name, obj in callgrind_annotate(path, False):
            key = (name.split("(")[0], os.path.basename(obj))
            cost[key] = cost.get(key, 0) + sign * ir
    per = {key: v / (hi - lo) for key, v in cost.items()}
    total = sum(per.values())
    top = sorted(per.items(), key=lambda kv: -kv[1])[:count]
    bignum = sum(v for (name, _), v in per.items() if BIGNUM_FUNCTION.search(name))
    unnamed = sum(v for (name, _), v in per.items() if name.startswith("0x"))
    if not total or unnamed > total / 2:  # stripped library (Debian's OpenSSL): names unknown
        bignum = None
    return {"per_handshake": total, "bignum_share": bignum / total if bignum is not None else None,
            "top": [{"function": name, "object": obj, "ir": v, "share": v / total}
                    for (name, obj), v in top]}


def parse_floor(output):
    for line in output.decode(errors="replace").splitlines():
        if line.startswith("{"):
            return json.loads(line)
    return None


def size_of(path):
    """text + data (size -t), and the same without the build directory in __FILE__ strings.

    BoringSSL embeds __FILE__ (absolute source paths) in .rodata through OPENSSL_PUT_ERROR, so
    two builds from different directories differ by (path-prefix length x number of strings).
    "normalized" counts each such path from its source root (the first "/src/")."""
    if not os.path.exists(path):
        return None
    out = subprocess.run(["size", "-t", path], capture_output=True, text=True, check=True).stdout
    text, data, _bss = (int(v) for v in out.strip().splitlines()[-1].split()[:3])
    strings = subprocess.run(["readelf", "-W"] + [a for sec in (".rodata.str1.1", ".rodata.str1.8",
                             ".rodata.str1.16") for a in ("-p", sec)] + [path],
                             capture_output=True, text=True).stdout
    prefix_bytes = 0
    for m in re.finditer(r"^\s*\[\s*[0-9a-f]+\]\s+(/\S*?/src/)\S*$", strings, re.M):
        prefix_bytes += len(m.group(1))
    return {"text": text, "data": data, "text+data": text + data,
            "build_path_bytes": prefix_bytes, "normalized": text + data - prefix_bytes}


def median(values):
    return statistics.median(values) if values else None


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    first = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 2 ** 20, 1),
            "kernel": platform.release(), "os": first(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"]),
            "curl": first(["curl", "-V"]), "gnutls": first(["gnutls-cli", "--version"]),
            "openssl": first(["openssl", "version"]), "valgrind": first(["valgrind", "--version"])}


# -- results ---------------------------------------------------------------------------------------
def summarise(bench, ir, cpu_samples, cpu_floors, started, load_start):
    groups = {}
    for bits in map(str, bench.args.groups):
        rows = {}
        for client in bench.clients:
            cg = ir.get(bits, {}).get(client.name, {})
            per_cpu = [s[0] for s in cpu_samples.get(bits, {}).get(client.name, [])]
            start_cpu = [s[1] for s in cpu_samples.get(bits, {}).get(client.name, [])]
            lo, hi = client.counts(bench.args.k_cpu)
            rows[client.name] = {
                "kind": client.kind, "library": client.library,
                "method_cpu": "%d vs %d handshakes per process" % (hi, lo) if lo else
                              "1 handshake vs the same run with no handshake",
                "ir_per_handshake": cg.get("per_handshake"),
                "ir_startup": cg.get("startup"),
                "ir_per_handshake_by_subtraction": cg.get("per_handshake_by_subtraction"),
                "ir_runs": cg.get("runs"), "callgrind_handshakes": [cg.get("lo"), cg.get("hi")],
                "method_ir": "%d vs %d handshakes per process" % (cg.get("hi"), cg.get("lo"))
                             if cg.get("lo") else "1 handshake vs the same run with no handshake",
                "cpu_ms_per_handshake": ms(median(per_cpu)),
                "cpu_ms_startup": ms(median(start_cpu)),
                "cpu_ms_per_handshake_samples": [ms(v) for v in per_cpu],
            }
        floors = {}
        for library in ("nss", "boringssl"):
            floors[library] = {
                "function": {"nss": "SRP_ClientDerive (freebl, via the loader)",
                             "boringssl": "bssl::ssl_srp_client_compute"}[library],
                "ir_per_op": ir.get(bits, {}).get("floor:" + library, {}).get("per_op"),
                "cpu_ms_per_op": ms(median(cpu_floors.get(bits, {}).get(library, []))),
                "cpu_ms_samples": [ms(v) for v in cpu_floors.get(bits, {}).get(library, [])],
            }
        best = {}
        for metric in ("ir_per_handshake", "cpu_ms_per_handshake"):
            refs = [(r[metric], name) for name, r in rows.items()
                    if r["kind"] == "reference" and r[metric] is not None]
            best[metric] = min(refs)[1] if refs else None
        for name, r in rows.items():
            for metric, key in (("ir_per_handshake", "ratio_ir_to_best_reference"),
                                ("cpu_ms_per_handshake", "ratio_cpu_to_best_reference")):
                ref = rows[best[metric]][metric] if best[metric] else None
                r[key] = r[metric] / ref if r[metric] is not None and ref else None
            floor = floors.get(r["library"])
            r["ratio_ir_to_floor"] = ratio(r["ir_per_handshake"], floor and floor["ir_per_op"])
            r["ratio_cpu_to_floor"] = ratio(r["cpu_ms_per_handshake"], floor and floor["cpu_ms_per_op"])
        groups[bits] = {"clients": rows, "floor": floors,
                        "best_reference": {"instructions": best["ir_per_handshake"],
                                           "cpu": best["cpu_ms_per_handshake"]}}
    goals = []
    for bits, g in groups.items():
        for name, r in g["clients"].items():
            if r["kind"] != "ours":
                continue
            goals.append({"group": int(bits), "client": name,
                          "not_above_best_reference_ir": le(r["ratio_ir_to_best_reference"], 1.0),
                          "not_above_best_reference_cpu": le(r["ratio_cpu_to_best_reference"], 1.0),
                          "within_1.25x_floor_ir": le(r["ratio_ir_to_floor"], 1.25),
                          "within_1.25x_floor_cpu": le(r["ratio_cpu_to_floor"], 1.25)})
    return {
        "meta": {"started": started, "finished": now(), "machine": machine(),
                 "load_average_start": load_start, "load_average_end": list(os.getloadavg()),
                 "suite": SUITE[0], "tls_version": "1.2",
                 "server": "gnutls-serv --http --nodb --noticket on 127.0.0.1 (no resumption)",
                 "rounds": bench.args.rounds, "k_cpu": bench.args.k_cpu,
                 "k_callgrind": bench.args.k_callgrind, "groups": bench.args.groups},
        "handshake": groups, "goals": goals, "errors": bench.errors, "retried": bench.retried,
    }


def ms(seconds):
    return None if seconds is None else seconds * 1000


def ratio(a, b):
    return a / b if a is not None and b else None


def le(value, limit):
    return None if value is None else value <= limit


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def write_markdown(results, path):
    m = results["meta"]
    mc = m["machine"]
    f = lambda v, fmt: "-" if v is None else fmt % v
    lines = ["# TLS-SRP client cost: results of `make bench`", "",
             "Run %s to %s on %s, %d cores, %s GiB, %s (kernel %s); load average %.1f at the start, %.1f at the end." % (
                 m["started"], m["finished"], mc["cpu"], mc["cores"], mc["memory_gib"], mc["os"],
                 mc["kernel"], m["load_average_start"][0], m["load_average_end"][0]),
             "Suite %s, TLS %s, against %s. Reference clients: %s; %s." % (
                 m["suite"], m["tls_version"], m["server"], mc["curl"], mc["gnutls"]),
             "Instructions: %s, one pass (K = %d). CPU time: user + sys, median of %d interleaved rounds (K = %d)." % (
                 mc["valgrind"], m["k_callgrind"], m["rounds"], m["k_cpu"]), "",
             "## Client cost per handshake", "",
             "CPU time, start-up separated by: " + "; ".join(
                 "%s %s" % (name, r["method_cpu"]) for name, r in
                 next(iter(results["handshake"].values()))["clients"].items()) + ".", "",
             "| group | client | instructions: method | instructions | (1 vs 0 runs) | start-up instr. | x best ref (instr.) | x floor (instr.) | CPU ms | start-up CPU ms | x best ref (CPU) | x floor (CPU) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for bits, g in results["handshake"].items():
        for name, r in g["clients"].items():
            label = name + (" (ref)" if r["kind"] == "reference" else "")
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                bits, label, r["method_ir"], f(r["ir_per_handshake"] and r["ir_per_handshake"] / 1e6, "%.2fM"),
                f(r["ir_per_handshake_by_subtraction"] and r["ir_per_handshake_by_subtraction"] / 1e6, "%.2fM"),
                f(r["ir_startup"] and r["ir_startup"] / 1e6, "%.1fM"),
                f(r["ratio_ir_to_best_reference"], "%.2f"), f(r["ratio_ir_to_floor"], "%.2f"),
                f(r["cpu_ms_per_handshake"], "%.2f"), f(r["cpu_ms_startup"], "%.1f"),
                f(r["ratio_cpu_to_best_reference"], "%.2f"), f(r["ratio_cpu_to_floor"], "%.2f")))
    lines += ["", "## Arithmetic floor (the library's own SRP function, per handshake)", "",
              "| group | library | function | instructions | CPU ms |", "|---|---|---|---|---|"]
    for bits, g in results["handshake"].items():
        for library, fl in g["floor"].items():
            lines.append("| %s | %s | %s | %s | %s |" % (
                bits, library, fl["function"], f(fl["ir_per_op"] and fl["ir_per_op"] / 1e6, "%.2fM"),
                f(fl["cpu_ms_per_op"], "%.2f")))
    lines += ["", "## Where a handshake's instructions go (callgrind, own instructions per function)", "",
              "Per handshake: the difference of the two callgrind runs of each client, divided by the",
              "number of handshakes between them. Bignum share: functions of the bignum code",
              "(NSS mpi, BN_*/bn_*, GMP).", "",
              "| group | client | instructions | bignum share | top functions (share) |", "|---|---|---|---|---|"]
    for key, prof in results.get("profile", {}).items():
        name, _, bits = key.rpartition(", ")
        lines.append("| %s | %s | %s | %s | %s |" % (
            bits.split()[0], name, f(prof["per_handshake"] / 1e6, "%.2fM"),
            f(prof["bignum_share"] and 100 * prof["bignum_share"], "%.0f%%"),
            ", ".join("`%s` %.0f%%" % (row["function"], 100 * row["share"]) for row in prof["top"][:5])))
    if "soak" in results:
        lines += ["", "## Soak", "", "| backend | client | handshakes | processes | failures | server full handshakes | resumed | handshakes/s | client CPU ms/handshake |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for backend, s in results["soak"].items():
            lines.append("| %s | %s | %d | %d | %d | %d | %d | %.1f | %.2f |" % (
                backend, s["client"], s["handshakes"], s["processes"], s["failures"],
                s["server_full_handshakes"], s["server_resumed"], s["handshakes_per_second"],
                s["client_cpu_ms_per_handshake"]))
    if "footprint" in results:
        lines += ["", "## Footprint (size -t: text + data, bytes)", "",
                  "Delta: of text + data without the build directory in __FILE__ strings (BoringSSL",
                  "embeds absolute source paths; the two builds ran in different directories).", "",
                  "| library | file | pristine | patched | build-path bytes (pristine / patched) | delta | delta % |",
                  "|---|---|---|---|---|---|---|"]
        for row in results["footprint"]:
            pr, pa = row["pristine"] or {}, row["patched"] or {}
            lines.append("| %s | %s | %s | %s | %s / %s | %s | %s |" % (
                row["library"], row["file"], f(pr.get("text+data"), "%d"), f(pa.get("text+data"), "%d"),
                f(pr.get("build_path_bytes"), "%d"), f(pa.get("build_path_bytes"), "%d"),
                f(row.get("delta"), "%+d"), f(row.get("delta_pct"), "%+.2f%%")))
    lines += ["", "## Goals (benchmarks, not pass/fail tests)", "",
              "| group | client | <= best reference (instr.) | <= best reference (CPU) | <= 1.25x floor (instr.) | <= 1.25x floor (CPU) |",
              "|---|---|---|---|---|---|"]
    yn = lambda v: "-" if v is None else ("met" if v else "**missed**")
    for goal in results["goals"]:
        lines.append("| %d | %s | %s | %s | %s | %s |" % (
            goal["group"], goal["client"], yn(goal["not_above_best_reference_ir"]),
            yn(goal["not_above_best_reference_cpu"]), yn(goal["within_1.25x_floor_ir"]),
            yn(goal["within_1.25x_floor_cpu"])))
    if results["errors"]:
        lines += ["", "## Errors", ""] + ["- " + e for e in results["errors"]]
    if results["retried"]:
        lines += ["", "## Runs that failed and were repeated", ""] + ["- " + e for e in results["retried"]]
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", required=True)
    p.add_argument("--lab", required=True, help="the lab directory of gnutls-lab.sh")
    p.add_argument("--port", type=int, required=True, help="gnutls-serv's port")
    p.add_argument("--soak-lab", required=True, help="the soak server's lab directory")
    p.add_argument("--soak-port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--groups", default="2048,3072,4096,8192")
    p.add_argument("--rounds", type=int, default=5, help="CPU-time rounds")
    p.add_argument("--k-cpu", type=int, default=6, help="handshakes per process (CPU time)")
    p.add_argument("--k-callgrind", type=int, default=2, help="handshakes per process (callgrind)")
    p.add_argument("--callgrind-subtract-from", type=int, default=8192,
                   help="from this group size on, callgrind runs every client once with and once "
                   "without a handshake (an 8192-bit gnutls-cli handshake is ~1.4G instructions, "
                   "minutes under valgrind); start-up is then under 10%% of the count")
    p.add_argument("--floor-ops", type=int, default=100, help="floor iterations at 2048 bits")
    p.add_argument("--soak", type=int, default=10000, help="handshakes per backend (0: none)")
    p.add_argument("--profile-groups", default="2048,8192")
    p.add_argument("--clients", default="", help="only these (srpclient-nss, srpclient-boringssl, "
                   "tstclnt, bssl-client, curl-openssl, gnutls-cli)")
    args = p.parse_args()
    args.groups = [int(g) for g in args.groups.split(",")]
    os.makedirs(args.out, exist_ok=True)

    started, load_start = now(), list(os.getloadavg())
    bench = Bench(args)
    t0 = time.monotonic()
    soak = {}
    if args.soak:  # beside the instruction counts, which the load does not move
        def run_soak():
            soak.update(bench.soak())
            log("soak done in %.0fs" % (time.monotonic() - t0))
        soaker = threading.Thread(target=run_soak)
        soaker.start()
    ir = bench.measure_instructions()
    log("instructions done in %.0fs" % (time.monotonic() - t0))
    if args.soak:
        soaker.join()
    t0 = time.monotonic()
    cpu_samples, cpu_floors = bench.measure_cpu()
    log("CPU rounds done in %.0fs" % (time.monotonic() - t0))
    results = summarise(bench, ir, cpu_samples, cpu_floors, started, load_start)
    results["profile"] = {}
    for bits in [int(b) for b in args.profile_groups.split(",") if int(b) in args.groups]:
        for client in bench.clients:
            entry = ir.get(str(bits), {}).get(client.name)
            if entry and "per_handshake" in entry:
                results["profile"]["%s, %d bits" % (client.name, bits)] = dict(
                    handshake_profile(entry["files"][0], entry["files"][1], entry["lo"], entry["hi"]),
                    run="%d vs %d handshakes" % (entry["hi"], entry["lo"]))
    if args.soak:
        results["soak"] = soak
    results["footprint"] = bench.footprint()
    results["meta"]["finished"] = now()
    results["errors"] = bench.errors
    results["retried"] = bench.retried
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    write_markdown(results, os.path.join(args.out, "results.md"))
    log("results in %s/results.{json,md}; %d errors" % (args.out, len(bench.errors)))
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
