#!/usr/bin/env python3
"""The GnuTLS/libsrp SRP files of the gnutls-serv lab (gnutls-lab.sh).

  mk-srp-conf.py PARAM_C CONF    write CONF, a tpasswd.conf with the RFC 5054
                                 Appendix A groups of PARAM_C
  mk-srp-conf.py --add-user CONF INDEX USER PASSWORD TPASSWD
                                 append USER's verifier in group INDEX of CONF
                                 to TPASSWD

srptool --create-conf only writes some of the groups (no 1024-bit group in
GnuTLS 3.7); the tests want every group GnuTLS can serve.  Index i is the
i-th group: 1=1024 2=1536 3=2048 4=3072 5=4096 7=8192 (GnuTLS has no
6144-bit SRP group, so index 6 is left out).  The group values come from
lib/ssl/srp-param.c of the patched NSS tree (RFC 5054 Appendix A).
--add-user is for srptool 3.7, which aborts with "buffer overflow detected"
for the 8192-bit group.
"""
import hashlib
import os
import sys

from srplab import load_groups, tpasswd_dec, tpasswd_enc


def write_conf(param_c, out):
    groups = load_groups(param_c)
    gens = {1024: 2, 1536: 2, 2048: 2, 3072: 5, 4096: 5, 8192: 19}
    idx = {1024: 1, 1536: 2, 2048: 3, 3072: 4, 4096: 5, 8192: 7}
    with open(out, "w") as f:
        for bits in sorted(idx):
            f.write("%d:%s:%s\n" % (idx[bits], tpasswd_enc(int.from_bytes(groups[bits], "big")),
                                     tpasswd_enc(gens[bits])))


def add_user(conf, idx, user, pw, out):
    for line in open(conf):
        i, N, g = line.strip().split(":")
        if i == idx:
            N, g = tpasswd_dec(N), tpasswd_dec(g)
            break
    salt = os.urandom(16)
    x = int.from_bytes(hashlib.sha1(salt + hashlib.sha1((user + ":" + pw).encode()).digest()).digest(), "big")
    with open(out, "a") as f:
        f.write("%s:%s:%s:%s\n" % (user, tpasswd_enc(pow(g, x, N)), tpasswd_enc(int.from_bytes(salt, "big")), idx))


if __name__ == "__main__":
    if sys.argv[1] == "--add-user":
        add_user(*sys.argv[2:7])
    else:
        write_conf(sys.argv[1], sys.argv[2])
