/* srp-device-openssl - the embedded-style HTTPS admin device on OpenSSL 3.0's
 * libssl SRP server API (SRP_VBASE + SSL_CTX_set_srp_username_callback).
 *
 *   srp-device-openssl --vfile F [--cert C --key K]... [--port N]
 *                      [--fake-users SEED] [--no-srp] [--name NAME]
 *
 * The verifier file is made with `openssl srp -srpvfile F -add -gn BITS`
 * (one user per group).  "/" is an admin page, "/status" JSON with the SRP
 * user, IANA suite name, group bits and TLS version.
 *
 * --fake-users SEED: RFC 5054 2.5.1.3.  Unknown users get a salt derived from
 * SEED and a random verifier (SRP_VBASE_new(seed) makes SRP_VBASE_get1_by_user
 * invent them), so the handshake only fails at Finished (bad_record_mac),
 * exactly like a wrong password: no user enumeration.  Without it an unknown
 * user is refused with unknown_psk_identity (115).
 *
 * Why the deprecated API: OpenSSL 3.0 deprecates the whole SRP module (there
 * is no provider-based replacement), but it is the only SRP server API libssl
 * has, and it is what deployed devices use.  We build with
 * OPENSSL_API_COMPAT=0x10100000L so the declarations stay visible without
 * deprecation warnings, instead of silencing every warning.
 *
 * Unlike `openssl s_server -srpvfile` (openssl/openssl issue 32566: the
 * callback argument points at a stack variable that is gone when the callback
 * runs), the callback argument here is a static SRP_VBASE that lives as long
 * as the process.
 */
#define OPENSSL_API_COMPAT 0x10100000L
#include "common.h"
#include <getopt.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/srp.h>
#include <openssl/ssl.h>

static struct {
    int port, no_srp;
    const char *vfile;
    const char *seed;
    SRP_VBASE *vb;
    SSL_CTX *ctx;
} C;

/* Per-connection (we are in a forked child): the group bits we chose. */
static int g_bits;

/* Called by libssl when a ClientHello with an SRP extension selected an SRP
 * suite.  *ad is preset to unknown_psk_identity by libssl. */
static int srp_username_cb(SSL *s, int *ad, void *arg)
{
    SRP_VBASE *vb = arg;
    const char *login = SSL_get_srp_username(s);
    SRP_user_pwd *u;
    if (!login) {
        *ad = SSL_AD_UNKNOWN_PSK_IDENTITY;
        return SSL3_AL_FATAL;
    }
    u = SRP_VBASE_get1_by_user(vb, (char *)login); /* fake entry if a seed is set */
    if (!u) {
        logmsg("unknown SRP user '%s' -> unknown_psk_identity", login);
        *ad = SSL_AD_UNKNOWN_PSK_IDENTITY;
        return SSL3_AL_FATAL;
    }
    if (SSL_set_srp_server_param(s, u->N, u->g, u->s, u->v, u->info) < 0) {
        SRP_user_pwd_free(u);
        *ad = SSL_AD_INTERNAL_ERROR;
        return SSL3_AL_FATAL;
    }
    g_bits = BN_num_bits(u->N);
    SRP_user_pwd_free(u);
    return SSL_ERROR_NONE;
}

static const char *tls_version(const SSL *s)
{
    switch (SSL_version(s)) {
    case TLS1_VERSION: return "1.0";
    case TLS1_1_VERSION: return "1.1";
    case TLS1_2_VERSION: return "1.2";
    case TLS1_3_VERSION: return "1.3";
    default: return "?";
    }
}

static void log_ssl_errors(const char *what)
{
    unsigned long e;
    char buf[256];
    while ((e = ERR_get_error())) {
        ERR_error_string_n(e, buf, sizeof buf);
        logmsg("%s: %s", what, buf);
    }
}

/* Drive one SSL_* call on a blocking socket with a poll timeout. */
static int ssl_io(SSL *s, int fd, int (*op)(SSL *), int *out)
{
    for (;;) {
        int r = op(s), e;
        if (r > 0) {
            *out = r;
            return 1;
        }
        e = SSL_get_error(s, r);
        if (e == SSL_ERROR_WANT_READ && wait_readable(fd, IO_TIMEOUT_MS) > 0)
            continue;
        if (e == SSL_ERROR_WANT_WRITE)
            continue;
        return 0;
    }
}

static int do_accept(SSL *s) { return SSL_accept(s); }

