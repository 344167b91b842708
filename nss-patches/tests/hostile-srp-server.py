#!/usr/bin/env python3
"""A hostile TLS-SRP server for one connection: it answers the ClientHello
with a crafted ServerHello / Certificate / ServerKeyExchange /
ServerHelloDone flight (no real cryptography: every scenario is one the
client must reject before its ClientKeyExchange) and records the alert the
client sends back.

  hostile-srp-server.py SCENARIO PORTFILE RESULTFILE GROUPS_C

PORTFILE receives the listening port (127.0.0.1, chosen by the kernel),
RESULTFILE "alert <level> <description>" or "closed" / "data <hex>".
GROUPS_C is lib/ssl/srp-param.c of the patched tree (RFC 5054 groups).
"""
import os
import socket
import struct
import sys

from srplab import accept_one, load_groups, read_record

SRP = 0xC01D       # TLS_SRP_SHA_WITH_AES_128_CBC_SHA
SRP_RSA = 0xC01E   # TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA


def vec(data, n):
    return len(data).to_bytes(n, "big") + data


def handshake(msg_type, body):
    return bytes([msg_type]) + len(body).to_bytes(3, "big") + body


def record(payload, ctype=22, version=0x0303):
    return bytes([ctype]) + struct.pack(">HH", version, len(payload)) + payload


def server_hello(suite, version=0x0303, extensions=b""):
    body = struct.pack(">H", 0x0303) + os.urandom(32) + b"\x00" + struct.pack(">H", suite) + b"\x00"
    if version == 0x0304:
        extensions += struct.pack(">HHH", 43, 2, 0x0304)
    if extensions:
        body += vec(extensions, 2)
    return handshake(2, body)


def ske(N, g, s, B, trailing=b""):
    return handshake(12, vec(N, 2) + vec(g, 2) + vec(s, 1) + vec(B, 2) + trailing)


def flight(scenario, groups):
    n2048 = groups[2048]
    g2 = b"\x02"
    salt = os.urandom(16)
    good_B = os.urandom(len(n2048) - 1)
    hello = server_hello(SRP)
    done = handshake(14, b"")
    if scenario == "group-unknown":
        fake = bytearray(os.urandom(256))
        fake[0] |= 0x80
        fake[-1] |= 1
        return hello + ske(bytes(fake), g2, salt, good_B) + done
    if scenario == "group-too-small":
        return hello + ske(groups[1024], g2, salt, os.urandom(100)) + done
    if scenario == "group-oversized":
        big = b"\xff" * (8192 // 8 + 1)
        return hello + ske(big, g2, salt, good_B) + done
    if scenario == "wrong-generator":
        return hello + ske(n2048, b"\x05", salt, good_B) + done
    if scenario == "B-zero":
        return hello + ske(n2048, g2, salt, b"\x00") + done
    if scenario == "B-equals-N":
        return hello + ske(n2048, g2, salt, n2048) + done
    if scenario == "B-longer-than-N":
        return hello + ske(n2048, g2, salt, b"\x01" + n2048) + done
    if scenario == "salt-empty":
        return hello + ske(n2048, g2, b"", good_B) + done
    if scenario == "N-empty":
        return hello + ske(b"", g2, salt, good_B) + done
    if scenario == "ske-truncated":
        msg = ske(n2048, g2, salt, good_B)
        body = msg[4:-40]
        return hello + handshake(12, body) + done
    if scenario == "ske-trailing":
        return hello + ske(n2048, g2, salt, good_B, trailing=b"\x00\x00") + done
    if scenario == "certificate-srp-only":
        cert = handshake(11, vec(vec(b"\x30\x03\x02\x01\x00", 3), 3))
        return hello + cert + ske(n2048, g2, salt, good_B) + done
    if scenario == "ske-missing":
        return hello + done
    if scenario == "srp-rsa-bad-signature":
        der = open(os.environ["HOSTILE_CERT_DER"], "rb").read()
        cert = handshake(11, vec(vec(der, 3), 3))
        params = vec(n2048, 2) + vec(g2, 2) + vec(salt, 1) + vec(good_B, 2)
        sig = struct.pack(">H", 0x0401) + vec(os.urandom(256), 2)
        return server_hello(SRP_RSA) + cert + handshake(12, params + sig) + done
    if scenario == "suite-not-offered":
        return server_hello(SRP_RSA)
    if scenario == "tls13-srp-suite":
        return server_hello(SRP, version=0x0304)
    raise SystemExit("unknown scenario " + scenario)


def main():
    scenario, portfile, resultfile, groups_c = sys.argv[1:5]
    groups = load_groups(groups_c)
    srv, conn = accept_one(portfile, 15)
    result = "closed"
    try:
        buf = b""
        rec, buf = read_record(conn, buf)  # ClientHello (fits in one record)
        if rec is None:
            raise SystemExit("no ClientHello")
        if scenario in ("alert-unknown-psk-identity",):
            conn.sendall(record(b"\x02\x73", ctype=21))
        else:
            payload = flight(scenario, groups)
            # Split into records of at most 16 KiB.
            for i in range(0, len(payload), 16384):
                conn.sendall(record(payload[i:i + 16384]))
        while True:
            rec, buf = read_record(conn, buf)
            if rec is None:
                break
            if rec[0] == 21:
                result = "alert %d %d" % (rec[5], rec[6])
                break
            result = "data %s" % rec[:8].hex()
    except socket.timeout:
        result = "timeout"
    except ConnectionError:
        result = "reset"
    conn.close()
    srv.close()
    with open(resultfile, "w") as f:
        f.write(result + "\n")


if __name__ == "__main__":
    main()
