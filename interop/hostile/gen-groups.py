#!/usr/bin/env python3
"""Regenerate interop/hostile/groups.tsv (committed; run by hand, not by tests).

Sources, never typed by hand:
  * RFC 5054 Appendix A groups: GnuTLS's own copy of them, from the Debian
    trixie source package gnutls28 3.8.9 (orig tarball sha256
    69e113d802d1670c4d5ac1b99040b1f2d5c7c05daec5003813c049b5184820ed):
      lib/auth/srp_kx.c                     srp_params_<bits>[] and generators
      doc/credentials/dhparams/rfc5054-<bits>.pem   the same groups as PKCS#3 PEM
    Both copies are parsed and must agree (the 6144-bit group exists only as PEM).
    The 3.8.9 tarball no longer ships doc/protocol/rfc5054.txt.
  * Groups that must NOT be accepted (generated once with `openssl prime`):
      unknown-safe-2048  a fresh 2048-bit safe prime, g = 2: a perfectly good
                         group that is simply not in Appendix A
      safe-512           a 512-bit safe prime, g = 2
      composite-2048     p*q of two 1024-bit primes, g = 2
Every number is checked (Miller-Rabin, 40 rounds): Appendix A and the
unknown/512 groups must be safe primes, the composite must not be prime.

Usage:
  cd /tmp && APT_CONFIG=/tmp/apttest/apt.conf apt-get source --download-only gnutls28
  tar -xJf gnutls28_3.8.9.orig.tar.xz gnutls-3.8.9/lib/auth/srp_kx.c \
      --wildcards 'gnutls-3.8.9/doc/credentials/dhparams/rfc5054-*'
  interop/hostile/gen-groups.py --gnutls-src /tmp/gnutls-3.8.9 > interop/hostile/groups.tsv
Options --safe2048 FILE / --safe512 FILE reuse a decimal prime from
`openssl prime -generate -safe -bits N` (the 2048-bit one takes minutes).
"""
import argparse
import base64
import glob
import os
import random
import re
import subprocess
import sys


def is_probable_prime(n, rounds=40):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    rng = random.SystemRandom()
    for _ in range(rounds):
        a = rng.randrange(2, n - 1)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def der_read(buf, off):
    tag = buf[off]
    ln = buf[off + 1]
    off += 2
    if ln & 0x80:
        k = ln & 0x7F
        ln = int.from_bytes(buf[off:off + k], "big")
        off += k
    return tag, buf[off:off + ln], off + ln


def parse_dh_pem(path):
    text = open(path).read()
    b64 = re.search(r"-----BEGIN DH PARAMETERS-----(.*?)-----END DH PARAMETERS-----",
                    text, re.S).group(1)
    der = base64.b64decode("".join(b64.split()))
    tag, seq, _ = der_read(der, 0)
    assert tag == 0x30
    tag, p, off = der_read(seq, 0)
    assert tag == 0x02
    tag, g, _ = der_read(seq, off)
    assert tag == 0x02
    return int.from_bytes(p, "big"), int.from_bytes(g, "big")


def parse_srp_kx(path):
    src = open(path).read()
    gens = {m.group(1): int(m.group(2), 0) for m in re.finditer(
        r"static const unsigned char (srp\w*generator)\s*=\s*(\w+);", src)}
    groups = {}
    for m in re.finditer(r"static const unsigned char srp_params_(\d+)\[\]\s*=\s*\{(.*?)\};", src, re.S):
        bits = int(m.group(1))
        data = bytes(int(x, 16) for x in re.findall(r"0x([0-9A-Fa-f]{2})", m.group(2)))
        gm = re.search(r"gnutls_srp_%d_group_generator\s*=\s*\{\s*\(void \*\)&(\w+)" % bits, src)
        groups[bits] = (int.from_bytes(data, "big"), gens[gm.group(1)])
    return groups


def openssl_prime(bits, safe):
    cmd = ["openssl", "prime", "-generate", "-bits", str(bits)] + (["-safe"] if safe else [])
    return int(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gnutls-src", required=True)
    ap.add_argument("--safe2048")
    ap.add_argument("--safe512")
    a = ap.parse_args()
    kx = parse_srp_kx(os.path.join(a.gnutls_src, "lib/auth/srp_kx.c"))
    pem = {}
    for p in glob.glob(os.path.join(a.gnutls_src, "doc/credentials/dhparams/rfc5054-*.pem")):
        pem[int(re.search(r"rfc5054-(\d+)\.pem", p).group(1))] = parse_dh_pem(p)
    rows = []
    for bits in sorted(set(kx) | set(pem)):
        if bits in kx and bits in pem and kx[bits] != pem[bits]:
            sys.exit("srp_kx.c and rfc5054-%d.pem disagree" % bits)
        n, g = kx.get(bits) or pem[bits]
        src = "+".join(x for x, d in (("srp_kx.c", kx), ("rfc5054-%d.pem" % bits, pem)) if bits in d)
        rows.append(("rfc5054-%d" % bits, n, g, True, "RFC 5054 App. A via gnutls28 3.8.9 " + src))

    def load(path, bits):
        return int(open(path).read().strip()) if path else openssl_prime(bits, True)
    rows.append(("unknown-safe-2048", load(a.safe2048, 2048), 2, True,
                 "openssl prime -generate -safe -bits 2048 (not in App. A)"))
    rows.append(("safe-512", load(a.safe512, 512), 2, True,
                 "openssl prime -generate -safe -bits 512"))
    p, q = openssl_prime(1024, False), openssl_prime(1024, False)
    rows.append(("composite-2048", p * q, 2, False, "product of two 1024-bit primes (openssl prime)"))

    print("# Generated by interop/hostile/gen-groups.py; do not edit by hand.")
    print("# name\tbits\tg\tN_hex\tsource")
    for name, n, g, want_safe, src in rows:
        ok = is_probable_prime(n) and is_probable_prime((n - 1) // 2)
        if want_safe != ok:
            sys.exit("%s: safe-prime check gave %s" % (name, ok))
        print("%s\t%d\t%d\t%x\t%s" % (name, n.bit_length(), g, n, src))


if __name__ == "__main__":
    main()
