/* Bridge request screening and validation: see bridge.h. Nothing here parses
 * HTTP: libmicrohttpd does, and libcurl's URL API parses absolute-form
 * targets. The head scan only looks at bytes and line ends, because
 * libmicrohttpd 0.9.75 (Debian 12) accepts and quietly rewrites what RFC 9112
 * says to reject: a NUL ends a value early, a bare LF ends a line, an obs-fold
 * line is glued to the field name, a bare CR stays inside a value. */
#include "bridge.h"
#include <arpa/inet.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int bridge_scan_head(struct bridge_head_scan *st, const unsigned char *p, size_t len, size_t max)
{
  for(; st->pos < len; st->pos++) {
    unsigned char c = p[st->pos];
    if(c == '\r') {
      if(st->pos + 1 == len)
        break;                         /* wait for the byte after CR */
      if(p[st->pos + 1] != '\n')
        return 400;                    /* bare CR */
      if(st->pos == st->line_start)
        return st->lines ? BRIDGE_HEAD_OK : 400;   /* empty line: end of head (or no request line) */
      st->lines++;
      st->pos++;
      st->line_start = st->pos + 1;
      continue;
    }
    if(c == '\n')
      return 400;                      /* bare LF */
    if(st->lines && st->pos == st->line_start && (c == ' ' || c == '\t'))
      return 400;                      /* obs-fold (RFC 9112 5.2) */
    if((c < 0x20 && !(c == '\t' && st->lines)) || c == 0x7f)
      return 400;                      /* NUL, other controls; HTAB only in fields */
  }
  if(len >= max)
    return st->lines ? 431 : 414;
  return BRIDGE_HEAD_INCOMPLETE;
}

/* RFC 9110 5.6.2 tchar */
static int is_token(const char *s, size_t n)
{
  if(!n)
    return 0;
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(!(c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c)))
      return 0;
  }
  return 1;
}

/* Does authority (a Host value, or host:port of a URL) name the bridge? See
 * struct bridge_site. */
static int is_self(const struct bridge_site *site, const char *authority)
{
  char host[64], port[8];
  const char *colon = authority[0] == '[' ? strstr(authority, "]:") : strrchr(authority, ':');
  size_t hl = colon ? (size_t)(colon - authority) + (authority[0] == '[') : strlen(authority);
  if(hl >= sizeof(host))
    return 0;
  memcpy(host, authority, hl);
  host[hl] = 0;
  snprintf(port, sizeof(port), "%u", site->port);
  if(colon ? strcmp(colon + 1 + (authority[0] == '['), port) : site->port != 80)
    return 0;
  if(!strcasecmp(host, "localhost"))
    return 1;
  struct in6_addr a6;
  struct in_addr a4;
  if(host[0] == '[' && host[hl - 1] == ']') {
    host[hl - 1] = 0;
    return inet_pton(AF_INET6, host + 1, &a6) == 1 && (site->any_address || IN6_IS_ADDR_LOOPBACK(&a6));
  }
  return inet_pton(AF_INET, host, &a4) == 1 && (site->any_address || (ntohl(a4.s_addr) >> 24) == 127);
}

/* What the header fields say, counted in one pass. */
struct fields {
  int bad;                             /* a name that is not a token, a control character in a value */
  int hosts, lengths, encodings;
  const char *host, *length, *encoding, *origin, *fetch_site, *fetch_mode, *fetch_dest;
};

static enum MHD_Result note_field(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                  const char *value, size_t value_size)
{
  struct fields *f = cls;
  (void)kind;
  if(!value)
    value = "";
  if(!key || !is_token(key, key_size) || strlen(key) != key_size)
    f->bad = 1;
  for(size_t i = 0; i < value_size; i++) {
    unsigned char c = (unsigned char)value[i];
    if((c < 0x20 && c != '\t') || c == 0x7f)
      f->bad = 1;
  }
  if(!key || f->bad)
    return MHD_YES;
  if(!strcasecmp(key, "Host")) { f->hosts++; f->host = value; }
  else if(!strcasecmp(key, "Content-Length")) { f->lengths++; f->length = value; }
  else if(!strcasecmp(key, "Transfer-Encoding")) { f->encodings++; f->encoding = value; }
  else if(!strcasecmp(key, "Origin")) f->origin = value;
  else if(!strcasecmp(key, "Sec-Fetch-Site")) f->fetch_site = value;
  else if(!strcasecmp(key, "Sec-Fetch-Mode")) f->fetch_mode = value;
  else if(!strcasecmp(key, "Sec-Fetch-Dest")) f->fetch_dest = value;
  return MHD_YES;
}

static void refuse(struct bridge_verdict *v, unsigned status, const char *why)
{
  v->status = status;
  v->why = why;
}

/* Absolute-form target (RFC 9112 3.2.2): accepted only when it names the
 * bridge; forwarded as its path and query. */
