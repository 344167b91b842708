/* --listen: bridge for unmodified browsers ("http2srp"). Serves plain HTTP on
 * loopback (libmicrohttpd) and forwards each request through libcurl over the
 * TLS-SRP connection (same plumbing as a normal transfer). When no
 * credentials are known, the browser gets a login page; what the user enters
 * is used for the SRP handshake (checked at once); /.srpclient/logout forgets
 * them. Upstream requests are serialised (one libcurl handle, keep-alive).
 *
 * Hardening (bridge.h, bridge_request.c): the bridge accepts connections
 * itself and screens the raw request head before handing the socket to
 * libmicrohttpd; each connection carries one request (every response says
 * "Connection: close"), so no later request on it escapes the screening; the
 * parsed request is validated before anything reaches the device (Host names
 * the bridge, unambiguous framing, same-origin); connections, head and body
 * size, head and idle time and the wait for the device are bounded. */
#include "srpclient.h"
#include "bridge.h"
#include <curl/curl.h>
#include <microhttpd.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BRIDGE_MAX_RESP (64u << 20)    /* response body */
#define BRIDGE_MAX_BUFFERED (96u << 20) /* request and response bodies held at once, all connections */
#define BRIDGE_MAX_CONNECTIONS 512u    /* open browser connections (a browser opens ~6 per site) */
/* libmicrohttpd's own limit, never to be reached: 0.9.75 counts a closed
 * connection until its polling thread has reaped it, and under load, after
 * refusing connections handed over by MHD_add_connection at its limit, its
 * polling thread deadlocked on a mutex it held itself. Admission is ours. */
#define BRIDGE_MHD_CONNECTION_LIMIT (4 * BRIDGE_MAX_CONNECTIONS)
#define BRIDGE_HEAD_TIMEOUT_MS 10000   /* whole request head, from accept (slow-header clients) */
#define BRIDGE_IDLE_TIMEOUT_S 30u      /* libmicrohttpd: idle connection */
#define BRIDGE_DEVICE_WAIT_S 30        /* waiting for the (serialised) device connection */
#define LOGIN_PATH "/.srpclient/login"
#define LOGOUT_PATH "/.srpclient/logout"

struct bridge {
  struct srpc_session *s;
  pthread_mutex_t lock;                /* the device connection: curl and the credentials */
  CURL *curl;
  char origin[300];                    /* http://127.0.0.1:PORT as the browser sees it */
  struct bridge_site site;
  struct MHD_Daemon *daemon;
  int listen_fd;
  atomic_uint screening;               /* connections whose request head is being screened */
  atomic_size_t buffered;              /* bytes of bodies held, at most BRIDGE_MAX_BUFFERED */
  atomic_int stopping;
};

struct req {
  char *uri;                           /* origin-form request target to forward, with query */
  char *body;
  size_t len;
  int checked, too_big, over_budget;
};

struct buf { char *p; size_t len; int over; };
struct hdrs { char *lines[128]; int n; long status; };

static void html_escape(struct buf *b, const char *s);

static void buf_add(struct buf *b, const char *d, size_t n)
{
  if(b->over)
    return;
  if(b->len + n > BRIDGE_MAX_RESP) { b->over = 1; return; }
  char *np = realloc(b->p, b->len + n + 1);
  if(!np) { b->over = 1; return; }
  b->p = np;
  memcpy(b->p + b->len, d, n);
  b->len += n;
  b->p[b->len] = 0;
}
static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void html_escape(struct buf *b, const char *s)
{
  for(; s && *s; s++) {
    switch(*s) {
    case '<': buf_str(b, "&lt;"); break;
    case '>': buf_str(b, "&gt;"); break;
    case '&': buf_str(b, "&amp;"); break;
    case '"': buf_str(b, "&quot;"); break;
    case '\'': buf_str(b, "&#39;"); break;
    default: buf_add(b, s, 1);
    }
  }
}

