#!/usr/bin/env python3
"""Hostile TLS-SRP server suite (RFC 5054), Python 3.11 standard library only.

Every rejection a TLS-SRP client must make happens before its
ClientKeyExchange, so the crafted server needs no record encryption: it reads
the ClientHello, answers with crafted plaintext handshake records and records
what the client sends back (an alert, a ClientKeyExchange = failure to reject,
a close, or nothing before the deadline = hang).

One scenario per client process; one listening socket per scenario on
127.0.0.1, port chosen by the kernel.  Expectations come from
expectations.tsv, groups from groups.tsv, suite ids from ../suites.tsv.

  hostile.py [--client NAME[=COMMAND]]... [--scenario NAME]... [--out DIR]
  hostile.py --list

COMMAND is any shell command that runs a TLS-SRP client against
$HOSTILE_HOST:$HOSTILE_PORT (see README.md, "Pointing it at a client");
NAME alone picks a wrapper from clients/.  Prints PASS/FAIL/SKIP lines, writes
results.json and results.md, exits 1 if any FAIL.
"""
import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import hashlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
          22: "record_overflow", 40: "handshake_failure", 42: "bad_certificate",
          43: "unsupported_certificate", 46: "certificate_unknown", 47: "illegal_parameter",
          48: "unknown_ca", 50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
          71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
          90: "user_canceled", 109: "missing_extension", 110: "unsupported_extension",
          112: "unrecognized_name", 115: "unknown_psk_identity"}
ALERT_NUM = {v: k for k, v in ALERTS.items()}

# Clients known to the suite: name -> (wrapper in clients/, role).  Subjects are
# graded against `expect`, the reference against the pinned `reference` column.
DEFAULT_CLIENTS = [
    ("tstclnt", "tstclnt", "subject"),
    ("bssl", "bssl", "subject"),
    ("srpclient-nss", "srpclient-nss", "subject"),
    ("srpclient-boringssl", "srpclient-boringssl", "subject"),
    ("gnutls-cli", "gnutls-cli", "reference"),
]
NOT_BUILT_RC = 3     # wrapper --probe: client (or its SRP support) not built
USERNAME = "hostile-user"
PASSWORD = "hostile-password-not-secret"


# ---------------------------------------------------------------- tables
def read_tsv(path, header_prefix=None):
    rows, cols = [], None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if cols is None:
                cols = parts
                continue
            rows.append(dict(zip(cols, parts)))
    return rows


