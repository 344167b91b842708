"""Pieces the nss-patches test helpers share (imported, not run): the RFC 5054
groups of the patched tree's lib/ssl/srp-param.c, the base64 of GnuTLS/libsrp
tpasswd files, and one TLS connection accepted on 127.0.0.1."""
import re
import socket
import struct

B64 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./"


def load_groups(param_c):
    """{bits: N as big-endian bytes} from srp-param.c."""
    groups = {}
    for m in re.finditer(r"srp_N_(\d+)\[\] = \{(.*?)\};", open(param_c).read(), re.S):
        groups[int(m.group(1))] = bytes(int(x, 16) for x in re.findall(r"0x([0-9A-F]{2})", m.group(2)))
    return groups


def tpasswd_enc(n):
    out = ""
    while n:
        out = B64[n % 64] + out
        n //= 64
    return out or "0"


def tpasswd_dec(s):
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def accept_one(portfile, timeout):
    """Listen on a free port of 127.0.0.1, write it to portfile, accept one
    connection (30 s at most); returns (listener, connection with timeout)."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(30)
    with open(portfile, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    conn, _ = srv.accept()
    conn.settimeout(timeout)
    return srv, conn


def read_record(conn, buf):
    """The next TLS record from conn (buf holds bytes already read): (record,
    rest of buf), or (None, buf) when the peer closes first."""
    while len(buf) < 5 or len(buf) < 5 + struct.unpack(">H", buf[3:5])[0]:
        chunk = conn.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    ln = struct.unpack(">H", buf[3:5])[0]
    return buf[:5 + ln], buf[5 + ln:]
