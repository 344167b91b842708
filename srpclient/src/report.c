/* --report FILE: one JSON object describing the run. Never the password. */
#include "srpclient.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int srpc_json_escape(FILE *f, const char *s)
{
  if(!s)
    return fputs("null", f) < 0 ? -1 : 0;
  fputc('"', f);
  for(const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch(*p) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    case '\b': fputs("\\b", f); break;
    case '\f': fputs("\\f", f); break;
    default:
      if(*p < 0x20 || *p == 0x7f)
        fprintf(f, "\\u%04x", *p);
      else
        fputc(*p, f);  /* UTF-8 passes through */
    }
  }
  fputc('"', f);
  return ferror(f) ? -1 : 0;
}

int srpc_write_report(const char *path, const struct srpc_session *s, double total_seconds)
{
  FILE *f;
  int fd;
  if(!strcmp(path, "-"))
    f = stdout;
  else {
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if(fd < 0 || !(f = fdopen(fd, "w"))) {
      fprintf(stderr, "srpclient: cannot write report %s: %s\n", path, strerror(errno));
      if(fd >= 0) close(fd);
      return -1;
    }
  }
  const struct srpc_conn_info *ci = s->have_info ? &s->info : NULL;
  fputs("{\"backend\":", f);
  srpc_json_escape(f, s->be ? s->be->name : (s->opt ? s->opt->backend : NULL));
  fputs(",\"url\":", f);
  srpc_json_escape(f, s->url_shown[0] ? s->url_shown : (s->opt ? s->opt->url : NULL));
  fputs(",\"tls_version\":", f);
  srpc_json_escape(f, ci && ci->tls_version[0] ? ci->tls_version : NULL);
  fputs(",\"cipher_suite\":", f);
  srpc_json_escape(f, ci && ci->cipher_suite[0] ? ci->cipher_suite : NULL);
  fputs(",\"group_bits\":", f);
  if(ci && ci->group_bits) fprintf(f, "%u", ci->group_bits); else fputs("null", f);
  fputs(",\"srp_username\":", f);
  srpc_json_escape(f, ci && ci->username[0] ? ci->username : NULL);
  fputs(",\"http_code\":", f);
  if(s->http_code) fprintf(f, "%ld", s->http_code); else fputs("null", f);
  fputs(",\"handshake_seconds\":", f);
  if(ci) fprintf(f, "%.6f", s->handshake_seconds); else fputs("null", f);
  fprintf(f, ",\"total_seconds\":%.6f,\"prompts\":%d,\"attempts\":%d,\"exit_code\":%d,\"error\":",
          total_seconds, s->prompts, s->attempts, s->exit_code);
  srpc_json_escape(f, s->exit_code ? (s->error[0] ? s->error : "failed") : NULL);
  fputs(",\"error_class\":", f);
  srpc_json_escape(f, s->exit_code && s->errclass != SRPC_OK ? srpc_errclass_name(s->errclass) : NULL);
  fputs(",\"tls_alert\":", f);
  srpc_json_escape(f, s->exit_code && s->alert >= 0 ?
                   (srpc_alert_name(s->alert) ? srpc_alert_name(s->alert) : "unknown") : NULL);
  fputs("}\n", f);
  int bad = ferror(f);
  if(f != stdout) {
    if(fclose(f)) bad = 1;
  }
  else
    fflush(f);
  if(bad) {
    fprintf(stderr, "srpclient: cannot write report %s\n", path);
    return -1;
  }
  return 0;
}
