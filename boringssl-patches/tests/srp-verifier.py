#!/usr/bin/env python3
"""Append an SRP verifier line to a GnuTLS tpasswd file.

srptool 3.7.9 aborts ("buffer overflow detected") for the 6144- and 8192-bit
groups, so the tests compute those verifiers here: x = SHA1(s | SHA1(I ":" P)),
v = g^x mod N (RFC 5054, section 2.4), written in GnuTLS' SRP base64
(lib/auth/srp_sb64.c) as "user:verifier:salt:index".

Usage: srp-verifier.py TPASSWD_CONF INDEX USERNAME PASSWORD_FILE >> tpasswd
       srp-verifier.py --check TPASSWD_CONF TPASSWD PASSWORD_FILE
The password is read from a file, never from argv.
"""
import hashlib
import os
import sys

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./"


def sb64_encode(data):
    mod = len(data) % 3
    out = ""
    if mod:
        n = int.from_bytes(data[:mod], "big")
        digits = ""
        while True:
            digits = ALPHABET[n & 63] + digits
            n >>= 6
            if n == 0:
                break
        out += digits
    for i in range(mod, len(data), 3):
        n = int.from_bytes(data[i:i + 3], "big")
        out += "".join(ALPHABET[(n >> s) & 63] for s in (18, 12, 6, 0))
    return out


def sb64_decode(text):
    n = 0
    for c in text:
        n = (n << 6) | ALPHABET.index(c)
    # Byte length as GnuTLS decodes it: whole 4-digit groups give 3 bytes.
    full, rem = divmod(len(text), 4)
    nbytes = full * 3 + {0: 0, 1: 1, 2: 1, 3: 2}[rem]
    return n.to_bytes(nbytes, "big")


def read_conf(path, index):
    for line in open(path):
        fields = line.strip().split(":")
        if len(fields) == 3 and fields[0] == str(index):
            return (int.from_bytes(sb64_decode(fields[1]), "big"),
                    int.from_bytes(sb64_decode(fields[2]), "big"))
    raise SystemExit("index %s not in %s" % (index, path))


def verifier(n, g, user, password, salt):
    inner = hashlib.sha1(user.encode() + b":" + password).digest()
    x = int.from_bytes(hashlib.sha1(salt + inner).digest(), "big")
    v = pow(g, x, n)
    return v.to_bytes((v.bit_length() + 7) // 8, "big")


def read_password(path):
    with open(path, "rb") as f:
        return f.readline().rstrip(b"\r\n")


def main():
    if sys.argv[1] == "--check":
        conf, tpasswd, pwfile = sys.argv[2:5]
        password = read_password(pwfile)
        ok = True
        for line in open(tpasswd):
            user, v, s, idx = line.strip().split(":")
            n, g = read_conf(conf, idx)
            if sb64_encode(verifier(n, g, user, password, sb64_decode(s))) != v:
                print("mismatch for", user)
                ok = False
        sys.exit(0 if ok else 1)
    conf, index, user, pwfile = sys.argv[1:5]
    n, g = read_conf(conf, index)
    salt = os.urandom(16)
    v = verifier(n, g, user, read_password(pwfile), salt)
    print("%s:%s:%s:%s" % (user, sb64_encode(v), sb64_encode(salt), index))


if __name__ == "__main__":
    main()
