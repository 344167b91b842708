/* boringssl_srp_get - fetch one page from a TLS-SRP device with the patched
 * BoringSSL.
 *
 *   boringssl_srp_get HOST PORT USERNAME [PATH]  < password-file
 *
 * The password is the first line of standard input (never argv). Only the
 * SRP-only suites are enabled: the device proves it knows the password's
 * verifier and no certificate is involved.
 *
 * Prints one line on stderr about the handshake, the HTTP response on stdout.
 * Exit status 0 when the handshake succeeded and the response arrived.
 *
 * Build against the staged patched BoringSSL (see docs/api-boringssl.md);
 * libssl is C++ inside, so link with a C++ driver:
 *   cc -c boringssl_srp_get.c -Ibuild/boringssl/dist/include
 *   c++ -o boringssl_srp_get boringssl_srp_get.o \
 *       build/boringssl/dist/lib/libssl.a build/boringssl/dist/lib/libcrypto.a -lpthread
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/mem.h>
#include <openssl/ssl.h>

static int fail(const char *what)
{
    /* The SRP reason (e.g. SRP_CREDENTIALS_REJECTED) is queued after the error
     * for the alert that was received: report the last queued error. */
    unsigned long e = ERR_peek_last_error();
    char msg[256];
    ERR_error_string_n(e, msg, sizeof msg);
    fprintf(stderr, "boringssl_srp_get: %s: %s\n", what, e ? msg : "(no library error)");
    ERR_clear_error();
    return 1;
}

/* TCP connection with bounded waits (30 s per read or write). */
static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints, *res, *ai;
    struct timeval tv = {30, 0};
    int fd = -1;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

int main(int argc, char **argv)
{
    char password[256], request[512], buf[4096];
    SSL_CTX *ctx;
    SSL *ssl;
    int fd, n, rc = 1;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s HOST PORT USERNAME [PATH] < password-file\n", argv[0]);
        return 2;
    }
    if (!fgets(password, sizeof password, stdin)) {
        fprintf(stderr, "boringssl_srp_get: no password on standard input\n");
        return 2;
    }
    password[strcspn(password, "\r\n")] = '\0';

    ctx = SSL_CTX_new(TLS_method());
    if (!ctx)
        return fail("SSL_CTX_new");
    /* TLS-SRP exists for TLS 1.0-1.2 only (RFC 5054); this example asks for 1.2. */
    if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
        !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) ||
        !SSL_CTX_set_strict_cipher_list(ctx, "SRP-AES-256-CBC-SHA:SRP-AES-128-CBC-SHA"))
        return fail("SSL_CTX setup");
    /* The new API: the library copies both strings; wipe ours at once. */
    if (!SSL_CTX_set_srp_client_credentials(ctx, argv[3], password))
        return fail("SSL_CTX_set_srp_client_credentials");
    OPENSSL_cleanse(password, sizeof password);

    fd = connect_to(argv[1], argv[2]);
    if (fd < 0) {
        fprintf(stderr, "boringssl_srp_get: cannot connect to %s port %s\n", argv[1], argv[2]);
        SSL_CTX_free(ctx);
        return 1;
    }
    ssl = SSL_new(ctx);
    if (!ssl || !SSL_set_fd(ssl, fd)) {
        fail("SSL_new");
        goto out;
    }
    if (SSL_connect(ssl) != 1) {
        fail("handshake");
        goto out;
    }

    /* What was authenticated: the SRP identity and group, and the suite. */
    fprintf(stderr, "srp-authenticated=%s srp-user=%s group-bits=%u suite=%s\n",
            SSL_get0_srp_username(ssl) ? "yes" : "no",
            SSL_get0_srp_username(ssl) ? SSL_get0_srp_username(ssl) : "-",
            SSL_get_srp_group_bits(ssl), SSL_CIPHER_standard_name(SSL_get_current_cipher(ssl)));
    if (!SSL_get0_srp_username(ssl)) {
        fprintf(stderr, "boringssl_srp_get: handshake completed without SRP authentication\n");
        goto out;
    }

    n = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
                 argc == 5 ? argv[4] : "/", argv[1]);
    if (n < 0 || (size_t)n >= sizeof request || SSL_write(ssl, request, n) != n) {
        fail("write");
        goto out;
    }
    rc = 0;
    while ((n = SSL_read(ssl, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    if (n < 0 && SSL_get_error(ssl, n) != SSL_ERROR_ZERO_RETURN &&
        SSL_get_error(ssl, n) != SSL_ERROR_SYSCALL)
        rc = fail("read");
out:
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    return rc;
}
