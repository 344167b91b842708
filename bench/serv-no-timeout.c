/* LD_PRELOAD shim for the bench's gnutls-serv: no handshake timeout. gnutls-serv
 * gives every handshake 40 s; a client under valgrind on a loaded machine needs
 * minutes for an 8192-bit handshake (gnutls-cli: ~1.4G instructions). Built by
 * bench/run together with interop/devices/bind-loopback.c into the lab's
 * bind-loopback.so. Only the server's patience changes, not what it computes. */
#define _GNU_SOURCE
#include <dlfcn.h>

/* gnutls_handshake_set_timeout with 0 (no timeout) whatever gnutls-serv asks for. */
void gnutls_handshake_set_timeout(void *session, unsigned int ms)
{
    void (*real)(void *, unsigned int) =
        (void (*)(void *, unsigned int))dlsym(RTLD_NEXT, "gnutls_handshake_set_timeout");
    (void)ms;
    if (real)
        real(session, 0);
}