/* A response owning b's bytes; one request per connection (see the top). */
static struct MHD_Response *response_from(struct buf *b)
{
  struct MHD_Response *r = MHD_create_response_from_buffer(b->len, b->p ? b->p : (char *)"",
                                                           b->p ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if(!r)
    free(b->p);
  b->p = NULL;
  if(r)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
  return r;
}

static enum MHD_Result queue(struct MHD_Connection *con, unsigned status, struct MHD_Response *r)
{
  if(!r)
    return MHD_NO;
  enum MHD_Result ret = MHD_queue_response(con, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_buf(struct MHD_Connection *con, unsigned status, struct buf *b,
                                const char *ctype, const char *location)
{
  struct MHD_Response *r = response_from(b);
  if(r) {
    MHD_add_response_header(r, "Content-Type", ctype);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if(location)
      MHD_add_response_header(r, "Location", location);
  }
  return queue(con, status, r);
}

/* A request the bridge will not forward: the status and a one-line reason. */
static enum MHD_Result refuse_request(struct MHD_Connection *con, unsigned status, const char *why)
{
  struct buf b = { 0 };
  buf_str(&b, why);
  buf_str(&b, "\n");
  struct MHD_Response *r = response_from(&b);
  if(r) {
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    if(status == MHD_HTTP_METHOD_NOT_ALLOWED)
      MHD_add_response_header(r, "Allow", "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
    if(status == MHD_HTTP_SERVICE_UNAVAILABLE)
      MHD_add_response_header(r, "Retry-After", "5");
  }
  return queue(con, status, r);
}

/* The login page (after ui-mockups/: the browser's TLS-SRP credential window). */
static enum MHD_Result login_page(struct bridge *br, struct MHD_Connection *con, unsigned status,
                                  const char *next, const char *error, const char *user)
{
  struct buf b = { 0 };
  buf_str(&b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<title>Sign in to ");
  html_escape(&b, br->s->origin);
  buf_str(&b, "</title><style>"
          "body{font:15px system-ui,sans-serif;background:#eef1f5;margin:0;display:flex;"
          "justify-content:center;align-items:flex-start;min-height:100vh}"
          ".credwin{margin-top:10vh;background:#fff;border-radius:12px;box-shadow:0 8px 30px #0003;"
          "padding:24px 28px;width:360px}"
          "h1{font-size:18px;margin:0 0 4px}.origin{font-weight:600;word-break:break-all}"
          ".desc{color:#444;font-size:13px;margin:8px 0 16px}"
          "label{display:block;font-size:13px;margin:10px 0 4px}"
          "input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;"
          "border:1px solid #aab;border-radius:6px;font-size:15px}"
          ".buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:18px}"
          "button{padding:8px 16px;border-radius:6px;border:1px solid #1a73e8;font-size:14px}"
          "button.primary{background:#1a73e8;color:#fff}"
          ".error{background:#fce8e6;color:#a50e0e;padding:8px;border-radius:6px;font-size:13px}"
          ".lock{color:#188038;font-size:12px;margin-top:14px}"
          "</style></head><body><section class=\"credwin\" role=\"dialog\" aria-labelledby=\"cred-title\">"
          "<h1 id=\"cred-title\">Sign in</h1><div class=\"origin\" id=\"origin\">");
  html_escape(&b, br->s->origin);
  buf_str(&b, "</div><p class=\"desc\">This device uses TLS-SRP: your password proves that it is "
          "the real device, and the device never receives the password itself.</p>");
  if(error) {
    buf_str(&b, "<p class=\"error\" id=\"error\" role=\"alert\">");
    html_escape(&b, error);
    buf_str(&b, "</p>");
  }
  buf_str(&b, "<form method=\"post\" action=\"" LOGIN_PATH "\"><input type=\"hidden\" name=\"next\" value=\"");
  html_escape(&b, next ? next : "/");
  buf_str(&b, "\"><label for=\"username\">Username</label>"
          "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required value=\"");
  html_escape(&b, user ? user : "");
  buf_str(&b, "\"><label for=\"password\">Password</label>"
          "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
          "<div class=\"buttons\"><button type=\"submit\" class=\"primary\" id=\"signin\">Sign in</button></div>"
          "</form><p class=\"lock\">Served by the srpclient bridge on ");
  html_escape(&b, br->origin);
  buf_str(&b, "</p></section></body></html>\n");
  return send_buf(con, status, &b, "text/html; charset=utf-8", NULL);
}

static enum MHD_Result simple_page(struct MHD_Connection *con, unsigned status, const char *title,
                                   const char *msg, const char *link)
{
  struct buf b = { 0 };
  buf_str(&b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
  html_escape(&b, title);
  buf_str(&b, "</title></head><body style=\"font:15px system-ui,sans-serif;margin:40px\"><h1>");
  html_escape(&b, title);
  buf_str(&b, "</h1><p id=\"message\">");
  html_escape(&b, msg);
  buf_str(&b, "</p>");
  if(link) {
    buf_str(&b, "<p><a id=\"login\" href=\"" LOGIN_PATH "?next=/\">Sign in</a></p>");
  }
  buf_str(&b, "</body></html>\n");
  return send_buf(con, status, &b, "text/html; charset=utf-8", NULL);
}

/* application/x-www-form-urlencoded field (libcurl does the unescaping). */
static char *form_field(const char *body, size_t len, const char *name)
{
  size_t nl = strlen(name);
  const char *p = body, *end = body + len;
  while(p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *e = amp ? amp : end;
    if((size_t)(e - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
      size_t vl = (size_t)(e - p) - nl - 1;
      char *raw = malloc(vl + 1);
      if(!raw) return NULL;
      memcpy(raw, p + nl + 1, vl);
      raw[vl] = 0;
      for(char *q = raw; *q; q++) if(*q == '+') *q = ' ';
      int ol = 0;
      char *v = curl_easy_unescape(NULL, raw, (int)vl, &ol);
      explicit_bzero(raw, vl);
      free(raw);
      if(!v) return NULL;
      char *r = strdup(v);
      explicit_bzero(v, (size_t)ol);
      curl_free(v);
      return r;
    }
    p = e + 1;
  }
  return NULL;
}

static void forget_credentials(struct bridge *br)
{
  struct srpc_session *s = br->s;
  srpc_cred_clear(&s->cred);
  if(br->curl) {                       /* drop pooled authenticated connections */
    curl_easy_cleanup(br->curl);
    br->curl = NULL;
  }
}

static enum MHD_Result do_login(struct bridge *br, struct MHD_Connection *con, struct req *rq)
{
  struct srpc_session *s = br->s;
  char *user = form_field(rq->body ? rq->body : "", rq->len, "username");
  char *pass = form_field(rq->body ? rq->body : "", rq->len, "password");
  char *next = form_field(rq->body ? rq->body : "", rq->len, "next");
  enum MHD_Result ret;
  if(!next || next[0] != '/' || next[1] == '/') {   /* only local paths */
    free(next);
    next = strdup("/");
  }
  if(!user || !*user || !pass || !*pass) {
    ret = login_page(br, con, MHD_HTTP_BAD_REQUEST, next, "Enter a username and a password.", user);
    goto out;
  }
  forget_credentials(br);
  s->cred.username = user;
  s->cred.user_src = SRPC_SRC_PROMPT;
  srpc_cred_set_password(&s->cred, pass, SRPC_SRC_OPTION);  /* never re-asked by srpc_login */
  user = pass = NULL;
  s->exit_code = 0;
  s->error[0] = 0;
  struct srpc_tls *t = NULL;
  if(srpc_login_host(s, 0, &t) == 0) {
    s->be->close(t);
    if(s->opt->verbose)
      fprintf(stderr, "* bridge: %s logged in to %s\n", s->cred.username, s->origin);
    struct buf b = { 0 };
    buf_str(&b, "Signed in.\n");
    ret = send_buf(con, MHD_HTTP_SEE_OTHER, &b, "text/plain", next);
  }
  else {
    char msg[600];
    if(s->exit_code == SRPC_EXIT_LOGIN_DENIED)
      snprintf(msg, sizeof(msg), "The device rejected the username or password.");
    else
      snprintf(msg, sizeof(msg), "%s", s->error);
    char *u = s->cred.username ? strdup(s->cred.username) : NULL;
    forget_credentials(br);
    ret = login_page(br, con, s->exit_code == SRPC_EXIT_LOGIN_DENIED ? MHD_HTTP_UNAUTHORIZED
                                                                      : MHD_HTTP_BAD_GATEWAY, next, msg, u);
    free(u);
    s->exit_code = 0;
  }
out:
  free(user);
  srpc_secure_free(pass);
  free(next);
  return ret;
}

struct fwd_hdr_ctx { struct curl_slist *list; };

static enum MHD_Result copy_req_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
  static const char *skip[] = { "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization",
                                "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Expect", NULL };
  struct fwd_hdr_ctx *c = cls;
  (void)kind;
  for(int i = 0; skip[i]; i++)
    if(!strcasecmp(key, skip[i]))
      return MHD_YES;
  size_t n = strlen(key) + strlen(value ? value : "") + 3;
  char *line = malloc(n);
  if(line) {
    snprintf(line, n, "%s: %s", key, value ? value : "");
    c->list = curl_slist_append(c->list, line);
    free(line);
  }
  return MHD_YES;
}

/* Take n bytes of the bridge-wide body budget; 0 when it would be exceeded. */
static int budget_take(struct bridge *br, size_t n)
{
  size_t cur = atomic_load(&br->buffered);
  do
    if(n > BRIDGE_MAX_BUFFERED - cur)
      return 0;
  while(!atomic_compare_exchange_weak(&br->buffered, &cur, cur + n));
  return 1;
}

static void budget_give(struct bridge *br, size_t n)
{
  atomic_fetch_sub(&br->buffered, n);
}

/* A device response body being received, then held until libmicrohttpd has sent it. */
struct held_body {
  struct bridge *br;
  struct buf b;
  int over_budget;
};

static size_t resp_body_cb(char *p, size_t sz, size_t n, void *ud)
{
  struct held_body *hb = ud;
  if(!budget_take(hb->br, sz * n)) {
    hb->over_budget = 1;
    return 0;
  }
  buf_add(&hb->b, p, sz * n);
  return hb->b.over ? 0 : sz * n;
}

static void held_body_free(void *cls)
{
  struct held_body *hb = cls;
  budget_give(hb->br, hb->b.len);
  free(hb->b.p);
  free(hb);
}

static size_t resp_header_cb(char *p, size_t sz, size_t n, void *ud)
{
  struct hdrs *h = ud;
  size_t len = sz * n;
  if(len >= 5 && !strncmp(p, "HTTP/", 5)) {  /* new status line (e.g. after 100): restart */
    for(int i = 0; i < h->n; i++) free(h->lines[i]);
    h->n = 0;
    return len;
  }
  while(len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
    len--;
  if(len && h->n < 128 && memchr(p, ':', len))
    h->lines[h->n++] = strndup(p, len);
  return sz * n;
}

static enum MHD_Result forward(struct bridge *br, struct MHD_Connection *con, const char *method,
                               struct req *rq)
{
  struct srpc_session *s = br->s;
  struct held_body *body = calloc(1, sizeof(*body));
  struct hdrs h = { .n = 0 };
  struct fwd_hdr_ctx hc = { NULL };
  char url[8192], hosthdr[300];
  CURLcode res;

  if(!body || (!br->curl && !(br->curl = curl_easy_init()))) {
    free(body);
    return simple_page(con, MHD_HTTP_INTERNAL_SERVER_ERROR, "Bridge error", "cannot initialise libcurl", NULL);
  }
  body->br = br;
  CURL *c = br->curl;
  curl_easy_reset(c);                  /* options only; pooled connections stay */
  if(srpc_curl_prepare(s, c)) {
    free(body);
    return simple_page(con, MHD_HTTP_INTERNAL_SERVER_ERROR, "Bridge error", s->error, NULL);
  }
  const char *hb = strchr(s->host, ':') ? "[" : "", *he = strchr(s->host, ':') ? "]" : "";
  snprintf(url, sizeof(url), "http://%s%s%s:%d%s", hb, s->host, he, s->port, rq->uri);
  if(s->port == 443)
    snprintf(hosthdr, sizeof(hosthdr), "Host: %s%s%s", hb, s->host, he);
  else
    snprintf(hosthdr, sizeof(hosthdr), "Host: %s%s%s:%d", hb, s->host, he, s->port);
  MHD_get_connection_values(con, MHD_HEADER_KIND, copy_req_header, &hc);
  hc.list = curl_slist_append(hc.list, hosthdr);
  hc.list = curl_slist_append(hc.list, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hc.list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, resp_body_cb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, resp_header_cb);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(c, CURLOPT_HTTP_TRANSFER_DECODING, 1L);
  if(!strcmp(method, "HEAD"))
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  else if(strcmp(method, "GET")) {
    if(strcmp(method, "POST"))
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->len);
  }
  s->exit_code = 0;
  s->error[0] = 0;
  res = curl_easy_perform(c);
  curl_slist_free_all(hc.list);
  if(res != CURLE_OK) {
    int over_budget = body->over_budget;
    held_body_free(body);
    for(int i = 0; i < h.n; i++) free(h.lines[i]);
    if(over_budget)
      return refuse_request(con, MHD_HTTP_SERVICE_UNAVAILABLE, "The bridge is holding too much data; try again.");
    if(s->exit_code == SRPC_EXIT_LOGIN_DENIED || s->exit_code == SRPC_EXIT_CRED_MISSING) {
      forget_credentials(br);
      s->exit_code = 0;
      return login_page(br, con, MHD_HTTP_UNAUTHORIZED, rq->uri,
                        "The device no longer accepts these credentials; sign in again.", NULL);
    }
    char msg[700];
    snprintf(msg, sizeof(msg), "%s", s->exit_code ? s->error : curl_easy_strerror(res));
    s->exit_code = 0;
    return simple_page(con, MHD_HTTP_BAD_GATEWAY, "Cannot reach the device", msg, NULL);
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
    body->b.len, body->b.p ? body->b.p : (char *)"", held_body_free, body);
  if(r)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
  else
    held_body_free(body);
  static const char *skip[] = { "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length",
                                "Upgrade", "Trailer", "Strict-Transport-Security", NULL };
  for(int i = 0; i < h.n; i++) {
    char *colon = strchr(h.lines[i], ':');
    *colon = 0;
    const char *v = colon + 1;
    while(*v == ' ' || *v == '\t') v++;
    int drop = 0;
    for(int k = 0; skip[k]; k++)
      if(!strcasecmp(h.lines[i], skip[k])) drop = 1;
    if(!drop && r) {
      size_t ol = strlen(s->origin);
      if(!strcasecmp(h.lines[i], "Location") && !strncmp(v, s->origin, ol) && (v[ol] == '/' || !v[ol])) {
        char loc[8192];
        snprintf(loc, sizeof(loc), "%s%s", br->origin, v + ol);
        MHD_add_response_header(r, h.lines[i], loc);
      }
      else
        MHD_add_response_header(r, h.lines[i], v);
    }
    free(h.lines[i]);
  }
  return queue(con, (unsigned)status, r);
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *con)
{
  struct req *rq = calloc(1, sizeof(*rq));
  (void)cls; (void)con;
  if(rq)
    rq->uri = strdup(uri ? uri : "/");
  return rq;
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
  struct req *rq = *con_cls;
  (void)con; (void)toe;
  if(rq) {
    free(rq->uri);
    budget_give(cls, rq->len);
    if(rq->body) {
      explicit_bzero(rq->body, rq->len);  /* may hold a password (login form) */
      free(rq->body);
    }
    free(rq);
  }
  *con_cls = NULL;
}

/* Is the request target (with its query) the bridge page path? */
static int target_is(const char *target, const char *path)
{
  size_t n = strlen(path);
  return !strncmp(target, path, n) && (!target[n] || target[n] == '?');
}

/* Wait (bounded) for the device connection, shared by all requests. */
static int lock_device(struct bridge *br)
{
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += BRIDGE_DEVICE_WAIT_S;
  return pthread_mutex_timedlock(&br->lock, &until);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *con, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
  struct bridge *br = cls;
  struct req *rq = *con_cls;
  enum MHD_Result ret;
  (void)url;
  if(!rq || !rq->uri)
    return MHD_NO;
  if(!rq->checked) {                   /* head complete, body not read yet */
    struct bridge_verdict v;
    rq->checked = 1;
    bridge_check_request(con, &br->site, method, version, rq->uri, &v);
    if(v.status) {
      if(br->s->opt->verbose)
        fprintf(stderr, "* bridge: refused (%u): %s\n", v.status, v.why);
      return refuse_request(con, v.status, v.why);
    }
    free(rq->uri);
    rq->uri = v.target;                /* origin-form from here on */
    return MHD_YES;
  }
  if(*upload_data_size) {
    if(!rq->too_big && !rq->over_budget) {
      if(rq->len + *upload_data_size > BRIDGE_MAX_BODY)
        rq->too_big = 1;
      else if(!budget_take(br, *upload_data_size))
        rq->over_budget = 1;
      else {
        char *nb = realloc(rq->body, rq->len + *upload_data_size + 1);
        if(!nb) {
          budget_give(br, *upload_data_size);
          rq->over_budget = 1;
        }
        else {
          rq->body = nb;
          memcpy(rq->body + rq->len, upload_data, *upload_data_size);
          rq->len += *upload_data_size;
          rq->body[rq->len] = 0;
        }
      }
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  if(rq->too_big)
    return simple_page(con, MHD_HTTP_CONTENT_TOO_LARGE, "Request too large", "The request body is too large.", NULL);
  if(rq->over_budget)
    return refuse_request(con, MHD_HTTP_SERVICE_UNAVAILABLE, "The bridge is holding too much data; try again.");

  if(lock_device(br))
    return refuse_request(con, MHD_HTTP_SERVICE_UNAVAILABLE, "The device is busy; try again.");
  if(target_is(rq->uri, LOGIN_PATH) && !strcmp(method, "POST"))
    ret = do_login(br, con, rq);
  else if(target_is(rq->uri, LOGIN_PATH)) {
    const char *next = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "next");
    ret = login_page(br, con, MHD_HTTP_OK, next && next[0] == '/' && next[1] != '/' ? next : "/", NULL, NULL);
  }
  else if(target_is(rq->uri, LOGOUT_PATH)) {
    forget_credentials(br);
    ret = simple_page(con, MHD_HTTP_OK, "Signed out",
                      "The bridge has forgotten the credentials for this device.", LOGIN_PATH);
  }
  else if(!br->s->cred.username || !br->s->cred.password)
    ret = login_page(br, con, MHD_HTTP_UNAUTHORIZED, rq->uri, NULL, NULL);
  else
    ret = forward(br, con, method, rq);
  pthread_mutex_unlock(&br->lock);
  return ret;
}

/* Answer a connection refused at the screening stage (libmicrohttpd never
 * saw it), then close it the lingering way so the client reads the answer. */
static void refuse_raw(int fd, int status)
{
  const char *reason = status == 408 ? "Request Timeout" : status == 414 ? "URI Too Long"
                     : status == 431 ? "Request Header Fields Too Large" : "Bad Request";
  char msg[256], junk[4096];
  int n = snprintf(msg, sizeof(msg), "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n", status, reason, strlen(reason) + 1, reason);
  if(send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n) {
    shutdown(fd, SHUT_WR);
    struct pollfd p = { .fd = fd, .events = POLLIN };
    for(int rounds = 0; rounds < 10 && poll(&p, 1, 100) > 0 && recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0; rounds++)
      ;
  }
  close(fd);
}

struct screening {
  struct bridge *br;
  int fd;
  struct sockaddr_storage addr;
  socklen_t addr_len;
};

static long ms_since(const struct timespec *t0)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Per accepted connection: peek at the request head until it is complete and
 * screened (SO_RCVLOWAT makes poll wait for bytes not yet peeked), then hand
 * the untouched socket to libmicrohttpd. */
static void *screen_connection(void *arg)
{
  struct screening *sc = arg;
  struct bridge *br = sc->br;
  struct bridge_head_scan scan = { 0 };
  unsigned char *head = malloc(BRIDGE_MAX_HEAD);
  size_t have = 0;
  int verdict = head ? BRIDGE_HEAD_INCOMPLETE : -1, one = 1;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  while(verdict == BRIDGE_HEAD_INCOMPLETE) {
    int lowat = (int)have + 1;
    long left = BRIDGE_HEAD_TIMEOUT_MS - ms_since(&t0);
    struct pollfd p = { .fd = sc->fd, .events = POLLIN | POLLRDHUP };
    if(atomic_load(&br->stopping)) { verdict = -1; break; }
    if(left <= 0) { verdict = have ? 408 : -1; break; }
    setsockopt(sc->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat));
    int pr = poll(&p, 1, left < 250 ? (int)left : 250);
    if(pr <= 0)
      continue;
    ssize_t n = recv(sc->fd, head, BRIDGE_MAX_HEAD, MSG_PEEK | MSG_DONTWAIT);
    if(n > (ssize_t)have) {
      have = (size_t)n;
      verdict = bridge_scan_head(&scan, head, have, BRIDGE_MAX_HEAD);
    }
    else if(n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
      verdict = have ? 400 : -1;       /* closed before the head was complete */
  }
  free(head);
  if(verdict == BRIDGE_HEAD_OK) {
    setsockopt(sc->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof(one));
    MHD_add_connection(br->daemon, sc->fd, (const struct sockaddr *)&sc->addr, sc->addr_len);  /* closes on failure */
  }
  else if(verdict > 0) {
    if(br->s->opt->verbose)
      fprintf(stderr, "* bridge: refused (%d) while reading the request head\n", verdict);
    refuse_raw(sc->fd, verdict);
  }
  else
    close(sc->fd);
  atomic_fetch_sub(&br->screening, 1);
  free(sc);
  return NULL;
}

/* Connections libmicrohttpd holds, closed ones not yet reaped included. */
static unsigned served_connections(struct bridge *br)
{
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(br->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
  return di ? di->num_connections : 0;
}

/* Accept loop (the bridge's own listening socket): one screening thread per
 * connection, at most BRIDGE_MAX_CONNECTIONS screened and served together. */
static void *accept_loop(void *arg)
{
  struct bridge *br = arg;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  while(!atomic_load(&br->stopping)) {
    struct pollfd p = { .fd = br->listen_fd, .events = POLLIN };
    if(poll(&p, 1, 250) <= 0)
      continue;
    struct screening *sc = calloc(1, sizeof(*sc));
    if(!sc)
      continue;
    sc->br = br;
    sc->addr_len = sizeof(sc->addr);
    sc->fd = accept4(br->listen_fd, (struct sockaddr *)&sc->addr, &sc->addr_len, SOCK_CLOEXEC);
    pthread_t t;
    if(sc->fd < 0) {
      free(sc);
      usleep(10000);                   /* out of descriptors: do not spin */
    }
    else if(atomic_fetch_add(&br->screening, 1) + served_connections(br) >= BRIDGE_MAX_CONNECTIONS ||
            pthread_create(&t, &attr, screen_connection, sc)) {
      atomic_fetch_sub(&br->screening, 1);
      close(sc->fd);
      free(sc);
    }
  }
  pthread_attr_destroy(&attr);
  return NULL;
}

static int is_loopback(const struct sockaddr *sa)
{
  if(sa->sa_family == AF_INET)
    return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
  if(sa->sa_family == AF_INET6) {
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    if(IN6_IS_ADDR_LOOPBACK(a))
      return 1;
    if(IN6_IS_ADDR_V4MAPPED(a))
      return a->s6_addr[12] == 127;
  }
  return 0;
}

int srpc_bridge(struct srpc_session *s)
{
  struct bridge br;
  char host[256], port[16];
  const char *spec = s->opt->listen, *colon;
  struct addrinfo hints, *ai = NULL;
  sigset_t set;
  int sig, rc;

  memset(&br, 0, sizeof(br));
  br.s = s;
  pthread_mutex_init(&br.lock, NULL);
  /* ADDR:PORT, [V6]:PORT */
  if(spec[0] == '[') {
    const char *rb = strchr(spec, ']');
    if(!rb || rb[1] != ':' || (size_t)(rb - spec - 1) >= sizeof(host))
      goto bad;
    memcpy(host, spec + 1, (size_t)(rb - spec - 1));
    host[rb - spec - 1] = 0;
    colon = rb + 1;
  }
  else {
    colon = strrchr(spec, ':');
    if(!colon || (size_t)(colon - spec) >= sizeof(host))
      goto bad;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = 0;
  }
  snprintf(port, sizeof(port), "%s", colon + 1);
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  if(!*host || !*port || getaddrinfo(host, port, &hints, &ai) || !ai)
    goto bad;
  if(!is_loopback(ai->ai_addr) && !s->opt->listen_any) {
    freeaddrinfo(ai);
    srpc_session_fail(s, SRPC_EXIT_USAGE, "--listen %s is not a loopback address: the bridge would "
                      "expose the device to the network; add --listen-any-address to force it", spec);
    return s->exit_code;
  }
  /* SIGINT/SIGTERM are taken by sigwait below; threads inherit the mask */
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);

  br.listen_fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if(br.listen_fd >= 0)
    setsockopt(br.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if(br.listen_fd < 0 || bind(br.listen_fd, ai->ai_addr, ai->ai_addrlen) || listen(br.listen_fd, 512)) {
    srpc_session_fail(s, SRPC_EXIT_CONNECT, "cannot listen on %s: %s", spec, strerror(errno));
    freeaddrinfo(ai);
    if(br.listen_fd >= 0)
      close(br.listen_fd);
    return s->exit_code;
  }
  freeaddrinfo(ai);
  struct sockaddr_storage bound;
  socklen_t bound_len = sizeof(bound);
  getsockname(br.listen_fd, (struct sockaddr *)&bound, &bound_len);
  unsigned bport = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                     : ((struct sockaddr_in *)&bound)->sin_port);
  br.site.port = bport;
  br.site.any_address = !is_loopback((struct sockaddr *)&bound);
  if(strchr(host, ':'))
    snprintf(br.origin, sizeof(br.origin), "http://[%s]:%u", host, bport);
  else
    snprintf(br.origin, sizeof(br.origin), "http://%s:%u", host, bport);

  br.daemon = MHD_start_daemon(
    MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_NO_LISTEN_SOCKET |
    MHD_USE_ITC | MHD_USE_ERROR_LOG,
    0, NULL, NULL, answer, &br,
    MHD_OPTION_CONNECTION_LIMIT, BRIDGE_MHD_CONNECTION_LIMIT,
    MHD_OPTION_CONNECTION_TIMEOUT, BRIDGE_IDLE_TIMEOUT_S,
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(2 * BRIDGE_MAX_HEAD),
    MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512 * 1024),
    MHD_OPTION_URI_LOG_CALLBACK, uri_logger, &br,
    MHD_OPTION_NOTIFY_COMPLETED, completed, &br,
    MHD_OPTION_END);
  pthread_t acceptor;
  if(!br.daemon || pthread_create(&acceptor, NULL, accept_loop, &br)) {
    srpc_session_fail(s, SRPC_EXIT_INTERNAL, "cannot start the bridge's HTTP server on %s", spec);
    if(br.daemon)
      MHD_stop_daemon(br.daemon);
    close(br.listen_fd);
    return s->exit_code;
  }
  fprintf(stderr, "srpclient: bridge listening on %s/ -> %s (sign in at %s" LOGIN_PATH
          ", sign out at %s" LOGOUT_PATH ")\n", br.origin, s->origin, br.origin, br.origin);
  fflush(stderr);
  do
    rc = sigwait(&set, &sig);
  while(rc == EINTR);
  if(s->opt->verbose)
    fprintf(stderr, "* bridge: signal %d, shutting down\n", sig);
  atomic_store(&br.stopping, 1);
  pthread_join(acceptor, NULL);
  for(int waited = 0; atomic_load(&br.screening) && waited < 200; waited++)
    usleep(10000);                     /* screening threads notice stopping within 250 ms */
  MHD_stop_daemon(br.daemon);
  close(br.listen_fd);
  pthread_mutex_lock(&br.lock);
  forget_credentials(&br);
  pthread_mutex_unlock(&br.lock);
  srpc_curl_release(s);
  s->exit_code = 0;
  return 0;
bad:
  srpc_session_fail(s, SRPC_EXIT_USAGE, "--listen expects ADDRESS:PORT (e.g. 127.0.0.1:8080), got '%s'", spec);
  return s->exit_code;
}
