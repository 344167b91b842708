/* srp-mkconf - GnuTLS SRP password files for the lab.
 *
 *   srp-mkconf conf OUT.conf
 *     write a tpasswd.conf holding all seven RFC 5054 appendix A groups,
 *     index 1..7 = 1024, 1536, 2048, 3072, 4096, 6144, 8192.
 *   srp-mkconf verifier CONF INDEX USER TPASSWD   (password on stdin, one line)
 *     append USER's verifier for group INDEX to TPASSWD, in srptool's format.
 *     Only used where srptool itself fails: srptool 3.7.9 aborts with
 *     "buffer overflow detected" for the 6144- and 8192-bit groups.
 *
 * `srptool --create-conf` of GnuTLS 3.7 only writes five of them (no 1024,
 * no 6144).  The group values are taken from OpenSSL's copy of RFC 5054
 * (SRP_get_default_gN) and encoded with GnuTLS's own SRP base64, so srptool
 * and gnutls-serv read the file as if srptool had written it.
 *
 * Uses OpenSSL's deprecated SRP API (see srp-device-openssl.c for why).
 */
#define OPENSSL_API_COMPAT 0x10100000L
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <openssl/bn.h>
#include <openssl/srp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(FILE *f, const BIGNUM *bn)
{
    unsigned char buf[1100];
    gnutls_datum_t in, out;
    int n = BN_bn2bin(bn, buf);
    in.data = buf;
    in.size = (unsigned)n;
    if (gnutls_srp_base64_encode2(&in, &out) < 0) {
        fprintf(stderr, "srp-mkconf: base64 failed\n");
        exit(1);
    }
    fprintf(f, "%.*s", (int)out.size, out.data);
    gnutls_free(out.data);
}

static int verifier(const char *conf, const char *index, const char *user, const char *out)
{
    char line[8192], pass[512], *n64 = NULL, *g64 = NULL, *save;
    unsigned char salt[16];
    gnutls_datum_t sd = {salt, sizeof salt}, nd, gd, tmp, v, se, ve;
    FILE *f = fopen(conf, "r");
    size_t l;
    if (!f) {
        perror(conf);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        char *idx = strtok_r(line, ":\r\n", &save);
        if (idx && !strcmp(idx, index)) {
            n64 = strtok_r(NULL, ":\r\n", &save);
            g64 = strtok_r(NULL, ":\r\n", &save);
            break;
        }
    }
    fclose(f);
    if (!n64 || !g64) {
        fprintf(stderr, "srp-mkconf: no index %s in %s\n", index, conf);
        return 1;
    }
    if (!fgets(pass, sizeof pass, stdin)) {
        fprintf(stderr, "srp-mkconf: no password on stdin\n");
        return 1;
    }
    l = strlen(pass);
    while (l && (pass[l - 1] == '\n' || pass[l - 1] == '\r'))
        pass[--l] = 0;
    tmp.data = (unsigned char *)n64;
    tmp.size = (unsigned)strlen(n64);
    if (gnutls_srp_base64_decode2(&tmp, &nd) < 0)
        return 1;
    tmp.data = (unsigned char *)g64;
    tmp.size = (unsigned)strlen(g64);
    if (gnutls_srp_base64_decode2(&tmp, &gd) < 0)
        return 1;
    if (gnutls_rnd(GNUTLS_RND_NONCE, salt, sizeof salt) < 0 ||
        gnutls_srp_verifier(user, pass, &sd, &gd, &nd, &v) < 0 ||
        gnutls_srp_base64_encode2(&v, &ve) < 0 || gnutls_srp_base64_encode2(&sd, &se) < 0) {
        fprintf(stderr, "srp-mkconf: verifier computation failed\n");
        return 1;
    }
    memset(pass, 0, sizeof pass);
    f = fopen(out, "a");
    if (!f) {
        perror(out);
        return 1;
    }
    fprintf(f, "%s:%.*s:%.*s:%s\n", user, (int)ve.size, ve.data, (int)se.size, se.data, index);
    return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
    static const char *ids[] = {"1024", "1536", "2048", "3072", "4096", "6144", "8192"};
    FILE *f;
    int i;
    if (argc == 6 && !strcmp(argv[1], "verifier"))
        return verifier(argv[2], argv[3], argv[4], argv[5]);
    if (argc != 3 || strcmp(argv[1], "conf")) {
        fprintf(stderr, "usage: srp-mkconf conf OUT.conf\n"
                        "       srp-mkconf verifier CONF INDEX USER TPASSWD < password\n");
        return 2;
    }
    f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    for (i = 0; i < 7; i++) {
        SRP_gN *gn = SRP_get_default_gN(ids[i]);
        if (!gn) {
            fprintf(stderr, "srp-mkconf: OpenSSL has no group %s\n", ids[i]);
            return 1;
        }
        fprintf(f, "%d:", i + 1);
        put(f, gn->N);
        fputc(':', f);
        put(f, gn->g);
        fputc('\n', f);
    }
    if (fclose(f)) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
