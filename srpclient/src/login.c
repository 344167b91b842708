/* The browser-like login flow:
 *  1. no username known: connect offering SRP suites without the SRP
 *     extension; a device that wants a login answers unknown_psk_identity
 *     (RFC 5054 2.5.1.2), reported by the backend as CRED_REQUIRED;
 *  2. ask on the terminal (username echoed, password not), naming the device;
 *  3. reconnect with them; a rejected password says so and asks again, at
 *     most max_attempts times.
 * Non-interactive sources (-u, file, environment) are never retried: a
 * rejection is final (exit 67). With no terminal we never wait for input. */
#include "srpclient.h"
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

double srpc_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void srpc_session_fail(struct srpc_session *s, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->error, sizeof(s->error), fmt, ap);
  va_end(ap);
  s->exit_code = code;
}

const char *srpc_errclass_name(enum srpc_errclass c)
{
  switch(c) {
  case SRPC_OK: return "ok";
  case SRPC_E_CRED_REQUIRED: return "credentials-required";
  case SRPC_E_CRED_REJECTED: return "credentials-rejected";
  case SRPC_E_GROUP: return "group-not-acceptable";
  case SRPC_E_NO_SRP: return "no-srp";
  case SRPC_E_TIMEOUT: return "timeout";
  default: return "other";
  }
}

static int remaining_ms(struct srpc_session *s, int connect_phase)
{
  double left = 0;
  if(s->deadline > 0) {
    left = s->deadline - srpc_now();
    if(left <= 0.001)
      left = 0.001;
  }
  if(connect_phase && s->opt->connect_timeout > 0 &&
     (left == 0 || s->opt->connect_timeout < left))
    left = s->opt->connect_timeout;
  if(left == 0)
    left = 300; /* curl's default connect timeout */
  return (int)(left * 1000.0 + 0.5);
}

static int may_prompt(struct srpc_session *s, int interactive)
{
  return interactive && !s->opt->no_prompt && srpc_can_prompt();
}

static const char *how_to_supply =
  "supply it with -u USER[:PASSWORD], --credentials FILE (mode 600) or the "
  "SRPCLIENT_USER/SRPCLIENT_PASSWORD environment variables";

/* Ask for username (if ask_user) and password. Returns 0 or an exit code. */
static int ask_credentials(struct srpc_session *s, int ask_user)
{
  char prompt[600];
  double t0 = srpc_now();
  s->prompts++;
  if(ask_user) {
    char *u;
    if(s->cred.username)
      snprintf(prompt, sizeof(prompt), "Username for %s [%s]: ", s->origin, s->cred.username);
    else
      snprintf(prompt, sizeof(prompt), "Username for %s: ", s->origin);
    u = srpc_prompt(prompt, 1);
    if(!u) {
      srpc_session_fail(s, SRPC_EXIT_CRED_ABORT, "no username entered for %s (end of input)", s->origin);
      return s->exit_code;
    }
    if(!*u && s->cred.username)
      free(u);                      /* keep the previous one */
    else if(!*u) {
      free(u);
      srpc_session_fail(s, SRPC_EXIT_CRED_ABORT, "no username entered for %s", s->origin);
      return s->exit_code;
    }
    else {
      free(s->cred.username);
      s->cred.username = u;
      s->cred.user_src = SRPC_SRC_PROMPT;
    }
  }
  snprintf(prompt, sizeof(prompt), "Password for %s@%s: ", s->cred.username, s->origin);
  char *p = srpc_prompt(prompt, 0);
  if(!p) {
    srpc_session_fail(s, SRPC_EXIT_CRED_ABORT, "no password entered for %s at %s (end of input)",
                      s->cred.username, s->origin);
    return s->exit_code;
  }
  if(!*p) {
    free(p);
    srpc_session_fail(s, SRPC_EXIT_CRED_ABORT, "no password entered for %s at %s",
                      s->cred.username, s->origin);
    return s->exit_code;
  }
  srpc_cred_set_password(&s->cred, p, SRPC_SRC_PROMPT);
  if(s->deadline > 0)               /* time spent typing is not ours */
    s->deadline += srpc_now() - t0;
  return 0;
}