def load_groups():
    g = {}
    with open(os.path.join(HERE, "groups.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, bits, gen, nhex, src = line.rstrip("\n").split("\t")
            g[name] = (int(nhex, 16), int(gen))
    return g


def load_suites():
    byname, kx = {}, {}
    with open(os.path.join(HERE, "..", "suites.tsv")) as f:
        for line in f:
            p = line.split()
            if not p or p[0].startswith("#"):
                continue
            sid = int(p[1], 16)
            byname[p[0]] = sid
            kx[sid] = {"SRP": "srp", "SRP-RSA": "srp-rsa", "SRP-DSS": "srp-dss"}[p[3]]
    return byname, kx


SUITES, SUITE_KX = load_suites()
SUITE_NAME = {v: k for k, v in SUITES.items()}
GROUPS = load_groups()
# Scenarios whose server offers another group than RFC 5054's 2048-bit one.
SCENARIO_GROUP = {"unknown-prime-2048": "unknown-safe-2048", "composite-n": "composite-2048",
                  "group-1024": "rfc5054-1024", "group-1536": "rfc5054-1536",
                  "control-group-8192": "rfc5054-8192", "group-512": "safe-512"}


# ---------------------------------------------------------------- encoding helpers
def i2b(n):
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")


def v8(b):
    return bytes([len(b)]) + b


def v16(b):
    return len(b).to_bytes(2, "big") + b


def v24(b):
    return len(b).to_bytes(3, "big") + b


def hs(msg_type, body):
    return bytes([msg_type]) + v24(body)


def records(ctype, version, data):
    out = b""
    for i in range(0, max(len(data), 1), 16384):
        frag = data[i:i + 16384]
        out += bytes([ctype]) + version.to_bytes(2, "big") + v16(frag)
    return out


# ---------------------------------------------------------------- reading
class Closed(Exception):
    pass


def recv_exact(sock, n, deadline):
    buf = b""
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout()
        sock.settimeout(left)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise Closed("closed" if not buf else "closed mid-record")
        buf += chunk
    return buf


def read_record(sock, deadline):
    hdr = recv_exact(sock, 5, deadline)
    ln = int.from_bytes(hdr[3:5], "big")
    return hdr[0], int.from_bytes(hdr[1:3], "big"), recv_exact(sock, ln, deadline)


def parse_client_hello(sock, deadline):
    buf = b""
    while True:
        ctype, _, body = read_record(sock, deadline)
        if ctype != 22:
            raise ValueError("expected a handshake record, got content type %d" % ctype)
        buf += body
        if len(buf) >= 4 and len(buf) >= 4 + int.from_bytes(buf[1:4], "big"):
            break
    if buf[0] != 1:
        raise ValueError("first handshake message is type %d, not ClientHello" % buf[0])
    m = buf[4:4 + int.from_bytes(buf[1:4], "big")]
    ch = {"version": int.from_bytes(m[0:2], "big"), "random": m[2:34]}
    off = 34
    ch["session_id"] = m[off + 1:off + 1 + m[off]]
    off += 1 + m[off]
    n = int.from_bytes(m[off:off + 2], "big")
    ch["suites"] = [int.from_bytes(m[off + 2 + i:off + 4 + i], "big") for i in range(0, n, 2)]
    off += 2 + n
    off += 1 + m[off]
    exts = {}
    if off + 2 <= len(m):
        end = off + 2 + int.from_bytes(m[off:off + 2], "big")
        off += 2
        while off + 4 <= end:
            t = int.from_bytes(m[off:off + 2], "big")
            ln = int.from_bytes(m[off + 2:off + 4], "big")
            exts[t] = m[off + 4:off + 4 + ln]
            off += 4 + ln
    ch["exts"] = exts
    ch["versions"] = [ch["version"]]
    if 43 in exts:
        d = exts[43]
        ch["versions"] = [int.from_bytes(d[1 + i:3 + i], "big") for i in range(0, d[0], 2)]
    ch["key_shares"] = []
    if 51 in exts:
        d, i = exts[51], 2
        while i + 4 <= len(d):
            grp = int.from_bytes(d[i:i + 2], "big")
            ln = int.from_bytes(d[i + 2:i + 4], "big")
            ch["key_shares"].append((grp, ln))
            i += 4 + ln
    ch["sigalgs"] = []
    if 13 in exts:
        d = exts[13]
        ch["sigalgs"] = [int.from_bytes(d[2 + i:4 + i], "big")
                         for i in range(0, int.from_bytes(d[0:2], "big"), 2)]
    ch["srp_user"] = exts[12][1:1 + exts[12][0]].decode("latin-1") if 12 in exts else None
    ch["reneg"] = 0xff01 in exts or 0x00ff in ch["suites"]
    return ch


def summarize_hello(ch):
    real = [v for v in ch["versions"] if (v & 0x0f0f) != 0x0a0a]
    return {
        "max_version": "0x%04x" % max(real) if real else None,
        "srp_suites_offered": [SUITE_NAME[s] for s in ch["suites"] if s in SUITE_NAME],
        "srp_extension_user": ch["srp_user"],
        "n_suites": len(ch["suites"]),
    }


# ---------------------------------------------------------------- crafting
class Crafter:
    def __init__(self, workdir):
        self.workdir = workdir
        self.key = os.path.join(workdir, "rsa.key")
        cert = os.path.join(workdir, "rsa.crt")
        if not os.path.exists(self.key):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-keyout", self.key, "-out", cert, "-subj", "/CN=hostile.invalid",
                            "-days", "2", "-sha256"], check=True, capture_output=True, timeout=60)
        self.cert_der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                                       check=True, capture_output=True, timeout=30).stdout
        self.n16384 = None

    def rsa_sign(self, data, version):
        if version >= 0x0303:   # rsa_pkcs1_sha256
            sig = subprocess.run(["openssl", "dgst", "-sha256", "-binary", "-sign", self.key],
                                 input=data, check=True, capture_output=True, timeout=30).stdout
            return (0x0401).to_bytes(2, "big") + v16(sig)
        digest = hashlib.md5(data).digest() + hashlib.sha1(data).digest()
        sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", self.key],
                             input=digest, check=True, capture_output=True, timeout=30).stdout
        return v16(sig)

    @staticmethod
    def genuine_b(n, g):
        # A 256-bit exponent keeps the 8192-bit control cheap; B only has to be genuine.
        return pow(g, secrets.randbits(256) | 1 << 255, n) or 2

    def flight(self, scen, ch, conn_no):
        """Return (bytes to send, note) for scenario `scen` given ClientHello `ch`."""
        name = scen["scenario"]
        if name == "psk-identity-every-conn":
            return records(21, 0x0303, bytes([2, 115])), "alert unknown_psk_identity"
        want = scen["kx"]
        offered = [s for s in ch["suites"] if SUITE_KX.get(s) == want]
        if name == "suite-not-offered":
            cands = [s for s in SUITE_KX if SUITE_KX[s] == "srp" and s not in ch["suites"]]
            cands += [s for s in (0x002F, 0x0035, 0x000A, 0x0001) if s not in ch["suites"]]
            suite = cands[0]
            note = "chose %s, not offered" % SUITE_NAME.get(suite, "0x%04X" % suite)
        else:
            if not offered:
                return None, "client offered no %s suite" % want
            suite = 0xC01D if 0xC01D in offered else (0xC01E if 0xC01E in offered else offered[0])
            note = "suite %s" % SUITE_NAME[suite]
        srandom = secrets.token_bytes(32)
        if name == "tls13-srp-suite":
            ext = (43).to_bytes(2, "big") + v16((0x0304).to_bytes(2, "big"))
            if ch["key_shares"]:
                grp, ln = next(((g, l) for g, l in ch["key_shares"] if g == 0x001d), ch["key_shares"][0])
                ext += (51).to_bytes(2, "big") + v16(grp.to_bytes(2, "big") + v16(secrets.token_bytes(ln)))
            body = ((0x0303).to_bytes(2, "big") + srandom + v8(ch["session_id"]) +
                    suite.to_bytes(2, "big") + b"\x00" + v16(ext))
            return records(22, 0x0303, hs(2, body)), note + ", TLS 1.3 ServerHello"
        version = min(ch["version"], 0x0303)
        ext = b""
        if ch["reneg"]:
            ext += (0xff01).to_bytes(2, "big") + v16(b"\x00")
        sh = (version.to_bytes(2, "big") + srandom + v8(secrets.token_bytes(32)) +
              suite.to_bytes(2, "big") + b"\x00" + (v16(ext) if ext else b""))
        msgs = [hs(2, sh)]
        if want == "srp-rsa" or name == "certificate-for-srp-only":
            msgs.append(hs(11, v24(v24(self.cert_der))))

        n, g = GROUPS["rfc5054-2048"]
        salt = secrets.token_bytes(16)
        b_val = None
        if name in SCENARIO_GROUP:
            n, g = GROUPS[SCENARIO_GROUP[name]]
        elif name == "wrong-generator":
            g = 5
        elif name == "g-one":
            g = 1
        elif name == "n-16384":
            if self.n16384 is None:
                self.n16384 = secrets.randbits(16384) | (1 << 16383) | 1
            n = self.n16384
            b_val = secrets.randbits(16000)
        elif name == "salt-empty":
            salt = b""
        if name in ("b-zero", "b-zero-padded"):
            b_val = 0
        elif name in ("b-equals-n", "b-n-leading-zero"):
            b_val = n
        elif name == "b-equals-2n":
            b_val = 2 * n
        if b_val is None:
            b_val = self.genuine_b(n, g)
        b_enc = i2b(b_val)
        if name == "b-zero-padded":       # B = 0 written as |N| zero bytes
            b_enc = bytes(len(i2b(n)))
        elif name == "b-n-leading-zero":  # B = N with one leading zero byte
            b_enc = b"\x00" + i2b(n)
        params = v16(i2b(n) if name != "n-empty" else b"") + v16(i2b(g)) + v8(salt) + v16(b_enc)
        if name == "ske-truncated":
            params = params[:-100]
        ske = params
        if want == "srp-rsa":
            signed = ch["random"] + srandom + params
            if name == "bad-rsa-signature":
                signed = ch["random"] + bytes([srandom[0] ^ 1]) + srandom[1:] + params
            ske += self.rsa_sign(signed, version)
        if name == "ske-trailing":
            ske += b"\x00\x01\x02"
        if name not in ("missing-ske", "missing-ske-rsa"):
            msgs.append(hs(12, ske))
        msgs.append(hs(14, b""))
        note += ", N %d bits, g %d, |s| %d, |B| %d bytes" % (n.bit_length(), g, len(salt), len(b_enc))
        if name == "control-fragmented":  # the same flight in 7-byte records
            data = b"".join(msgs)
            return b"".join(records(22, version, data[i:i + 7]) for i in range(0, len(data), 7)), \
                note + ", 7-byte records"
        return records(22, version, b"".join(msgs)), note


