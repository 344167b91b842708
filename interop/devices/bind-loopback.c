/* bind-loopback.so - LD_PRELOAD shim for peers that have no "listen address"
 * option (gnutls-serv binds 0.0.0.0 and ::): every AF_INET/AF_INET6 bind() is
 * rewritten to 127.0.0.1 / ::1, keeping the port.  Lab use only. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    static int (*real)(int, const struct sockaddr *, socklen_t);
    struct sockaddr_storage ss;
    if (!real)
        real = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
    if (sa && len <= sizeof ss && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6)) {
        memcpy(&ss, sa, len);
        if (sa->sa_family == AF_INET)
            ((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        else
            ((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
        return real(fd, (struct sockaddr *)&ss, len);
    }
    return real(fd, sa, len);
}
