/* srp-device-gnutls - embedded-style HTTPS admin device on GnuTLS's SRP server
 * API, and (--backend PORT) "srp2http": a TLS-SRP terminating front that
 * forwards the decrypted bytes unchanged to a plain-HTTP server on 127.0.0.1
 * (Debian's lighttpd in the lab).
 *
 *   srp-device-gnutls --tpasswd F --tpasswd-conf F [--cert C --key K]...
 *                     [--port N] [--backend PORT] [--no-srp] [--name NAME]
 *                     [--priority STR]
 *
 * Verifiers come from srptool (tpasswd / tpasswd.conf, one conf index per
 * RFC 5054 group).  Admin mode answers "/" (HTML) and "/status" (JSON: SRP
 * user, IANA suite name, group bits, TLS version).  --no-srp serves the same
 * device with certificate suites only (the "device without SRP" scenario).
 * Prints "LISTENING <port>" on stdout once ready; logs to stderr.
 */
#include "common.h"
#include <getopt.h>
#include <gnutls/gnutls.h>

#define SRP_PRIORITY                                                              \
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:"                  \
    "-KX-ALL:+SRP:+SRP-RSA:+SRP-DSS:+AES-128-CBC:+AES-256-CBC:+3DES-CBC:+SHA1:" \
    "+SIGN-ALL:+SIGN-DSA-SHA256:+SIGN-DSA-SHA224:+SIGN-DSA-SHA1:%VERIFY_ALLOW_SIGN_WITH_SHA1"
/* GnuTLS 3.7's SIGN-ALL leaves DSA out: without the explicit SIGN-DSA-* the
 * SRP-DSS suites fail at TLS 1.2 (handshake_failure), while TLS 1.0/1.1
 * (no signature_algorithms) work. */
#define NOSRP_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0"

static struct {
    int port, backend, no_srp;
    const char *tpasswd, *conf, *priority;
    gnutls_certificate_credentials_t x509;
    gnutls_srp_server_credentials_t srp;
    gnutls_priority_t prio;
    int have_cert;
} C;

static const char *iana_suite(gnutls_session_t s, char *buf, size_t n)
{
    gnutls_kx_algorithm_t kx = gnutls_kx_get(s);
    gnutls_cipher_algorithm_t c = gnutls_cipher_get(s);
    const char *k = NULL, *e = NULL;
    switch (kx) {
    case GNUTLS_KX_SRP: k = "SRP_SHA"; break;
    case GNUTLS_KX_SRP_RSA: k = "SRP_SHA_RSA"; break;
    case GNUTLS_KX_SRP_DSS: k = "SRP_SHA_DSS"; break;
    default: break;
    }
    switch (c) {
    case GNUTLS_CIPHER_3DES_CBC: e = "3DES_EDE_CBC"; break;
    case GNUTLS_CIPHER_AES_128_CBC: e = "AES_128_CBC"; break;
    case GNUTLS_CIPHER_AES_256_CBC: e = "AES_256_CBC"; break;
    default: break;
    }
    if (k && e && gnutls_mac_get(s) == GNUTLS_MAC_SHA1)
        snprintf(buf, n, "TLS_%s_WITH_%s_SHA", k, e);
    else /* not an SRP suite: GnuTLS's own name is good enough */
        snprintf(buf, n, "%s", gnutls_cipher_suite_get_name(kx, c, gnutls_mac_get(s)));
    return buf;
}

static const char *tls_version(gnutls_session_t s)
{
    switch (gnutls_protocol_get_version(s)) {
    case GNUTLS_TLS1_0: return "1.0";
    case GNUTLS_TLS1_1: return "1.1";
    case GNUTLS_TLS1_2: return "1.2";
    case GNUTLS_TLS1_3: return "1.3";
    default: return "?";
    }
}

/* Find a field (0-based) of the colon-separated line whose field 0 == key. */
static int lookup_field(const char *file, const char *key, int field, char *out, size_t n)
{
    FILE *f = fopen(file, "r");
    char *line = NULL;
    size_t cap = 0;
    int found = 0;
    if (!f)
        return 0;
    while (!found && getline(&line, &cap, f) > 0) {
        char *save = NULL, *tok = strtok_r(line, ":\r\n", &save);
        int i;
        if (!tok || strcmp(tok, key))
            continue;
        for (i = 1; i <= field && (tok = strtok_r(NULL, ":\r\n", &save)); i++)
            ;
        if (tok && i > field) {
            snprintf(out, n, "%s", tok);
            found = 1;
        }
    }
    free(line);
    fclose(f);
    return found;
}

