#!/usr/bin/env python3
"""ClientHello capture and normalisation for the default-off comparison.

  clienthello.py capture PORTFILE OUT   listen on 127.0.0.1 (free port written
                                        to PORTFILE), save the first ClientHello
                                        handshake message to OUT, close
  clienthello.py normalise IN           print the ClientHello with the
                                        per-connection random values masked:
                                        random, legacy_session_id, key_share
                                        key_exchange bytes
"""
import struct
import sys

from srplab import accept_one, read_record


def capture(portfile, out):
    srv, conn = accept_one(portfile, 10)
    buf = b""
    hs = b""
    while True:
        rec, buf = read_record(conn, buf)
        if rec is None:
            raise SystemExit("connection closed before a full ClientHello")
        if rec[0] != 22:
            raise SystemExit("not a handshake record")
        hs += rec[5:]
        if len(hs) >= 4 and len(hs) >= 4 + int.from_bytes(hs[1:4], "big"):
            break
    conn.close()
    srv.close()
    with open(out, "wb") as f:
        f.write(hs[:4 + int.from_bytes(hs[1:4], "big")])


def normalise(path):
    ch = bytearray(open(path, "rb").read())
    assert ch[0] == 1, "not a ClientHello"
    p = 4
    out = ["version %s" % ch[p:p + 2].hex()]
    p += 2
    ch[p:p + 32] = b"\x00" * 32  # random
    p += 32
    sid_len = ch[p]
    out.append("session_id_len %d" % sid_len)
    ch[p + 1:p + 1 + sid_len] = b"\x00" * sid_len
    p += 1 + sid_len
    cs_len = struct.unpack(">H", ch[p:p + 2])[0]
    suites = [ch[p + 2 + i:p + 4 + i].hex() for i in range(0, cs_len, 2)]
    out.append("cipher_suites %s" % " ".join(suites))
    p += 2 + cs_len
    comp_len = ch[p]
    out.append("compression %s" % ch[p + 1:p + 1 + comp_len].hex())
    p += 1 + comp_len
    if p < len(ch):
        ext_total = struct.unpack(">H", ch[p:p + 2])[0]
        p += 2
        end = p + ext_total
        while p < end:
            etype, elen = struct.unpack(">HH", ch[p:p + 4])
            body = ch[p + 4:p + 4 + elen]
            if etype == 51:  # key_share: mask key_exchange values
                q = 2
                while q < len(body):
                    glen = struct.unpack(">H", body[q + 2:q + 4])[0]
                    body[q + 4:q + 4 + glen] = b"\x00" * glen
                    q += 4 + glen
            out.append("extension %d %s" % (etype, bytes(body).hex()))
            p += 4 + elen
    print("\n".join(out))


if __name__ == "__main__":
    if sys.argv[1] == "capture":
        capture(sys.argv[2], sys.argv[3])
    else:
        normalise(sys.argv[2])