# ---------------------------------------------------------------- the server
class Server(threading.Thread):
    def __init__(self, crafter, scen, wait, port=0, on_conn=None):
        super().__init__(daemon=True)
        self.crafter, self.scen, self.wait, self.on_conn = crafter, scen, wait, on_conn
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", port))
        self.lsock.listen(8)
        self.lsock.settimeout(0.2)
        self.port = self.lsock.getsockname()[1]
        self.stop = threading.Event()
        self.conns = []          # one dict per accepted connection

    def run(self):
        try:
            while not self.stop.is_set():
                try:
                    c, _ = self.lsock.accept()
                except socket.timeout:
                    continue
                except OSError:
                    break
                obs = {"n": len(self.conns) + 1}
                self.conns.append(obs)
                try:
                    self.handle(c, obs)
                except Exception as e:  # never let the server thread die silently
                    obs["event"] = obs.get("event") or "server-error"
                    obs["detail"] = "%s: %s" % (type(e).__name__, e)
                finally:
                    try:
                        c.close()
                    except OSError:
                        pass
                if self.on_conn:
                    self.on_conn(obs)
        finally:
            self.lsock.close()

    def handle(self, c, obs):
        deadline = time.monotonic() + self.wait
        try:
            ch = parse_client_hello(c, deadline)
        except (Closed, socket.timeout, ValueError, OSError) as e:
            obs["event"] = "no-client-hello"
            obs["detail"] = str(e) or type(e).__name__
            return
        obs["hello"] = summarize_hello(ch)
        data, note = self.crafter.flight(self.scen, ch, obs["n"])
        obs["sent"] = note
        if data is None:
            obs["event"] = "not-applicable"
            return
        c.sendall(data)
        t0 = time.monotonic()
        deadline = t0 + self.wait
        while True:
            try:
                ctype, _, body = read_record(c, deadline)
            except socket.timeout:
                obs["event"] = "no-response"
                break
            except Closed as e:
                obs["event"] = "closed"
                obs["detail"] = str(e)
                break
            except ConnectionResetError:
                obs["event"] = "closed"
                obs["detail"] = "connection reset"
                break
            if ctype == 21 and len(body) >= 2:
                obs["event"] = "alert"
                obs["alert"] = ALERTS.get(body[1], "alert%d" % body[1])
                obs["alert_level"] = "fatal" if body[0] == 2 else "warning(%d)" % body[0]
                break
            if ctype == 22 and body[:1] == b"\x10":
                obs["event"] = "cke"
                break
            obs.setdefault("other_records", []).append(ctype)
        obs["react"] = round(time.monotonic() - t0, 3)


