#!/usr/bin/env python3
# Helper of the hello-probe adapter (run through interop/clients/hello-probe).
"""Interop client adapter: raw ClientHello probe (no TLS library).

The reference clients cannot send what RFC 5054 2.5.1.2 describes (SRP
suites offered without the SRP extension): OpenSSL and GnuTLS drop SRP
suites when no username is set.  This probe writes that ClientHello by hand
and reports how the device answers; that is all it can do (it cannot finish
an SRP handshake), so other scenarios are "unsupported".

Scenarios:
  missing-credentials  ClientHello with the one SRP suite, no SRP extension;
                       RFC 5054 wants a fatal unknown_psk_identity (115).
  no-srp               ClientHello with the SRP suite and an SRP extension
                       carrying INTEROP_USERNAME; a device without SRP must
                       refuse (handshake_failure).
Interface: interop/README.md.
"""
import os
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ALERTS = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
          40: "handshake_failure", 47: "illegal_parameter", 50: "decode_error",
          51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security",
          80: "internal_error", 109: "missing_extension", 110: "unsupported_extension",
          112: "unrecognized_name", 115: "unknown_psk_identity"}
VERSIONS = {"1.0": 0x0301, "1.1": 0x0302, "1.2": 0x0303}


def result(outcome, detail):
    print(outcome)
    print("detail: " + detail.replace("\n", " ")[:400])
    sys.exit(0)


def suite_id(name):
    with open(os.path.join(HERE, "..", "suites.tsv")) as f:
        for line in f:
            p = line.split()
            if p and not p[0].startswith("#") and p[0] == name:
                return int(p[1], 16)
    return None


def client_hello(version, suite, username):
    exts = b""
    if username is not None:
        u = username.encode()
        exts += struct.pack("!HHB", 12, len(u) + 1, len(u)) + u  # srp extension
    if version == 0x0303:  # signature_algorithms, needed by SRP-RSA/DSS at 1.2
        algs = [0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0202, 0x0203]
        body = b"".join(struct.pack("!H", a) for a in algs)
        exts += struct.pack("!HHH", 13, len(body) + 2, len(body)) + body
    exts += struct.pack("!HHB", 0xff01, 1, 0)  # renegotiation_info (empty)
    suites = struct.pack("!H", suite)
    hello = (struct.pack("!H", version) + os.urandom(32) + b"\x00" +
             struct.pack("!H", len(suites)) + suites + b"\x01\x00" +
             struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(hello))[1:] + hello
    return b"\x16" + struct.pack("!HH", 0x0301, len(hs)) + hs


def read_exact(s, n, deadline):
    buf = b""
    while len(buf) < n:
        s.settimeout(max(0.1, deadline - time.time()))
        chunk = s.recv(n - len(buf))
        if not chunk:
            return buf
        buf += chunk
    return buf


def main():
    if sys.argv[1:] == ["--info"]:
        print("library: raw ClientHello probe (python3, no TLS library)")
        return
    env = os.environ
    scen = env.get("INTEROP_SCENARIO", "")
    if scen not in ("missing-credentials", "no-srp"):
        result("unsupported", "the probe only sends a ClientHello; it cannot run '%s'" % scen)
    version = VERSIONS.get(env.get("INTEROP_TLS_VERSION", ""))
    suite = suite_id(env.get("INTEROP_SUITE", ""))
    if version is None or suite is None:
        result("unsupported", "unknown TLS version or suite")
    username = env.get("INTEROP_USERNAME") or None
    timeout = float(env.get("INTEROP_TIMEOUT", "30"))
    deadline = time.time() + timeout
    try:
        s = socket.create_connection((env.get("INTEROP_HOST", "127.0.0.1"),
                                      int(env["INTEROP_PORT"])), timeout=timeout)
        s.sendall(client_hello(version, suite, username))
        hdr = read_exact(s, 5, deadline)
        if len(hdr) < 5:
            result("handshake-failed:closed", "connection closed without an answer")
        ctype, rver, length = struct.unpack("!BHH", hdr)
        body = read_exact(s, min(length, 16384), deadline)
        s.close()
    except socket.timeout:
        result("timeout", "no answer within %ss" % timeout)
    except ConnectionRefusedError as e:
        result("connect-failed", "cannot connect: %s" % e)
    except OSError as e:
        result("handshake-failed:closed", "socket error: %s" % e)
    if ctype == 21 and len(body) >= 2:
        name = ALERTS.get(body[1], "alert%d" % body[1])
        what = "fatal" if body[0] == 2 else "warning"
        if name == "unknown_psk_identity" and not username:
            result("credentials-required", "%s alert %d (%s) to a ClientHello without SRP extension" % (what, body[1], name))
        result("handshake-failed:" + name, "%s alert %d (%s)" % (what, body[1], name))
    if ctype == 22 and body[:1] == b"\x02":
        sid_len = body[38] if len(body) > 38 else 0
        off = 39 + sid_len
        chosen = struct.unpack("!H", body[off:off + 2])[0] if len(body) >= off + 2 else -1
        result("server-hello", "server answered ServerHello (suite 0x%04X) instead of refusing" % chosen)
    result("handshake-failed:other", "unexpected record type %d" % ctype)


if __name__ == "__main__":
    main()