static void absolute_target(const struct bridge_site *site, const char *raw_target, struct bridge_verdict *v)
{
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *path = NULL, *query = NULL;
  if(!u || curl_url_set(u, CURLUPART_URL, raw_target, CURLU_PATH_AS_IS) ||
     curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) || strcasecmp(scheme, "http") ||
     curl_url_get(u, CURLUPART_HOST, &host, 0) ||
     !curl_url_get(u, CURLUPART_USER, &user, 0) ||          /* userinfo: refused */
     curl_url_get(u, CURLUPART_PATH, &path, 0))
    refuse(v, 400, "Malformed absolute-form request target.");
  else {
    char authority[300];
    if(curl_url_get(u, CURLUPART_PORT, &port, 0))
      snprintf(authority, sizeof(authority), "%s", host);
    else
      snprintf(authority, sizeof(authority), "%s:%s", host, port);
    if(!is_self(site, authority))
      refuse(v, 421, "This bridge serves only its own address.");
    else {
      int has_query = !curl_url_get(u, CURLUPART_QUERY, &query, 0);
      size_t n = strlen(path) + (has_query ? strlen(query) + 1 : 0) + 1;
      if((v->target = malloc(n)))
        snprintf(v->target, n, "%s%s%s", path, has_query ? "?" : "", has_query ? query : "");
      else
        refuse(v, 500, "Out of memory.");
    }
  }
  curl_free(scheme); curl_free(host); curl_free(port); curl_free(user); curl_free(path); curl_free(query);
  curl_url_cleanup(u);
}

/* Same-origin policy for state: an Origin must be http:// + the Host the
 * request was sent to. Fetch Metadata (resource isolation): same-origin,
 * user-initiated, or a top-level navigation; a request without these headers
 * (not a browser, or an old one) is judged by Origin alone. */
static int cross_site(const struct fields *f, const char *method)
{
  if(f->origin && (strncmp(f->origin, "http://", 7) || strcasecmp(f->origin + 7, f->host)))
    return 1;
  if(!f->fetch_site || !strcmp(f->fetch_site, "same-origin") || !strcmp(f->fetch_site, "none"))
    return 0;
  return !(f->fetch_mode && !strcmp(f->fetch_mode, "navigate") &&
           (!strcmp(method, "GET") || !strcmp(method, "HEAD")) &&
           !(f->fetch_dest && (!strcmp(f->fetch_dest, "object") || !strcmp(f->fetch_dest, "embed"))));
}

void bridge_check_request(struct MHD_Connection *con, const struct bridge_site *site, const char *method,
                          const char *version, const char *raw_target, struct bridge_verdict *v)
{
  static const char *const forwarded[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", NULL };
  struct fields f = { 0 };
  int known = 0;
  memset(v, 0, sizeof(*v));
  for(int i = 0; forwarded[i]; i++)
    known |= !strcmp(method, forwarded[i]);
  if(!known) {
    if(!strcmp(method, "CONNECT") || !strcmp(method, "TRACE"))
      refuse(v, 405, "The bridge forwards GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS only.");
    else
      refuse(v, 501, "Unknown request method.");
    return;
  }
  MHD_get_connection_values_n(con, MHD_HEADER_KIND, note_field, &f);
  if(f.bad) {
    refuse(v, 400, "Malformed header field.");
    return;
  }
  if(f.hosts != 1) {
    refuse(v, 400, "A request needs exactly one Host header field.");
    return;
  }
  if(!*f.host || f.host[strspn(f.host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:[]%")]) {
    refuse(v, 400, "Invalid Host header field.");
    return;
  }
  if(!is_self(site, f.host)) {
    refuse(v, 421, "This bridge serves only its own address (Host).");
    return;
  }
  if(f.lengths > 1 || (f.lengths && (!*f.length || strlen(f.length) > 18 || f.length[strspn(f.length, "0123456789")]))) {
    refuse(v, 400, "Invalid Content-Length.");
    return;
  }
  if(f.lengths && strtoull(f.length, NULL, 10) > BRIDGE_MAX_BODY) {
    refuse(v, 413, "The request body is too large.");
    return;
  }
  if(f.encodings) {
    const char *last = strrchr(f.encoding, ',');
    last = last ? last + 1 + strspn(last + 1, " \t") : f.encoding;
    if(f.encodings > 1 || f.lengths || strcmp(version, MHD_HTTP_VERSION_1_1) || strcasecmp(last, "chunked")) {
      refuse(v, 400, "Ambiguous message framing (Transfer-Encoding).");
      return;
    }
    if(strcasecmp(f.encoding, "chunked")) {
      refuse(v, 501, "Only the chunked transfer coding is supported.");
      return;
    }
  }
  if(cross_site(&f, method)) {
    refuse(v, 403, "Cross-site request refused.");
    return;
  }
  if(strlen(raw_target) > BRIDGE_MAX_TARGET)
    refuse(v, 414, "The request target is too long.");
  else if(raw_target[0] == '/') {
    for(const unsigned char *c = (const unsigned char *)raw_target; *c; c++)
      if(*c <= 0x20 || *c >= 0x7f || *c == '#') {
        refuse(v, 400, "Invalid request target.");
        return;
      }
    if(!(v->target = strdup(raw_target)))
      refuse(v, 500, "Out of memory.");
  }
  else if(!strncasecmp(raw_target, "http://", 7))
    absolute_target(site, raw_target, v);
  else
    refuse(v, 400, "Only origin-form and absolute-form request targets are forwarded.");
}