# ---------------------------------------------------------------- running a client
def tail(path, n=600):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return " | ".join(lines)[-n:]


def probe(cmd, env, workdir):
    """Run the wrapper with --probe. (ok, text)."""
    try:
        p = subprocess.run(cmd + " --probe", shell=True, env=env, capture_output=True,
                           text=True, timeout=30, stdin=subprocess.DEVNULL, cwd=workdir)
    except subprocess.TimeoutExpired:
        return False, "probe timed out"
    text = (p.stdout + p.stderr).strip().replace("\n", " ")
    return p.returncode == 0, text


def run_one(crafter, scen, client_cmd, env_base, workdir, client_timeout, server_wait):
    srv = Server(crafter, scen, server_wait)
    srv.start()
    env = dict(env_base)
    env.update({"HOSTILE_HOST": "127.0.0.1", "HOSTILE_PORT": str(srv.port),
                "HOSTILE_USER": USERNAME, "HOSTILE_PASSWORD": PASSWORD,
                "HOSTILE_TIMEOUT": str(client_timeout), "HOSTILE_WORKDIR": workdir,
                "HOSTILE_SCENARIO": scen["scenario"]})
    out, err = os.path.join(workdir, "client.out"), os.path.join(workdir, "client.err")
    t0 = time.monotonic()
    hung = False
    with open(out, "wb") as fo, open(err, "wb") as fe:
        p = subprocess.Popen(client_cmd, shell=True, env=env, stdin=subprocess.DEVNULL,
                             stdout=fo, stderr=fe, cwd=workdir, start_new_session=True)
        try:
            rc = p.wait(timeout=client_timeout)
        except subprocess.TimeoutExpired:
            hung = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            rc = p.wait()
    secs = round(time.monotonic() - t0, 2)
    # Anything the client left behind in its process group goes too.
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    time.sleep(0.3)       # let a looping client's next connection land, then count
    srv.stop.set()
    srv.join(timeout=server_wait + 5)
    return {"rc": rc, "hung": hung, "seconds": secs, "conns": srv.conns,
            "message": tail(err) or tail(out)}


CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE}


def grade(scen, role, r, timing=True):
    """-> (verdict, why, received)."""
    conns = r["conns"]
    first = conns[0] if conns else {}
    ev = first.get("event")
    received = {"alert": first.get("alert"), "cke": "ClientKeyExchange",
                "closed": "closed", "no-response": "nothing"}.get(ev, ev or "no connection")
    expect = (scen["expect"] if role == "subject" else scen["reference"]).split("|")
    if ev == "not-applicable":
        return "SKIP", first.get("sent", "not applicable"), received
    rc = r["rc"]
    # Through `sh -c` or timeout(1) a signal death can arrive as exit status 128+N.
    sig = -rc if rc is not None and rc < 0 else (rc - 128 if rc is not None and rc > 128 else 0)
    if sig in CRASH_SIGNALS:
        return "FAIL", "client crashed (signal %d)" % sig, received
    if rc in (124, 137) or sig == signal.SIGKILL:
        return "FAIL", "client killed by its time limit (exit %s): hang" % rc, received
    if r["hung"]:
        return "FAIL", "client still running after %ss (hang), killed" % r["seconds"], received
    if not conns:
        return "FAIL", "client never connected (rc %s): %s" % (rc, r["message"][:200]), received
    if ev == "no-client-hello":
        return "FAIL", "no ClientHello: %s" % first.get("detail"), received
    if ev == "server-error":
        return "FAIL", "crafted server error: %s" % first.get("detail"), received
    if ev == "no-response":
        return "FAIL", "no answer to the crafted flight within %ss (hang)" % r.get("wait"), received
    if len(conns) > int(scen["max_conns"]):
        return "FAIL", "%d connections (max %s): the client loops" % (len(conns), scen["max_conns"]), received
    if expect == ["cke"]:
        if ev != "cke":
            return "FAIL", "expected ClientKeyExchange (valid parameters), got %s" % received, received
        return "PASS", "proceeded to ClientKeyExchange", received
    if ev == "cke":
        return "FAIL", "sent ClientKeyExchange: did not reject", received
    got = first.get("alert") if ev == "alert" else ev
    if got not in expect:
        return "FAIL", "expected %s, got %s" % ("|".join(expect), received), received
    react = first.get("react")
    if timing and react is not None and react > float(scen["max_react"]):
        return "FAIL", "answered after %.2fs (limit %ss)" % (react, scen["max_react"]), received
    if role == "subject":
        if rc == 0:
            return "FAIL", "rejected with %s but exit status 0" % received, received
        if not r["message"]:
            return "FAIL", "rejected with %s but printed no message" % received, received
    return "PASS", "%s, exit %s" % (received, rc), received


