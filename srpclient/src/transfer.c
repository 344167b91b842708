/* HTTP through libcurl, TLS from the selected TLS-SRP backend.
 * libcurl speaks plain HTTP over one end of an in-process socketpair
 * (CURLOPT_OPENSOCKETFUNCTION + CURLOPT_SOCKOPTFUNCTION returning
 * CURL_SOCKOPT_ALREADY_CONNECTED); a pump thread copies between the other end
 * and the TLS-SRP connection. libcurl is given http://host:PORT/..., the
 * Host header and everything the user sees stay https://host... */
#include "srpclient.h"
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct srpc_pump {
  pthread_t th;
  int sp;                         /* our end of the socketpair (or accepted) */
  int listen_fd;                  /* 7.88 mode: accept sp from here first */
  struct srpc_tls *t;
  const struct srpc_backend *be;
  volatile sig_atomic_t done;
  struct srpc_pump *next;
};

static int send_all(int fd, const char *buf, size_t len)
{
  while(len) {
    ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      return -1;
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

static int tls_write_all(struct srpc_pump *pm, const char *buf, size_t len)
{
  while(len) {
    ssize_t w = pm->be->write(pm->t, buf, len);
    if(w <= 0)
      return -1;
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

/* libcurl 7.88.x ignores CURL_SOCKOPT_ALREADY_CONNECTED and connect()s the
 * socket we hand it (curl issue #10626, fixed in 8.0.0). With those versions
 * we give libcurl a fresh AF_UNIX socket and CURLOPT_UNIX_SOCKET_PATH naming
 * a private listener (0700 directory); the pump accepts libcurl's connection,
 * checks with SO_PEERCRED that it is our own process, and pumps as usual. */
static int accept_own(int lfd)
{
  struct pollfd p = { lfd, POLLIN, 0 };
  if(poll(&p, 1, 30000) <= 0)
    return -1;
  int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  if(fd < 0)
    return -1;
  struct ucred cr;
  socklen_t l = sizeof(cr);
  if(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) || cr.pid != getpid()) {
    close(fd);
    return -1;
  }
  return fd;
}

static void *pump_main(void *arg)
{
  struct srpc_pump *pm = arg;
  char buf[16384];
  int tfd = pm->be->get_fd(pm->t);
  int tls_eof = 0;

  if(pm->sp < 0 && (pm->sp = accept_own(pm->listen_fd)) < 0) {
    pm->be->close(pm->t);
    pm->t = NULL;
    pm->done = 1;
    return NULL;
  }

  for(;;) {
    int tls_ready = !tls_eof && pm->be->pending(pm->t) > 0;
    if(!tls_ready) {
      struct pollfd p[2] = { { pm->sp, POLLIN, 0 }, { tfd, POLLIN, 0 } };
      int r = poll(p, tls_eof ? 1 : 2, -1);
      if(r < 0) {
        if(errno == EINTR)
          continue;
        break;
      }
      if(p[0].revents) {
        ssize_t n = recv(pm->sp, buf, sizeof(buf), 0);
        if(n < 0 && errno == EINTR)
          continue;
        if(n <= 0)
          break;                    /* libcurl closed its end */
        if(!tls_eof && tls_write_all(pm, buf, (size_t)n))
          break;
        continue;
      }
      if(tls_eof || !p[1].revents)
        continue;
    }
    ssize_t n = pm->be->read(pm->t, buf, sizeof(buf));
    if(n == -2)
      continue;                     /* record without application data */
    if(n <= 0) {
      tls_eof = 1;                  /* device closed (or failed): tell libcurl */
      shutdown(pm->sp, SHUT_WR);
      continue;
    }
    if(send_all(pm->sp, buf, (size_t)n))
      break;
  }
  pm->be->close(pm->t);
  pm->t = NULL;
  close(pm->sp);
  explicit_bzero(buf, sizeof(buf));
  pm->done = 1;
  return NULL;
}

static curl_socket_t opensocket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
  struct srpc_session *s = clientp;
  struct srpc_tls *t = s->parked;
  int sv[2];
  (void)purpose;
  s->parked = NULL;
  if(!t) {
    if(!s->cred.password) {
      srpc_session_fail(s, SRPC_EXIT_TLS, "a new TLS-SRP connection to %s was needed but the "
                        "password was already wiped (use -L to keep it for redirects)", s->origin);
      return CURL_SOCKET_BAD;
    }
    /* With the libcurl 7.88 workaround, a is our private AF_UNIX listener:
     * connect to the device by name then. */
    if(a->family == AF_UNIX ? srpc_login_host(s, 0, &t) : srpc_login(s, &a->addr, a->addrlen, 0, &t))
      return CURL_SOCKET_BAD;
  }
  if(s->listen_fd >= 0) {          /* libcurl 7.88 mode, see accept_own() */
    sv[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sv[1] = -1;
    if(sv[0] < 0) {
      s->be->close(t);
      srpc_session_fail(s, SRPC_EXIT_INTERNAL, "socket: %s", strerror(errno));
      return CURL_SOCKET_BAD;
    }
  }
  else if(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
    s->be->close(t);
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "socketpair: %s", strerror(errno));
    return CURL_SOCKET_BAD;
  }
  struct srpc_pump *pm = calloc(1, sizeof(*pm));
  if(!pm) {
    s->be->close(t);
    close(sv[0]);
    if(sv[1] >= 0) close(sv[1]);
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "out of memory");
    return CURL_SOCKET_BAD;
  }
  pm->sp = sv[1];
  pm->listen_fd = s->listen_fd;
  pm->t = t;
  pm->be = s->be;
  if(pthread_create(&pm->th, NULL, pump_main, pm)) {
    s->be->close(t);
    close(sv[0]);
    if(sv[1] >= 0) close(sv[1]);
    free(pm);
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "cannot start a thread");
    return CURL_SOCKET_BAD;
  }
  /* reap finished pumps (a long-running bridge makes many connections) */
  for(struct srpc_pump **pp = &s->pumps; *pp;) {
    if((*pp)->done) {
      struct srpc_pump *d = *pp;
      *pp = d->next;
      pthread_join(d->th, NULL);
      free(d);
    }
    else
      pp = &(*pp)->next;
  }
  pm->next = s->pumps;
  s->pumps = pm;
  return sv[0];
}

