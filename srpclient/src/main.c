/* srpclient entry point: options -> credentials -> backend -> transfer -> report. */
#include "srpclient.h"
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

static int parse_origin(struct srpc_session *s, const char *url)
{
  CURLU *u = curl_url();
  char *host = NULL, *port = NULL;
  int rc = -1;
  if(u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
     !curl_url_get(u, CURLUPART_HOST, &host, 0) &&
     !curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
    const char *h = host;
    size_t hl = strlen(h);
    if(h[0] == '[' && hl > 2) { h++; hl -= 2; }  /* IPv6 literal */
    if(hl < sizeof(s->host)) {
      memcpy(s->host, h, hl);
      s->host[hl] = 0;
      s->port = atoi(port);
      if(s->port == 443)
        snprintf(s->origin, sizeof(s->origin), "https://%s", host);
      else
        snprintf(s->origin, sizeof(s->origin), "https://%s:%d", host, s->port);
      rc = 0;
    }
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return rc;
}

int main(int argc, char **argv)
{
  struct srpc_options opt;
  struct srpc_session s;
  char err[512];
  int rc;

  signal(SIGPIPE, SIG_IGN);
  memset(&s, 0, sizeof(s));
  s.listen_fd = -1;
  s.t_start = srpc_now();
  rc = srpc_parse_options(argc, argv, &opt, stderr);
  if(rc == 1)
    return 0;
  if(rc < 0)
    return SRPC_EXIT_USAGE;
  s.opt = &opt;
  /* no core dumps (and no ptrace by other processes of the user) while we
   * hold passwords; mlockall is not used: with MCL_FUTURE an ordinary user's
   * RLIMIT_MEMLOCK would make later allocations fail */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  if(curl_global_init(CURL_GLOBAL_DEFAULT)) {
    fprintf(stderr, "srpclient: cannot initialise libcurl\n");
    return SRPC_EXIT_INTERNAL;
  }
  if(opt.max_time > 0)
    s.deadline = s.t_start + opt.max_time;

  s.be = srpc_backend_find(opt.backend);
  if(!s.be || !s.be->built) {
    srpc_session_fail(&s, SRPC_EXIT_NOT_BUILT, "TLS backend '%s' not built: %s", opt.backend,
                      s.be && s.be->not_built_reason ? s.be->not_built_reason : "unknown backend");
    goto done;
  }
  if(parse_origin(&s, opt.url)) {
    srpc_session_fail(&s, SRPC_EXIT_USAGE, "malformed URL '%s'", opt.url);
    goto done;
  }
  snprintf(s.url_shown, sizeof(s.url_shown), "%s", opt.url);
  if(srpc_suites_parse(opt.ciphers, s.suites, sizeof(s.suites) / sizeof(s.suites[0]),
                       &s.nsuites, err, sizeof(err))) {
    srpc_session_fail(&s, SRPC_EXIT_USAGE, "--ciphers: %s", err);
    goto done;
  }
  rc = srpc_cred_resolve(&opt, s.host, s.port, &s.cred, err, sizeof(err));
  if(rc) {
    srpc_session_fail(&s, rc, "%s", err);
    goto done;
  }
  /* the copy in opt is no longer needed */
  srpc_secure_free(opt.password);
  opt.password = NULL;
  if(s.be->global_init(err, sizeof(err))) {
    srpc_session_fail(&s, SRPC_EXIT_INTERNAL, "cannot initialise TLS backend '%s': %s", s.be->name, err);
    goto done;
  }
  if(opt.listen)
    srpc_bridge(&s);
  else
    srpc_transfer(&s);
  s.be->global_cleanup();

done:
  srpc_cred_clear(&s.cred);
  if(s.exit_code && (!opt.silent || opt.show_error))
    fprintf(stderr, "srpclient: %s\n", s.error);
  if(opt.report_file)
    srpc_write_report(opt.report_file, &s, srpc_now() - s.t_start);
  rc = s.exit_code;
  srpc_options_free(&opt);
  curl_global_cleanup();
  return rc;
}