/* Bits of the SRP group the user's verifier was made for (tpasswd index -> conf N). */
static int group_bits_for(const char *user)
{
    char idx[16], nb64[4096];
    gnutls_datum_t in, out;
    int bits = 0;
    if (!user || !C.tpasswd || !lookup_field(C.tpasswd, user, 3, idx, sizeof idx) ||
        !lookup_field(C.conf, idx, 1, nb64, sizeof nb64))
        return 0;
    in.data = (unsigned char *)nb64;
    in.size = (unsigned)strlen(nb64);
    if (gnutls_srp_base64_decode2(&in, &out) < 0)
        return 0;
    if (out.size) {
        unsigned i = 0, top;
        while (i < out.size && !out.data[i])
            i++;
        bits = (int)(out.size - i) * 8;
        for (top = i < out.size ? out.data[i] : 0; top && !(top & 0x80); top <<= 1)
            bits--;
    }
    gnutls_free(out.data);
    return bits;
}

static int tls_write_all(gnutls_session_t s, const char *p, size_t n)
{
    while (n) {
        ssize_t r = gnutls_record_send(s, p, n);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
            continue;
        if (r < 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int fd_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* srp2http: shuttle bytes between the TLS session and the backend. */
static void proxy(gnutls_session_t s, int cfd, const char *user)
{
    int bfd = connect_loopback(C.backend), client_open = 1;
    char buf[16384];
    if (bfd < 0) {
        static const char err[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 16\r\n"
                                  "Connection: close\r\n\r\nbackend is down\n";
        logmsg("backend 127.0.0.1:%d unreachable: %s", C.backend, strerror(errno));
        tls_write_all(s, err, sizeof err - 1);
        return;
    }
    logmsg("forwarding for srp user %s to 127.0.0.1:%d", user ? user : "-", C.backend);
    for (;;) {
        struct pollfd p[2] = {{.fd = cfd, .events = POLLIN}, {.fd = bfd, .events = POLLIN}};
        int r;
        if (client_open && gnutls_record_check_pending(s) > 0)
            p[0].revents = POLLIN, r = 1;
        else {
            p[0].fd = client_open ? cfd : -1;
            r = poll(p, 2, client_open ? IO_TIMEOUT_MS : 5000);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                logmsg("proxy idle timeout");
                break;
            }
        }
        if (client_open && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n;
            char peek;
            /* A client that half-closes TCP without close_notify (bssl client at
             * stdin EOF): notice the EOF ourselves.  Letting gnutls_record_recv
             * see it ends in GNUTLS_E_PREMATURE_TERMINATION, which invalidates
             * the session and would stop us sending the backend's answer. */
            if (gnutls_record_check_pending(s) == 0 &&
                recv(cfd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
                client_open = 0;
                continue;
            }
            n = gnutls_record_recv(s, buf, sizeof buf);
            if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
                continue;
            if (n <= 0) {
                /* The client closed its side (some clients send close_notify right
                 * after the request).  Do not pass the close on: lighttpd drops a
                 * request whose connection is half-closed.  Keep relaying the
                 * backend's answer until it closes or idles for 5 s. */
                client_open = 0;
            } else if (fd_write_all(bfd, buf, (size_t)n) < 0)
                break;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(bfd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break; /* backend finished */
            if (tls_write_all(s, buf, (size_t)n) < 0)
                break;
        }
    }
    close(bfd);
}

static void serve(int fd, void *arg)
{
    gnutls_session_t s;
    char req[MAX_REQUEST + 1], suite[128], resp[8192];
    size_t got = 0;
    int r;
    const char *user = NULL;
    struct session_facts f;
    (void)arg;

    if (gnutls_init(&s, GNUTLS_SERVER) < 0)
        return;
    gnutls_priority_set(s, C.prio);
    if (!C.no_srp)
        gnutls_credentials_set(s, GNUTLS_CRD_SRP, C.srp);
    if (C.have_cert)
        gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, C.x509);
    gnutls_transport_set_int(s, fd);
    gnutls_handshake_set_timeout(s, 80 * 1000);
    gnutls_record_set_timeout(s, IO_TIMEOUT_MS);
    do {
        r = gnutls_handshake(s);
    } while (r < 0 && !gnutls_error_is_fatal(r));
    if (r < 0) {
        /* GnuTLS leaves the alert to the application (as gnutls-serv does). */
        if (r != GNUTLS_E_FATAL_ALERT_RECEIVED && r != GNUTLS_E_PREMATURE_TERMINATION &&
            r != GNUTLS_E_PULL_ERROR && r != GNUTLS_E_PUSH_ERROR)
            gnutls_alert_send_appropriate(s, r);
        logmsg("handshake failed: %s (user %s)", gnutls_strerror(r),
               gnutls_srp_server_get_username(s) ? gnutls_srp_server_get_username(s) : "-");
        gnutls_deinit(s);
        close(fd);
        return;
    }
    if (!C.no_srp)
        user = gnutls_srp_server_get_username(s);
    iana_suite(s, suite, sizeof suite);
    logmsg("handshake ok: user=%s suite=%s tls=%s", user ? user : "-", suite, tls_version(s));

    if (C.backend) {
        proxy(s, fd, user);
    } else {
        while (got < MAX_REQUEST) {
            ssize_t n = gnutls_record_recv(s, req + got, MAX_REQUEST - got);
            if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
            req[got] = 0;
            if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
                break;
        }
        req[got] = 0;
        f.device = g_name;
        f.library = "GnuTLS " GNUTLS_VERSION;
        f.srp_user = user;
        f.suite = suite;
        f.tls_version = tls_version(s);
        f.group_bits = user ? group_bits_for(user) : 0;
        tls_write_all(s, resp, admin_response(resp, sizeof resp, req, &f));
    }
    gnutls_bye(s, GNUTLS_SHUT_WR);
    gnutls_deinit(s);
    lingering_close(fd);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", 1, 0, 'p'}, {"tpasswd", 1, 0, 't'}, {"tpasswd-conf", 1, 0, 'c'},
        {"cert", 1, 0, 'C'}, {"key", 1, 0, 'K'},     {"backend", 1, 0, 'b'},
        {"no-srp", 0, 0, 'n'}, {"name", 1, 0, 'N'},  {"priority", 1, 0, 'P'},
        {0, 0, 0, 0}};
    const char *certs[8], *keys[8];
    int ncert = 0, nkey = 0, o, i, lfd;
    const char *errpos = NULL;

    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'p': C.port = atoi(optarg); break;
        case 't': C.tpasswd = optarg; break;
        case 'c': C.conf = optarg; break;
        case 'C': if (ncert < 8) certs[ncert++] = optarg; break;
        case 'K': if (nkey < 8) keys[nkey++] = optarg; break;
        case 'b': C.backend = atoi(optarg); break;
        case 'n': C.no_srp = 1; break;
        case 'N': g_name = optarg; break;
        case 'P': C.priority = optarg; break;
        default:
            fprintf(stderr, "usage: %s --tpasswd F --tpasswd-conf F [--cert C --key K]... "
                            "[--port N] [--backend PORT] [--no-srp] [--name N] [--priority S]\n",
                    argv[0]);
            return 2;
        }
    }
    if (ncert != nkey)
        die("--cert and --key must come in pairs");
    if (!C.no_srp && (!C.tpasswd || !C.conf))
        die("--tpasswd and --tpasswd-conf are required unless --no-srp");
    if (C.no_srp && !ncert)
        die("--no-srp needs a certificate");
    if (gnutls_global_init() < 0)
        die("gnutls_global_init");
    if (!C.no_srp) {
        if (gnutls_srp_allocate_server_credentials(&C.srp) < 0 ||
            gnutls_srp_set_server_credentials_file(C.srp, C.tpasswd, C.conf) < 0)
            die("cannot load SRP verifiers %s / %s", C.tpasswd, C.conf);
    }
    if (ncert) {
        gnutls_certificate_allocate_credentials(&C.x509);
        for (i = 0; i < ncert; i++)
            if ((o = gnutls_certificate_set_x509_key_file(C.x509, certs[i], keys[i],
                                                          GNUTLS_X509_FMT_PEM)) < 0)
                die("certificate %s: %s", certs[i], gnutls_strerror(o));
        C.have_cert = 1;
    }
    if (!C.priority)
        C.priority = C.no_srp ? NOSRP_PRIORITY : SRP_PRIORITY;
    if (gnutls_priority_init(&C.prio, C.priority, &errpos) < 0)
        die("bad priority string at: %s", errpos ? errpos : "?");
    lfd = listen_loopback(C.port);
    logmsg("ready (%s%s)", C.no_srp ? "no SRP" : "SRP", C.backend ? ", srp2http front" : ", admin");
    serve_forever(lfd, serve, NULL);
    return 0;
}