int srpc_login(struct srpc_session *s, const struct sockaddr *sa, socklen_t salen,
               int interactive, struct srpc_tls **out)
{
  char err[512];
  struct srpc_tls_params p;
  *out = NULL;

  /* Username known, password not: ask now or fail at once. */
  if(s->cred.username && !s->cred.password) {
    if(!may_prompt(s, interactive)) {
      srpc_session_fail(s, SRPC_EXIT_CRED_MISSING,
                        "the password for user '%s' at %s is missing and there is no terminal to ask on; %s",
                        s->cred.username, s->origin, how_to_supply);
      return s->exit_code;
    }
    if(ask_credentials(s, 0))
      return s->exit_code;
  }

  for(;;) {
    int timed_out, fd, closed = 0;
    double t0;
    enum srpc_errclass ec;
    struct srpc_tls *t = NULL;

    fd = srpc_tcp_connect_addr(sa, salen, remaining_ms(s, 1), &timed_out, err, sizeof(err));
    if(fd < 0) {
      srpc_session_fail(s, timed_out ? SRPC_EXIT_TIMEOUT : SRPC_EXIT_CONNECT,
                        "cannot connect to %s:%d: %s", s->host, s->port, err);
      return s->exit_code;
    }
    memset(&p, 0, sizeof(p));
    p.host = s->host;
    p.port = s->port;
    p.username = s->cred.password ? s->cred.username : NULL;
    p.password = s->cred.password;
    p.min_group_bits = s->opt->min_group_bits;
    p.suites = s->suites;
    p.nsuites = s->nsuites;
    p.timeout_ms = remaining_ms(s, 1);
    p.tls_min = s->opt->tls_min;
    p.tls_max = s->opt->tls_max;
    s->alert = -1;
    p.alert_received = &s->alert;
    p.closed_without_alert = &closed;
    p.verbose = s->opt->verbose;
    if(s->opt->verbose)
      fprintf(stderr, "* TLS-SRP handshake with %s:%d (%s), %s\n", s->host, s->port, s->be->name,
              p.username ? "offering username" : "offering SRP without a username");
    if(p.username)
      s->attempts++;
    s->handshakes++;
    err[0] = 0;
    t0 = srpc_now();
    ec = s->be->connect(fd, &p, &t, err, sizeof(err));
    s->errclass = ec;
    if(ec == SRPC_OK) {
      s->handshake_seconds = srpc_now() - t0;
      memset(&s->info, 0, sizeof(s->info));
      s->be->info(t, &s->info);
      if(!s->info.username[0] && p.username)
        snprintf(s->info.username, sizeof(s->info.username), "%s", p.username);
      s->have_info = 1;
      *out = t;
      return 0;
    }
    if(s->opt->verbose)
      fprintf(stderr, "* handshake failed: %s (%s)\n", srpc_errclass_name(ec), err);
    if(ec == SRPC_E_CRED_REQUIRED && p.username)
      ec = SRPC_E_CRED_REJECTED;  /* a device that does not know the user */
    s->errclass = ec;

    switch(ec) {
    case SRPC_E_CRED_REQUIRED:
      if(!may_prompt(s, interactive)) {
        srpc_session_fail(s, SRPC_EXIT_CRED_MISSING,
                          "%s requires a TLS-SRP username and password and there is no terminal to ask on; %s",
                          s->origin, how_to_supply);
        return s->exit_code;
      }
      srpc_tty_message("%s requires a login (TLS-SRP).\n", s->origin);
      if(ask_credentials(s, 1))
        return s->exit_code;
      continue;
    case SRPC_E_CRED_REJECTED:
      if(s->cred.pass_src != SRPC_SRC_PROMPT || !may_prompt(s, interactive)) {
        srpc_session_fail(s, SRPC_EXIT_LOGIN_DENIED,
                          "%s rejected the TLS-SRP login for user '%s' (credentials from %s): "
                          "check the username and password", s->origin, s->cred.username,
                          srpc_cred_source_name(s->cred.pass_src));
        return s->exit_code;
      }
      if(s->attempts >= s->opt->max_attempts) {
        srpc_session_fail(s, SRPC_EXIT_LOGIN_DENIED,
                          "%s rejected the TLS-SRP login for user '%s' %d times; giving up",
                          s->origin, s->cred.username, s->attempts);
        return s->exit_code;
      }
      srpc_tty_message("Login failed: %s rejected the username or password (attempt %d of %d).\n",
                       s->origin, s->attempts, s->opt->max_attempts);
      if(ask_credentials(s, s->cred.user_src == SRPC_SRC_PROMPT))
        return s->exit_code;
      continue;
    case SRPC_E_GROUP:
      srpc_session_fail(s, SRPC_EXIT_TLS,
                        "%s uses an SRP group that is not acceptable (%s); the minimum is %u bits "
                        "(--srp-min-group-bits)", s->origin, err, s->opt->min_group_bits);
      return s->exit_code;
    case SRPC_E_NO_SRP:
      srpc_session_fail(s, SRPC_EXIT_TLS,
                        "%s does not do TLS-SRP: it accepted none of the offered SRP cipher suites (%s)",
                        s->origin, err);
      return s->exit_code;
    case SRPC_E_TIMEOUT:
      srpc_session_fail(s, SRPC_EXIT_TIMEOUT, "TLS handshake with %s timed out", s->origin);
      return s->exit_code;
    default:
      if(closed && p.username) {
        /* Some stacks (Erlang/OTP) answer a wrong password by closing the connection
         * after ClientKeyExchange instead of sending bad_record_mac. */
        srpc_session_fail(s, SRPC_EXIT_TLS,
                          "%s closed the connection without a TLS alert during the TLS-SRP login "
                          "for user '%s': credentials rejected or device error (%s)",
                          s->origin, s->cred.username, err[0] ? err : "end of file");
        return s->exit_code;
      }
      srpc_session_fail(s, SRPC_EXIT_TLS, "TLS handshake with %s failed: %s", s->origin,
                        err[0] ? err : "unknown error");
      return s->exit_code;
    }
  }
}

