#!/usr/bin/env python3
"""Write a GnuTLS/libsrp tpasswd.conf with the RFC 5054 Appendix A groups.

srptool --create-conf only writes some of them (no 1024-bit group in
GnuTLS 3.7); the tests want every group GnuTLS can serve.  Index i is the
i-th group: 1=1024 2=1536 3=2048 4=3072 5=4096 7=8192 (GnuTLS has no
6144-bit SRP group, so index 6 is left out).  The group values come from
lib/ssl/srp-param.c of the patched NSS tree (RFC 5054 Appendix A).
"""
import re
import sys

B64 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./"


def enc(n):
    out = ""
    while n:
        out = B64[n % 64] + out
        n //= 64
    return out or "0"


def main():
    param_c, out = sys.argv[1], sys.argv[2]
    text = open(param_c).read()
    groups = {}
    for m in re.finditer(r"srp_N_(\d+)\[\] = \{(.*?)\};", text, re.S):
        groups[int(m.group(1))] = int("".join(re.findall(r"0x([0-9A-F]{2})", m.group(2))), 16)
    gens = {1024: 2, 1536: 2, 2048: 2, 3072: 5, 4096: 5, 8192: 19}
    idx = {1024: 1, 1536: 2, 2048: 3, 3072: 4, 4096: 5, 8192: 7}
    with open(out, "w") as f:
        for bits in sorted(idx):
            f.write("%d:%s:%s\n" % (idx[bits], enc(groups[bits]), enc(gens[bits])))


if __name__ == "__main__":
    main()
