/* common.h - shared plumbing for the interop lab's TLS-SRP devices.
 *
 * The devices are small "embedded-style" HTTPS servers: one listening socket
 * on 127.0.0.1, one forked child per connection (so a slow 8192-bit handshake
 * does not block other cells), every I/O bounded by a timeout.  The harness
 * starts each device in its own process group and kills the group on exit.
 *
 * Not a library: each device is a single translation unit including this
 * (C, or C++ for the Botan device); helpers not every device uses are inline.
 */
#ifndef INTEROP_COMMON_H
#define INTEROP_COMMON_H

#ifndef _GNU_SOURCE /* g++ predefines it */
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONN_TIMEOUT_SECS 90   /* hard cap for one connection (8192-bit SRP is slow) */
#define IO_TIMEOUT_MS 30000    /* idle timeout for one read/write */
#define MAX_REQUEST 8192

static const char *g_name = "device";

static void logmsg(const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[%s %ld] %s\n", g_name, (long)getpid(), buf);
    fflush(stderr);
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[%s] fatal: ", g_name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

/* Listen on 127.0.0.1:port (port 0 = kernel picks).  Prints "LISTENING <port>"
 * on stdout so the harness learns the real port without a race. */
static int listen_loopback(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    if (fd < 0)
        die("socket: %s", strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        die("bind 127.0.0.1:%d: %s", port, strerror(errno));
    if (listen(fd, 64) < 0)
        die("listen: %s", strerror(errno));
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        die("getsockname: %s", strerror(errno));
    printf("LISTENING %d\n", ntohs(sa.sin_port));
    fflush(stdout);
    return fd;
}

static inline int connect_loopback(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa;
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Wait until fd is readable (or timeout).  1 = readable, 0 = timeout, -1 error */
static int wait_readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int r;
    do {
        r = poll(&p, 1, ms);
    } while (r < 0 && errno == EINTR);
    return r;
}

/* Lingering close (as web servers do): half-close, then read and discard what
 * the client still sends (its close_notify, a pipelined request) for at most
 * 2 s before close().  Closing with unread input makes the kernel send a RST,
 * which can destroy the response still sitting in the client's receive
 * buffer ("Connection reset by peer" on the client). */
static inline void lingering_close(int fd)
{
    char junk[4096];
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    shutdown(fd, SHUT_WR);
    for (;;) {
        long ms;
        clock_gettime(CLOCK_MONOTONIC, &t);
        ms = 2000 - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
        if (ms <= 0 || wait_readable(fd, (int)ms) <= 0 || read(fd, junk, sizeof junk) <= 0)
            break;
    }
    close(fd);
}

static volatile sig_atomic_t g_stop;
static void on_term(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* Accept loop: forks serve(fd, arg) per connection.  Children are reaped
 * automatically (SA_NOCLDWAIT) and killed by alarm() after CONN_TIMEOUT_SECS. */
static void serve_forever(int lfd, void (*serve)(int fd, void *arg), void *arg)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_flags = SA_NOCLDWAIT;
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    while (!g_stop) {
        int fd;
        pid_t pid;
        if (wait_readable(lfd, 1000) <= 0)
            continue;
        fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        pid = fork();
        if (pid == 0) {
            struct sigaction d;
            memset(&d, 0, sizeof d);
            d.sa_handler = SIG_DFL;
            sigaction(SIGTERM, &d, NULL);
            sigaction(SIGINT, &d, NULL);
            close(lfd);
            alarm(CONN_TIMEOUT_SECS);
            serve(fd, arg);
            _exit(0);
        }
        if (pid < 0)
            logmsg("fork: %s", strerror(errno));
        close(fd);
    }
    logmsg("stopping");
}

/* Minimal JSON string escaping into buf. */
static inline const char *json_str(char *buf, size_t n, const char *s)
{
    size_t o = 0;
    if (!s) {
        snprintf(buf, n, "null");
        return buf;
    }
    buf[o++] = '"';
    for (; *s && o + 8 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c >= 0x7f) {
            o += (size_t)snprintf(buf + o, n - o, "\\u%04x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o++] = '"';
    buf[o] = 0;
    return buf;
}

/* HTML-escape for the admin page. */
static inline const char *html_str(char *buf, size_t n, const char *s)
{
    size_t o = 0;
    if (!s)
        s = "(none)";
    for (; *s && o + 7 < n; s++) {
        const char *r = NULL;
        switch (*s) {
        case '<': r = "&lt;"; break;
        case '>': r = "&gt;"; break;
        case '&': r = "&amp;"; break;
        case '"': r = "&quot;"; break;
        }
        if (r) {
            memcpy(buf + o, r, strlen(r));
            o += strlen(r);
        } else {
            buf[o++] = *s;
        }
    }
    buf[o] = 0;
    return buf;
}

/* Session facts every device reports on /status. */
struct session_facts {
    const char *device;
    const char *library;
    const char *srp_user; /* NULL when not SRP */
    const char *suite;    /* IANA name */
    const char *tls_version; /* "1.0" "1.1" "1.2" */
    int group_bits;       /* 0 when not SRP */
};

/* Parse "GET <path> HTTP/1.x" from a request buffer; returns a static path. */
static inline const char *request_path(const char *req)
{
    static char path[256];
    const char *p, *e;
    if (strncmp(req, "GET ", 4) && strncmp(req, "HEAD ", 5))
        return NULL;
    p = strchr(req, ' ') + 1;
    e = strchr(p, ' ');
    if (!e || (size_t)(e - p) >= sizeof path)
        return NULL;
    memcpy(path, p, (size_t)(e - p));
    path[e - p] = 0;
    return path;
}

/* Build the HTTP response for the admin device into out (size n). */
static inline size_t admin_response(char *out, size_t n, const char *req, const struct session_facts *f)
{
    char body[4096], a[512], b[512], c[512], d[512], e[64];
    const char *path = request_path(req);
    const char *status = "200 OK", *ctype = "text/html; charset=utf-8";
    if (!path) {
        status = "400 Bad Request";
        snprintf(body, sizeof body, "bad request\n");
        ctype = "text/plain";
    } else if (!strcmp(path, "/status") || !strcmp(path, "/status.json")) {
        ctype = "application/json";
        snprintf(body, sizeof body,
                 "{\"device\":%s,\"library\":%s,\"srp_user\":%s,\"suite\":%s,"
                 "\"tls_version\":%s,\"group_bits\":%d}\n",
                 json_str(a, sizeof a, f->device), json_str(b, sizeof b, f->library),
                 json_str(c, sizeof c, f->srp_user), json_str(d, sizeof d, f->suite),
                 json_str(e, sizeof e, f->tls_version),
                 f->group_bits);
    } else if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
        snprintf(body, sizeof body,
                 "<!doctype html><html><head><title>Device admin</title></head><body>\n"
                 "<h1>Device administration</h1>\n"
                 "<p>Signed in as <b>%s</b> (TLS-SRP).</p>\n"
                 "<table><tr><th>TLS</th><td>%s</td></tr><tr><th>Suite</th><td>%s</td></tr>"
                 "<tr><th>SRP group</th><td>%d bits</td></tr><tr><th>Stack</th><td>%s</td></tr></table>\n"
                 "<p><a href=\"/status\">status (JSON)</a></p></body></html>\n",
                 html_str(a, sizeof a, f->srp_user), f->tls_version,
                 html_str(b, sizeof b, f->suite), f->group_bits, html_str(c, sizeof c, f->library));
    } else {
        status = "404 Not Found";
        ctype = "text/plain";
        snprintf(body, sizeof body, "not found\n");
    }
    return (size_t)snprintf(out, n,
                            "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                            "Cache-Control: no-store\r\nConnection: close\r\n\r\n%s",
                            status, ctype, strlen(body), body);
}

#endif