static void serve(int fd, void *arg)
{
    SSL *s = SSL_new(C.ctx);
    char req[MAX_REQUEST + 1], resp[8192], library[64];
    size_t got = 0;
    int r;
    struct session_facts f;
    const SSL_CIPHER *c;
    (void)arg;

    if (!s)
        return;
    SSL_set_fd(s, fd);
    if (!ssl_io(s, fd, do_accept, &r)) {
        logmsg("handshake failed (user %s)",
               SSL_get_srp_username(s) ? SSL_get_srp_username(s) : "-");
        log_ssl_errors("handshake");
        SSL_free(s);
        close(fd);
        return;
    }
    c = SSL_get_current_cipher(s);
    f.device = g_name;
    snprintf(library, sizeof library, "%s", OpenSSL_version(OPENSSL_VERSION));
    f.library = library;
    f.srp_user = C.no_srp ? NULL : SSL_get_srp_username(s);
    f.suite = SSL_CIPHER_standard_name(c);
    f.tls_version = tls_version(s);
    f.group_bits = f.srp_user ? g_bits : 0;
    logmsg("handshake ok: user=%s suite=%s tls=%s bits=%d", f.srp_user ? f.srp_user : "-",
           f.suite, f.tls_version, f.group_bits);
    while (got < MAX_REQUEST) {
        int n = SSL_read(s, req + got, (int)(MAX_REQUEST - got));
        if (n <= 0) {
            if (SSL_get_error(s, n) == SSL_ERROR_WANT_READ && wait_readable(fd, IO_TIMEOUT_MS) > 0)
                continue;
            break;
        }
        got += (size_t)n;
        req[got] = 0;
        if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
            break;
    }
    req[got] = 0;
    {
        size_t len = admin_response(resp, sizeof resp, req, &f), off = 0;
        while (off < len) {
            int n = SSL_write(s, resp + off, (int)(len - off));
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    }
    SSL_shutdown(s);
    SSL_free(s);
    lingering_close(fd);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", 1, 0, 'p'}, {"vfile", 1, 0, 'v'},  {"cert", 1, 0, 'C'},
        {"key", 1, 0, 'K'},  {"no-srp", 0, 0, 'n'}, {"name", 1, 0, 'N'},
        {"fake-users", 1, 0, 'f'}, {0, 0, 0, 0}};
    const char *certs[8], *keys[8];
    int ncert = 0, nkey = 0, o, i, lfd;

    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'p': C.port = atoi(optarg); break;
        case 'v': C.vfile = optarg; break;
        case 'C': if (ncert < 8) certs[ncert++] = optarg; break;
        case 'K': if (nkey < 8) keys[nkey++] = optarg; break;
        case 'n': C.no_srp = 1; break;
        case 'N': g_name = optarg; break;
        case 'f': C.seed = optarg; break;
        default:
            fprintf(stderr, "usage: %s --vfile F [--cert C --key K]... [--port N] "
                            "[--fake-users SEED] [--no-srp] [--name N]\n", argv[0]);
            return 2;
        }
    }
    if (ncert != nkey)
        die("--cert and --key must come in pairs");
    if (!C.no_srp && !C.vfile)
        die("--vfile is required unless --no-srp");
    if (C.no_srp && !ncert)
        die("--no-srp needs a certificate");

    C.ctx = SSL_CTX_new(TLS_server_method());
    if (!C.ctx)
        die("SSL_CTX_new");
    /* SRP exists up to TLS 1.2 only; TLS 1.0/1.1 and SHA-1 need security level 0. */
    SSL_CTX_set_min_proto_version(C.ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(C.ctx, TLS1_2_VERSION);
    if (!SSL_CTX_set_cipher_list(C.ctx, C.no_srp ? "DEFAULT:!SRP:@SECLEVEL=0" : "SRP:@SECLEVEL=0"))
        die("cipher list");
    for (i = 0; i < ncert; i++) {
        if (SSL_CTX_use_certificate_chain_file(C.ctx, certs[i]) != 1 ||
            SSL_CTX_use_PrivateKey_file(C.ctx, keys[i], SSL_FILETYPE_PEM) != 1) {
            log_ssl_errors("certificate");
            die("cannot load certificate %s / key %s", certs[i], keys[i]);
        }
    }
    if (!C.no_srp) {
        C.vb = SRP_VBASE_new(C.seed ? (char *)C.seed : NULL);
        if (!C.vb || SRP_VBASE_init(C.vb, (char *)C.vfile) != SRP_NO_ERROR)
            die("cannot load SRP verifier file %s", C.vfile);
        SSL_CTX_set_srp_username_callback(C.ctx, srp_username_cb);
        SSL_CTX_set_srp_cb_arg(C.ctx, C.vb);
    }
    lfd = listen_loopback(C.port);
    logmsg("ready (%s%s)", C.no_srp ? "no SRP" : "SRP", C.seed ? ", fake users" : "");
    serve_forever(lfd, serve, NULL);
    return 0;
}
