/* nss_srp_get - fetch one page from a TLS-SRP device with the patched NSS.
 *
 *   nss_srp_get HOST-IP PORT USERNAME [PATH]  < password-file
 *
 * The password is the first line of standard input (never argv). HOST-IP is a
 * numeric address (the lab devices listen on 127.0.0.1). Only the SRP-only
 * suites are enabled: the device proves it knows the password's verifier and
 * no certificate is involved, so a certificate from the server is refused.
 *
 * Prints one line on stderr about the handshake, the HTTP response on stdout.
 * Exit status 0 when the handshake succeeded and the response arrived.
 *
 * Build against the staged patched NSS (see docs/api-nss.md):
 *   cc -o nss_srp_get nss_srp_get.c -Ibuild/nss/dist/include/nss \
 *      -Ibuild/nss/dist/include/nspr -Lbuild/nss/dist/lib \
 *      -lssl3 -lnss3 -lnssutil3 -lplc4 -lplds4 -lnspr4
 */
#define _GNU_SOURCE /* explicit_bzero */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nss.h>
#include <prerror.h>
#include <prio.h>
#include <prnetdb.h>
#include <ssl.h>
#include <sslerr.h>
#include <sslproto.h>

static int fail(const char *what)
{
    PRErrorCode e = PR_GetError();
    const char *name = PR_ErrorToName(e);
    fprintf(stderr, "nss_srp_get: %s: %s (%d)\n", what, name ? name : "unknown error", (int)e);
    return 1;
}

/* SRP-only suites carry no certificate; if the server sends one anyway,
 * refuse it rather than trusting it without verification. */
static SECStatus refuse_certificate(void *arg, PRFileDesc *fd, PRBool checkSig, PRBool isServer)
{
    (void)arg; (void)fd; (void)checkSig; (void)isServer;
    PR_SetError(SSL_ERROR_BAD_CERTIFICATE, 0);
    return SECFailure;
}

int main(int argc, char **argv)
{
    static const PRUint16 srp_suites[] = {TLS_SRP_SHA_WITH_AES_256_CBC_SHA,
                                          TLS_SRP_SHA_WITH_AES_128_CBC_SHA};
    const SSLVersionRange tls12 = {SSL_LIBRARY_VERSION_TLS_1_2, SSL_LIBRARY_VERSION_TLS_1_2};
    const PRIntervalTime timeout = PR_SecondsToInterval(30);
    char password[256], request[512], buf[4096];
    SECItem pw;
    PRNetAddr addr;
    PRFileDesc *tcp, *ssl;
    SSLSRPChannelInfo srp;
    SSLChannelInfo chan;
    SSLCipherSuiteInfo suite;
    size_t len;
    unsigned i;
    int n, rc = 1;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s HOST-IP PORT USERNAME [PATH] < password-file\n", argv[0]);
        return 2;
    }
    if (!fgets(password, sizeof password, stdin)) {
        fprintf(stderr, "nss_srp_get: no password on standard input\n");
        return 2;
    }
    len = strcspn(password, "\r\n");
    password[len] = '\0';

    if (NSS_NoDB_Init(NULL) != SECSuccess || NSS_SetDomesticPolicy() != SECSuccess)
        return fail("NSS initialisation");

    if (PR_StringToNetAddr(argv[1], &addr) != PR_SUCCESS)
        return fail("HOST-IP");
    addr.inet.port = PR_htons((PRUint16)atoi(argv[2]));
    tcp = PR_OpenTCPSocket(addr.raw.family);
    if (!tcp || PR_Connect(tcp, &addr, timeout) != PR_SUCCESS)
        return fail("connect");

    ssl = SSL_ImportFD(NULL, tcp);
    if (!ssl)
        return fail("SSL_ImportFD");
    /* TLS-SRP exists for TLS 1.0-1.2 only (RFC 5054); this example asks for 1.2. */
    if (SSL_OptionSet(ssl, SSL_SECURITY, PR_TRUE) != SECSuccess ||
        SSL_OptionSet(ssl, SSL_HANDSHAKE_AS_CLIENT, PR_TRUE) != SECSuccess ||
        SSL_VersionRangeSet(ssl, &tls12) != SECSuccess)
        return fail("socket options");
    /* Offer the SRP suites and nothing else (they are off by default). */
    for (i = 0; i < SSL_NumImplementedCiphers; i++)
        SSL_CipherPrefSet(ssl, SSL_ImplementedCiphers[i], PR_FALSE);
    for (i = 0; i < sizeof srp_suites / sizeof srp_suites[0]; i++)
        if (SSL_CipherPrefSet(ssl, srp_suites[i], PR_TRUE) != SECSuccess)
            return fail("SSL_CipherPrefSet(SRP suite)");
    if (SSL_AuthCertificateHook(ssl, refuse_certificate, NULL) != SECSuccess ||
        SSL_SetURL(ssl, argv[1]) != SECSuccess)
        return fail("socket setup");

    /* The new API: NSS copies both, so the caller's copy is wiped at once. */
    pw.type = siBuffer;
    pw.data = (unsigned char *)password;
    pw.len = (unsigned int)len;
    if (SSL_SetSRPClientCredentials(ssl, argv[3], &pw) != SECSuccess)
        return fail("SSL_SetSRPClientCredentials");
    explicit_bzero(password, sizeof password);

    if (SSL_ResetHandshake(ssl, PR_FALSE) != SECSuccess || SSL_ForceHandshake(ssl) != SECSuccess) {
        fail("handshake");
        goto out;
    }

    /* What was authenticated: the SRP identity and group, and the suite. */
    if (SSL_GetSRPChannelInfo(ssl, &srp, sizeof srp) != SECSuccess ||
        SSL_GetChannelInfo(ssl, &chan, sizeof chan) != SECSuccess ||
        SSL_GetCipherSuiteInfo(chan.cipherSuite, &suite, sizeof suite) != SECSuccess) {
        fail("channel info");
        goto out;
    }
    fprintf(stderr, "srp-authenticated=%s srp-user=%s group-bits=%u suite=%s\n",
            srp.authenticated ? "yes" : "no", srp.username, (unsigned)srp.groupBits,
            suite.cipherSuiteName);
    if (!srp.authenticated) {
        fprintf(stderr, "nss_srp_get: handshake completed without SRP authentication\n");
        goto out;
    }

    n = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
                 argc == 5 ? argv[4] : "/", argv[1]);
    if (n < 0 || (size_t)n >= sizeof request || PR_Send(ssl, request, n, 0, timeout) != n) {
        fail("send");
        goto out;
    }
    rc = 0;
    while ((n = PR_Recv(ssl, buf, sizeof buf, 0, timeout)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    if (n < 0 && PR_GetError() != PR_END_OF_FILE_ERROR &&
        PR_GetError() != PR_CONNECT_RESET_ERROR)
        rc = fail("receive");
out:
    PR_Close(ssl);
    NSS_Shutdown();
    return rc;
}
