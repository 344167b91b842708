/* LD_PRELOAD shim: no GnuTLS handshake timeout. gnutls-serv and gnutls-cli give
 * every handshake 40 s; a client under valgrind on a loaded machine needs minutes
 * for an 8192-bit handshake (gnutls-cli: over 2G instructions). bench/run builds
 * it into the lab's bind-loopback.so (the server) and on its own (gnutls-cli
 * under callgrind). Only the patience changes, not what is computed. */
#define _GNU_SOURCE
#include <dlfcn.h>

/* gnutls_handshake_set_timeout with 0 (no timeout) whatever the program asks for. */
void gnutls_handshake_set_timeout(void *session, unsigned int ms)
{
    void (*real)(void *, unsigned int) =
        (void (*)(void *, unsigned int))dlsym(RTLD_NEXT, "gnutls_handshake_set_timeout");
    (void)ms;
    if (real)
        real(session, 0);
}
