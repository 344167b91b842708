/* Bridge request screening and validation (bridge_request.c), used by bridge.c.
 * Two stages: the raw bytes of a request head are screened lexically before
 * libmicrohttpd reads them (what libmicrohttpd 0.9.75 would silently repair:
 * NUL, bare CR or LF, obs-fold, control characters); then the request as
 * libmicrohttpd parsed it is checked before anything is forwarded (method,
 * target, Host, framing headers, cross-site requests). */
#ifndef SRPCLIENT_BRIDGE_H
#define SRPCLIENT_BRIDGE_H

#include <stddef.h>

struct MHD_Connection;

#define BRIDGE_MAX_HEAD (32u * 1024)   /* request line + header fields */
#define BRIDGE_MAX_TARGET 8000u        /* request target (RFC 9112 3: at least 8000 octets) */
#define BRIDGE_MAX_BODY (8u << 20)     /* request body */

/* Progress of bridge_scan_head over a growing buffer (zero-initialise). */
struct bridge_head_scan {
  size_t pos;          /* next byte to look at */
  size_t line_start;   /* offset of the current line */
  unsigned lines;      /* complete lines so far (0: in the request line) */
};

enum { BRIDGE_HEAD_INCOMPLETE = 0, BRIDGE_HEAD_OK = 1 };

/* Screen the first len bytes of a request head (the same buffer, growing, on
 * each call). Returns BRIDGE_HEAD_OK once the empty line ending the head has
 * been seen, BRIDGE_HEAD_INCOMPLETE if more bytes are needed (len < max), or
 * the HTTP status to refuse with: 400 (bare CR or LF, NUL or other control
 * character, obs-fold, empty request line), 414 (request line longer than
 * max), 431 (head longer than max). */
int bridge_scan_head(struct bridge_head_scan *st, const unsigned char *p, size_t len, size_t max);

/* What a request may name as its authority: localhost or an IP address
 * (never a DNS name: DNS rebinding), loopback only unless the bridge listens
 * on another address, and the bridge's port. */
struct bridge_site {
  unsigned port;
  int any_address;     /* --listen-any-address: any IP address, not just loopback */
};

/* Outcome of bridge_check_request. */
struct bridge_verdict {
  unsigned status;     /* 0: forwardable, else the HTTP status to answer */
  const char *why;     /* short reason (static string) for the response body */
  char *target;        /* origin-form target to forward (malloc'd), when status is 0 */
};

/* Check a request parsed by libmicrohttpd before acting on it: method
 * (forwardable set; 405 for CONNECT/TRACE, 501 for others), request target
 * (origin-form or absolute-form naming the bridge; 421 for another authority;
 * 414 over BRIDGE_MAX_TARGET),
 * every header field name and value, exactly one Host naming the bridge (400
 * missing/duplicate/invalid, 421 another host: DNS rebinding), message framing
 * (Content-Length and Transfer-Encoding: 400, 413 over BRIDGE_MAX_BODY, 501 an
 * unknown transfer coding), cross-site requests (403: an Origin other than
 * http://HOST, Fetch Metadata other than same-origin or a top-level navigation). raw_target is
 * the request target as received. Fills *v; free v->target. */
void bridge_check_request(struct MHD_Connection *con, const struct bridge_site *site, const char *method,
                          const char *version, const char *raw_target, struct bridge_verdict *v);

#endif