static int sockopt_cb(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
  struct srpc_session *s = clientp;
  (void)fd; (void)purpose;
  return s->listen_fd >= 0 ? CURL_SOCKOPT_OK : CURL_SOCKOPT_ALREADY_CONNECTED;
}

static int curl_ignores_already_connected(void)
{
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  return v->version_num >= 0x075800 && v->version_num < 0x080000;
}

static int setup_listener(struct srpc_session *s)
{
  const char *tmp = getenv("TMPDIR");
  struct sockaddr_un sa;
  snprintf(s->listen_dir, sizeof(s->listen_dir), "%s/srpclient-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if(!mkdtemp(s->listen_dir)) {
    s->listen_dir[0] = 0;
    return -1;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sun_family = AF_UNIX;
  if((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", s->listen_dir) >= sizeof(sa.sun_path))
    return -1;
  snprintf(s->listen_path, sizeof(s->listen_path), "%s", sa.sun_path);
  s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if(s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
     listen(s->listen_fd, 8))
    return -1;
  return 0;
}

static void teardown_listener(struct srpc_session *s)
{
  if(s->listen_fd >= 0)
    close(s->listen_fd);
  s->listen_fd = -1;
  if(s->listen_path[0])
    unlink(s->listen_path);
  if(s->listen_dir[0])
    rmdir(s->listen_dir);
  s->listen_path[0] = s->listen_dir[0] = 0;
}

struct out_ctx {
  struct srpc_session *s;
  CURL *curl;
  FILE *f;
  const char *path;
  int opened;
  int failed;
};

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  struct out_ctx *o = userdata;
  size_t len = size * nmemb;
  long code = 0;
  if(o->s->opt->location) {
    curl_easy_getinfo(o->curl, CURLINFO_RESPONSE_CODE, &code);
    if(code == 301 || code == 302 || code == 303 || code == 307 || code == 308)
      return len;                   /* body of a redirect we follow */
  }
  if(!o->f) {
    if(o->path && strcmp(o->path, "-")) {
      o->f = fopen(o->path, "wb");
      if(!o->f) {
        srpc_session_fail(o->s, SRPC_EXIT_WRITE, "cannot open output file %s: %s", o->path,
                          strerror(errno));
        o->failed = 1;
        return 0;
      }
      o->opened = 1;
    }
    else
      o->f = stdout;
  }
  if(fwrite(ptr, 1, len, o->f) != len) {
    srpc_session_fail(o->s, SRPC_EXIT_WRITE, "cannot write output: %s", strerror(errno));
    o->failed = 1;
    return 0;
  }
  return len;
}

/* Read -d @file / @- */
static char *load_data(const char *spec, int binary, int raw, size_t *len, struct srpc_session *s)
{
  char *buf = NULL;
  size_t cap = 0, n = 0;
  FILE *f;
  if(raw || spec[0] != '@') {
    *len = strlen(spec);
    return srpc_strdup_or_die(spec);
  }
  f = strcmp(spec + 1, "-") ? fopen(spec + 1, "rb") : stdin;
  if(!f) {
    srpc_session_fail(s, SRPC_EXIT_READ, "cannot read %s: %s", spec + 1, strerror(errno));
    return NULL;
  }
  for(;;) {
    if(n + 4096 > cap) {
      char *nb = realloc(buf, cap = cap * 2 + 8192);
      if(!nb) { free(buf); buf = NULL; break; }
      buf = nb;
    }
    size_t r = fread(buf + n, 1, cap - n - 1, f);
    if(!r) break;
    n += r;
  }
  if(f != stdin) fclose(f);
  if(!buf) {
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "out of memory");
    return NULL;
  }
  if(!binary) {                     /* like curl -d @file: strip CR/LF */
    size_t j = 0;
    for(size_t i = 0; i < n; i++)
      if(buf[i] != '\r' && buf[i] != '\n')
        buf[j++] = buf[i];
    n = j;
  }
  buf[n] = 0;
  *len = n;
  return buf;
}

static int same_origin(struct srpc_session *s, const char *url, char *out, size_t outlen)
{
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL;
  int ok = 0;
  if(u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
     !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
     !curl_url_get(u, CURLUPART_HOST, &host, 0) &&
     !curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
    char h[256];
    snprintf(h, sizeof(h), "%s", host);
    if(h[0] == '[') { memmove(h, h + 1, strlen(h)); h[strcspn(h, "]")] = 0; }
    int p = atoi(port);
    /* relative redirects come back as http://host:PORT (our transport URL) */
    if(!strcasecmp(h, s->host) &&
       ((!strcasecmp(scheme, "https") && p == s->port) ||
        (!strcasecmp(scheme, "http") && p == s->port))) {
      char ps[16];
      snprintf(ps, sizeof(ps), "%d", s->port);
      curl_url_set(u, CURLUPART_SCHEME, "http", 0);
      curl_url_set(u, CURLUPART_PORT, ps, 0);
      char *t = NULL;
      if(!curl_url_get(u, CURLUPART_URL, &t, 0)) {
        snprintf(out, outlen, "%s", t);
        curl_free(t);
        ok = 1;
      }
    }
  }
  curl_free(scheme); curl_free(host); curl_free(port);
  curl_url_cleanup(u);
  return ok;
}

static void shown_url(struct srpc_session *s, const char *transport_url)
{
  /* https://host[:port]/path as the user sees it */
  const char *p = strstr(transport_url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  snprintf(s->url_shown, sizeof(s->url_shown), "%s%s", s->origin, p ? p : "/");
}

/* Close a connection libcurl never took, join the pumps (bounded), remove
 * the private listener. */
void srpc_curl_release(struct srpc_session *s)
{
  if(s->parked) {                   /* libcurl never asked for it */
    s->be->close(s->parked);
    s->parked = NULL;
  }
  /* Let the pumps send close_notify; bounded wait. */
  while(s->pumps) {
    struct srpc_pump *pm = s->pumps;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 3;
    if(pthread_timedjoin_np(pm->th, NULL, &ts) == 0) {
      s->pumps = pm->next;
      free(pm);
    }
    else {
      pthread_detach(pm->th);       /* stuck on the network: leave it to exit() */
      s->pumps = pm->next;
    }
  }
  teardown_listener(s);
}

/* Route libcurl's connections for this session through TLS-SRP. */
int srpc_curl_prepare(struct srpc_session *s, void *handle)
{
  CURL *curl = handle;
  if(s->listen_fd < 0 && curl_ignores_already_connected() && setup_listener(s)) {
    teardown_listener(s);
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "cannot create a private socket: %s", strerror(errno));
    return s->exit_code;
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, opensocket_cb);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, s);
  curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, sockopt_cb);
  curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, s);
  if(s->listen_fd >= 0)
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, s->listen_path);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(curl, CURLOPT_PROXY, "");   /* never via a proxy: we are the TLS */
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  return 0;
}