int srpc_login_host(struct srpc_session *s, int interactive, struct srpc_tls **out)
{
  struct addrinfo hints, *res = NULL, *ai;
  char portstr[16];
  int rc;
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  snprintf(portstr, sizeof(portstr), "%d", s->port);
  rc = getaddrinfo(s->host, portstr, &hints, &res);
  if(rc) {
    srpc_session_fail(s, SRPC_EXIT_RESOLVE, "cannot resolve host '%s': %s", s->host, gai_strerror(rc));
    return s->exit_code;
  }
  rc = SRPC_EXIT_CONNECT;
  for(ai = res; ai; ai = ai->ai_next) {
    rc = srpc_login(s, ai->ai_addr, ai->ai_addrlen, interactive, out);
    if(rc != SRPC_EXIT_CONNECT)
      break;
  }
  freeaddrinfo(res);
  return rc;
}

void srpc_print_handshake_summary(struct srpc_session *s, FILE *err)
{
  const struct srpc_conn_info *ci = &s->info;
  fprintf(err, "* TLS-SRP connection established (backend %s, %s)\n", s->be->name,
          s->be->version ? s->be->version() : "");
  fprintf(err, "*   TLS version: %s\n", ci->tls_version[0] ? ci->tls_version : "unknown");
  fprintf(err, "*   cipher suite: %s (0x%04X)\n", ci->cipher_suite[0] ? ci->cipher_suite : "unknown",
          ci->suite_id);
  if(ci->group_bits)
    fprintf(err, "*   SRP group: %u bits\n", ci->group_bits);
  else
    fprintf(err, "*   SRP group: size not reported by this backend\n");
  fprintf(err, "*   authenticated user: %s\n", ci->username[0] ? ci->username : "(none)");
  fprintf(err, "*   session resumed: %s\n", ci->resumed ? "yes" : "no");
  if(ci->cert_sha256[0])
    fprintf(err, "*   device certificate (accepted because SRP authenticates the device) SHA-256: %s\n",
            ci->cert_sha256);
  fprintf(err, "*   handshake time: %.3f s\n", s->handshake_seconds);
}