# ---------------------------------------------------------------- main
def md_escape(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--client", action="append", default=[],
                    help="NAME (wrapper in clients/) or NAME=COMMAND; repeatable; default: all known")
    ap.add_argument("--reference", action="append", default=[],
                    help="like --client, graded against the reference column")
    ap.add_argument("--scenario", action="append", default=[], help="run only these scenarios")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "hostile"))
    ap.add_argument("--client-timeout", type=float, default=float(os.environ.get("HOSTILE_CLIENT_TIMEOUT", 25)))
    ap.add_argument("--server-wait", type=float, default=float(os.environ.get("HOSTILE_SERVER_WAIT", 15)))
    ap.add_argument("--valgrind", action="store_true",
                    help="run the subject clients under valgrind memcheck (slow; longer timeouts, no "
                         "reaction-time limits); any memcheck error is a FAIL")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--serve", metavar="SCENARIO",
                    help="only run the crafted server for SCENARIO (for your own client or test): print "
                         "'listening 127.0.0.1 PORT', then one JSON line per connection")
    ap.add_argument("--port", type=int, default=0, help="with --serve: port (default: any free one)")
    ap.add_argument("--serve-seconds", type=float, default=120, help="with --serve: stop after this long")
    ap.add_argument("--connections", type=int, default=0, help="with --serve: stop after N connections")
    a = ap.parse_args()

    scenarios = read_tsv(os.path.join(HERE, "expectations.tsv"))
    if a.serve:
        return serve_only(a, scenarios)
    if a.list:
        for s in scenarios:
            print("%-26s %-8s expect %-40s %s" % (s["scenario"], s["kx"], s["expect"], s["what"]))
        return 0
    if a.scenario:
        unknown = set(a.scenario) - {s["scenario"] for s in scenarios}
        if unknown:
            sys.exit("unknown scenario(s): %s" % ", ".join(sorted(unknown)))
        scenarios = [s for s in scenarios if s["scenario"] in a.scenario]

    clients = []
    def add(spec, role):
        name, _, cmd = spec.partition("=")
        if not cmd:
            path = os.path.join(HERE, "clients", name)
            if not os.path.exists(path):
                sys.exit("no wrapper clients/%s" % name)
            cmd = path
        clients.append((name, cmd, role))
    for spec in a.client:
        add(spec, "subject")
    for spec in a.reference:
        add(spec, "reference")
    if not clients:
        for name, wrapper, role in DEFAULT_CLIENTS:
            add(name, role)

    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(ROOT, "build", "tmp")
    os.makedirs(tmp, exist_ok=True)
    import tempfile
    workroot = tempfile.mkdtemp(prefix="hostile.", dir=tmp)
    crafter = Crafter(workroot)
    env_base = dict(os.environ)
    if a.valgrind:
        a.client_timeout = max(a.client_timeout, 120)
        a.server_wait = max(a.server_wait, 90)
    # Clients run in per-scenario directories: make the path overrides absolute.
    for k in ("HOSTILE_NSS_DIST", "HOSTILE_BSSL", "HOSTILE_SRPCLIENT", "HOSTILE_GNUTLS_CLI"):
        if env_base.get(k) and os.sep in env_base[k]:
            env_base[k] = os.path.abspath(env_base[k])
    env_base.setdefault("HOSTILE_ROOT", ROOT)
    env_base["HOSTILE_SUITES"] = "TLS_SRP_SHA_WITH_AES_128_CBC_SHA:TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA"

    results = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "username": USERNAME, "clients": {}, "rows": []}
    nfail = 0
    try:
        for name, cmd, role in clients:
            cdir = os.path.join(workroot, name)
            os.makedirs(cdir, exist_ok=True)
            ok, info = probe(cmd, dict(env_base, HOSTILE_WORKDIR=cdir), cdir)
            results["clients"][name] = {"role": role, "command": cmd, "built": ok, "info": info}
            for scen in scenarios:
                test = "hostile/%s/%s" % (name, scen["scenario"])
                row = {"client": name, "role": role, "scenario": scen["scenario"],
                       "expected": scen["expect"] if role == "subject" else scen["reference"]}
                if not ok:
                    row.update(verdict="SKIP", why="not built: " + info)
                    print("SKIP %s: not built: %s" % (test, info), flush=True)
                    results["rows"].append(row)
                    continue
                sdir = os.path.join(cdir, scen["scenario"])
                os.makedirs(sdir, exist_ok=True)
                env = env_base
                vglog = os.path.join(sdir, "valgrind.log")
                if a.valgrind and role == "subject":
                    env = dict(env_base, HOSTILE_CLIENT_PREFIX="valgrind -q --error-exitcode=97 "
                               "--track-origins=yes --log-file=" + vglog)
                r = run_one(crafter, scen, cmd, env, sdir, a.client_timeout, a.server_wait)
                r["wait"] = a.server_wait
                verdict, why, received = grade(scen, role, r, timing=not a.valgrind)
                if a.valgrind and role == "subject":
                    try:
                        with open(vglog, errors="replace") as f:
                            vg = " | ".join(l.strip() for l in f if l.strip() and "Warning:" not in l)
                    except OSError:
                        vg = "no valgrind log"
                    row["valgrind"] = vg[:2000]
                    if r["rc"] == 97 or vg:
                        verdict, why = "FAIL", "valgrind memcheck: " + vg[:300]
                    elif verdict == "PASS":
                        why += " (valgrind clean)"
                first = r["conns"][0] if r["conns"] else {}
                row.update(verdict=verdict, why=why, received=received, exit=r["rc"],
                           message=r["message"], seconds=r["seconds"], react=first.get("react"),
                           connections=len(r["conns"]), sent=first.get("sent"),
                           hello=first.get("hello"), hung=r["hung"])
                results["rows"].append(row)
                if verdict == "FAIL":
                    nfail += 1
                    print("FAIL %s: %s" % (test, why), flush=True)
                elif verdict == "SKIP":
                    print("SKIP %s: %s" % (test, why), flush=True)
                else:
                    print("PASS %s" % test, flush=True)
    finally:
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with open(os.path.join(a.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        write_md(results, scenarios, os.path.join(a.out, "results.md"))
        if os.environ.get("HOSTILE_KEEP") != "1":
            shutil.rmtree(workroot, ignore_errors=True)
    return 1 if nfail else 0


def serve_only(a, scenarios):
    scen = next((s for s in scenarios if s["scenario"] == a.serve), None)
    if scen is None:
        sys.exit("unknown scenario %s (see --list)" % a.serve)
    import tempfile
    tmp = os.path.join(ROOT, "build", "tmp")
    os.makedirs(tmp, exist_ok=True)
    workroot = tempfile.mkdtemp(prefix="hostile-serve.", dir=tmp)
    done = threading.Event()
    count = [0]

    def on_conn(obs):
        count[0] += 1
        obs = dict(obs, scenario=scen["scenario"], expect=scen["expect"])
        print(json.dumps(obs), flush=True)
        if a.connections and count[0] >= a.connections:
            done.set()
    try:
        srv = Server(Crafter(workroot), scen, a.server_wait, a.port, on_conn)
        srv.start()
        print("listening 127.0.0.1 %d scenario %s expect %s" % (srv.port, scen["scenario"], scen["expect"]),
              flush=True)
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        try:
            done.wait(a.serve_seconds)
        except KeyboardInterrupt:
            pass
        srv.stop.set()
        srv.join(timeout=a.server_wait + 5)
    finally:
        shutil.rmtree(workroot, ignore_errors=True)
    return 0


def write_md(results, scenarios, path):
    L = ["# Hostile-server suite results", "",
         "Run %s .. %s. Generated by interop/hostile/hostile.py; expectations from "
         "interop/hostile/expectations.tsv." % (results["started"], results.get("finished")), ""]
    names = list(results["clients"])
    L.append("## Summary (received alert / verdict per client)")
    L.append("")
    L.append("| scenario | expected | " + " | ".join(names) + " |")
    L.append("|---|---|" + "---|" * len(names))
    for scen in scenarios:
        cells = []
        for name in names:
            r = next((x for x in results["rows"] if x["client"] == name and x["scenario"] == scen["scenario"]), None)
            if r is None:
                cells.append("")
            elif r["verdict"] == "SKIP":
                cells.append("SKIP")
            else:
                cells.append("%s %s" % (r.get("received", ""), r["verdict"]))
        L.append("| %s | %s | %s |" % (scen["scenario"], md_escape(scen["expect"]),
                                       " | ".join(md_escape(c) for c in cells)))
    L.append("")
    L.append("(The reference client is graded against the `reference` column of expectations.tsv.)")
    L.append("")
    for name, c in results["clients"].items():
        rows = [r for r in results["rows"] if r["client"] == name]
        counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in ("PASS", "FAIL", "SKIP")}
        L.append("## %s (%s)" % (name, c["role"]))
        L.append("")
        L.append("%s. PASS %d, FAIL %d, SKIP %d." % (md_escape(c["info"] or ("built" if c["built"] else "not built")),
                                                  counts["PASS"], counts["FAIL"], counts["SKIP"]))
        L.append("")
        if not c["built"]:
            continue
        hello = next((r["hello"] for r in rows if r.get("hello")), None)
        if hello:
            L.append("ClientHello: highest version %s, SRP suites offered %s, SRP extension user %s." % (
                hello["max_version"], ", ".join(hello["srp_suites_offered"]) or "none",
                hello["srp_extension_user"]))
            L.append("")
        L.append("| scenario | expected | received | exit | conns | react s | total s | verdict | client message |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            verdict = r["verdict"] if r["verdict"] == "PASS" else "%s: %s" % (r["verdict"], r.get("why", ""))
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % tuple(md_escape(x) for x in (
                r["scenario"], r["expected"], r.get("received", ""), r.get("exit", ""),
                r.get("connections", ""), r.get("react", ""), r.get("seconds", ""), verdict,
                (r.get("message") or "")[:160])))
        L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    sys.exit(main())