int srpc_transfer(struct srpc_session *s)
{
  const struct srpc_options *o = s->opt;
  CURL *curl;
  CURLcode res = CURLE_OK;
  char errbuf[CURL_ERROR_SIZE];
  char url[2048], hosthdr[300];
  struct curl_slist *hdrs = NULL;
  struct out_ctx out = { s, NULL, NULL, o->output, 0, 0 };
  char *postdata = NULL;
  size_t postlen = 0;
  int rc, user_host = 0, redirs = 0;
  const char *method = o->method;
  int post = o->data != NULL;

  /* First connection with the interactive login flow, before libcurl's
   * clock starts. */
  rc = srpc_login_host(s, 1, &s->parked);
  if(rc)
    return rc;
  if(o->verbose)
    srpc_print_handshake_summary(s, stderr);
  if(!o->location && !o->listen)    /* no second handshake will be needed */
    srpc_cred_wipe_password(&s->cred);

  if(o->data) {
    postdata = load_data(o->data, o->data_binary, o->data_raw, &postlen, s);
    if(!postdata)
      return s->exit_code;
  }

  curl = curl_easy_init();
  if(!curl) {
    free(postdata);
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "cannot initialise libcurl");
    return s->exit_code;
  }
  out.curl = curl;
  if(srpc_curl_prepare(s, curl)) {
    curl_easy_cleanup(curl);
    free(postdata);
    return s->exit_code;
  }
  {
    /* transport URL: http://host:port/path?query */
    CURLU *u = curl_url();
    char ps[16], *t = NULL;
    snprintf(ps, sizeof(ps), "%d", s->port);
    if(!u || curl_url_set(u, CURLUPART_URL, o->url, 0) ||
       curl_url_set(u, CURLUPART_SCHEME, "http", 0) ||
       curl_url_set(u, CURLUPART_PORT, ps, 0) ||
       curl_url_set(u, CURLUPART_USER, NULL, 0) ||
       curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) ||
       curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) ||
       curl_url_get(u, CURLUPART_URL, &t, 0)) {
      curl_url_cleanup(u);
      curl_easy_cleanup(curl);
      free(postdata);
      srpc_curl_release(s);
      srpc_session_fail(s, SRPC_EXIT_USAGE, "malformed URL '%s'", o->url);
      return s->exit_code;
    }
    snprintf(url, sizeof(url), "%s", t);
    curl_free(t);
    curl_url_cleanup(u);
  }
  for(struct srpc_header *h = o->headers; h; h = h->next) {
    if(!strncasecmp(h->line, "Host:", 5))
      user_host = 1;
    hdrs = curl_slist_append(hdrs, h->line);
  }
  if(!user_host) {
    const char *hb = strchr(s->host, ':') ? "[" : "", *he = strchr(s->host, ':') ? "]" : "";
    if(s->port == 443)
      snprintf(hosthdr, sizeof(hosthdr), "Host: %s%s%s", hb, s->host, he);
    else
      snprintf(hosthdr, sizeof(hosthdr), "Host: %s%s%s:%d", hb, s->host, he, s->port);
    hdrs = curl_slist_append(hdrs, hosthdr);
  }

  errbuf[0] = 0;
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "srpclient/" SRPCLIENT_VERSION);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, o->verbose ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, o->fail ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_HEADER, (o->include_headers || o->head) ? 1L : 0L);
  if(o->head)
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if(post) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, postdata);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)postlen);
  }
  if(method)
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);

  for(;;) {
    curl_easy_setopt(curl, CURLOPT_URL, url);
    shown_url(s, url);
    if(s->deadline > 0) {
      double left = s->deadline - srpc_now();
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(left > 0.001 ? left * 1000 : 1));
    }
    res = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &s->http_code);
    if(res != CURLE_OK || !o->location)
      break;
    long c = s->http_code;
    if(c != 301 && c != 302 && c != 303 && c != 307 && c != 308)
      break;
    char *loc = NULL;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &loc);
    if(!loc)
      break;
    if(o->max_redirs >= 0 && redirs >= o->max_redirs) {
      srpc_session_fail(s, SRPC_EXIT_REDIRECTS, "maximum (%ld) redirects followed", o->max_redirs);
      break;
    }
    char next[2048];
    if(!same_origin(s, loc, next, sizeof(next))) {
      srpc_session_fail(s, SRPC_EXIT_REDIRECT_ORIGIN,
                        "not following the redirect to %s: it leaves the device %s", loc, s->origin);
      break;
    }
    snprintf(url, sizeof(url), "%s", next);
    redirs++;
    if(c == 303 || ((c == 301 || c == 302) && post && !method)) {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      post = 0;
    }
    if(o->verbose)
      fprintf(stderr, "* following redirect (%ld) to %s\n", c, loc);
  }

  if(!s->exit_code && res != CURLE_OK) {
    if(res == CURLE_WRITE_ERROR && out.failed)
      ;                             /* already recorded */
    else
      srpc_session_fail(s, (int)res, "%s", errbuf[0] ? errbuf : curl_easy_strerror(res));
  }
  curl_easy_cleanup(curl);          /* closes libcurl's socketpair ends */
  curl_slist_free_all(hdrs);
  free(postdata);
  if(out.opened && fclose(out.f) && !s->exit_code)
    srpc_session_fail(s, SRPC_EXIT_WRITE, "cannot write output file %s", out.path);
  if(out.f == stdout)
    fflush(stdout);

  srpc_curl_release(s);
  return s->exit_code;
}
