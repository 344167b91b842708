/* Command-line options (getopt_long). */
#include "srpclient.h"
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

enum {
  OPT_TLS_BACKEND = 1000, OPT_CREDENTIALS, OPT_NO_PROMPT, OPT_MIN_GROUP, OPT_CIPHERS,
  OPT_REPORT, OPT_DATA_BINARY, OPT_MAX_REDIRS, OPT_CONNECT_TIMEOUT, OPT_LISTEN,
  OPT_LISTEN_ANY, OPT_DATA_RAW, OPT_MAX_ATTEMPTS, OPT_TLSV10, OPT_TLSV11, OPT_TLSV12, OPT_TLS_MAX
};

static const struct option longopts[] = {
  {"user", required_argument, NULL, 'u'},
  {"credentials", required_argument, NULL, OPT_CREDENTIALS},
  {"no-prompt", no_argument, NULL, OPT_NO_PROMPT},
  {"tls-backend", required_argument, NULL, OPT_TLS_BACKEND},
  {"srp-min-group-bits", required_argument, NULL, OPT_MIN_GROUP},
  {"ciphers", required_argument, NULL, OPT_CIPHERS},
  {"report", required_argument, NULL, OPT_REPORT},
  {"output", required_argument, NULL, 'o'},
  {"request", required_argument, NULL, 'X'},
  {"header", required_argument, NULL, 'H'},
  {"data", required_argument, NULL, 'd'},
  {"data-binary", required_argument, NULL, OPT_DATA_BINARY},
  {"data-raw", required_argument, NULL, OPT_DATA_RAW},
  {"include", no_argument, NULL, 'i'},
  {"head", no_argument, NULL, 'I'},
  {"fail", no_argument, NULL, 'f'},
  {"location", no_argument, NULL, 'L'},
  {"max-redirs", required_argument, NULL, OPT_MAX_REDIRS},
  {"max-time", required_argument, NULL, 'm'},
  {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
  {"verbose", no_argument, NULL, 'v'},
  {"silent", no_argument, NULL, 's'},
  {"show-error", no_argument, NULL, 'S'},
  {"user-agent", required_argument, NULL, 'A'},
  {"listen", required_argument, NULL, OPT_LISTEN},
  {"listen-any-address", no_argument, NULL, OPT_LISTEN_ANY},
  {"max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS},
  {"tlsv1.0", no_argument, NULL, OPT_TLSV10},
  {"tlsv1.1", no_argument, NULL, OPT_TLSV11},
  {"tlsv1.2", no_argument, NULL, OPT_TLSV12},
  {"tls-max", required_argument, NULL, OPT_TLS_MAX},
  {"help", no_argument, NULL, 'h'},
  {"version", no_argument, NULL, 'V'},
  {NULL, 0, NULL, 0}
};

static int parse_seconds(const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if(errno || end == s || *end || v < 0 || v > 86400.0 * 365)
    return -1;
  *out = v;
  return 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if(errno || end == s || *end || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

/* Like curl's cleanarg(): overwrite the argument in place so that the
 * password does not show in ps / /proc/PID/cmdline. */
static void cleanarg(char *arg)
{
  size_t len = strlen(arg);
  if(len)
    memset(arg, ' ', len);
}

/* The message for an option whose value does not parse; returns -1. */
static int bad_value(FILE *err, const char *opt, const char *expected, const char *got)
{
  fprintf(err, "srpclient: option %s: expected %s, got '%s'\n", opt, expected, got);
  return -1;
}

int srpc_parse_options(int argc, char **argv, struct srpc_options *o, FILE *err)
{
  int c;
  long l;
  memset(o, 0, sizeof(*o));
  o->backend = "nss";
  o->min_group_bits = 2048;
  o->max_redirs = 50;
  o->max_attempts = 3;
  o->tls_min = o->tls_max = 3;
  optind = 0;  /* 0: full re-initialisation of getopt (glibc) */
  opterr = 0;
  while((c = getopt_long(argc, argv, ":u:o:X:H:d:iIfLm:vsSA:hV", longopts, NULL)) != -1) {
    switch(c) {
    case 'u': {
      char *colon = strchr(optarg, ':');
      free(o->user);
      srpc_secure_free(o->password);
      o->password = NULL;
      if(colon) {
        o->user = strndup(optarg, (size_t)(colon - optarg));
        o->password = strdup(colon + 1);
        o->user_has_password = 1;
        if(!o->password) goto oom;
      }
      else {
        o->user = strdup(optarg);
        o->user_has_password = 0;
      }
      if(!o->user) goto oom;
      cleanarg(optarg);
      if(!*o->user) {
        fprintf(err, "srpclient: option -u: empty user name\n");
        return -1;
      }
      break;
    }
    case OPT_CREDENTIALS: o->credentials_file = optarg; break;
    case OPT_NO_PROMPT: o->no_prompt = 1; break;
    case OPT_TLS_BACKEND:
      if(strcmp(optarg, "nss") && strcmp(optarg, "boringssl") && strcmp(optarg, "gnutls")) {
        fprintf(err, "srpclient: option --tls-backend: unknown backend '%s' (use nss or boringssl)\n", optarg);
        return -1;
      }
      o->backend = optarg;
      break;
    case OPT_MIN_GROUP:
      if(parse_long(optarg, 1024, 8192, &l))
        return bad_value(err, "--srp-min-group-bits", "a number of bits from 1024 to 8192", optarg);
      o->min_group_bits = (unsigned)l;
      break;
    case OPT_CIPHERS: o->ciphers = optarg; break;
    case OPT_REPORT: o->report_file = optarg; break;
    case 'o': o->output = optarg; break;
    case 'X': o->method = optarg; break;
    case 'H': {
      struct srpc_header *h = calloc(1, sizeof(*h)), **pp = &o->headers;
      if(!h) goto oom;
      h->line = optarg;
      while(*pp) pp = &(*pp)->next;
      *pp = h;
      break;
    }
    case 'd': o->data = optarg; o->data_binary = 0; o->data_raw = 0; break;
    case OPT_DATA_RAW: o->data = optarg; o->data_binary = 0; o->data_raw = 1; break;
    case OPT_DATA_BINARY: o->data = optarg; o->data_binary = 1; o->data_raw = 0; break;
    case 'i': o->include_headers = 1; break;
    case 'I': o->head = 1; break;
    case 'f': o->fail = 1; break;
    case 'L': o->location = 1; break;
    case OPT_MAX_REDIRS:
      if(parse_long(optarg, -1, 1000, &l))
        return bad_value(err, "--max-redirs", "a number", optarg);
      o->max_redirs = l;
      break;
    case 'm':
      if(parse_seconds(optarg, &o->max_time))
        return bad_value(err, "-m", "seconds", optarg);
      break;
    case OPT_CONNECT_TIMEOUT:
      if(parse_seconds(optarg, &o->connect_timeout))
        return bad_value(err, "--connect-timeout", "seconds", optarg);
      break;
    case OPT_MAX_ATTEMPTS:
      if(parse_long(optarg, 1, 10, &l))
        return bad_value(err, "--max-attempts", "1 to 10", optarg);
      o->max_attempts = (int)l;
      break;
    case OPT_TLSV10: o->tls_min = 1; break;
    case OPT_TLSV11: o->tls_min = 2; break;
    case OPT_TLSV12: o->tls_min = 3; break;
    case OPT_TLS_MAX:
      if(!strcmp(optarg, "1.0")) o->tls_max = 1;
      else if(!strcmp(optarg, "1.1")) o->tls_max = 2;
      else if(!strcmp(optarg, "1.2")) o->tls_max = 3;
      else
        return bad_value(err, "--tls-max", "1.0, 1.1 or 1.2 (TLS-SRP does not exist in TLS 1.3)", optarg);
      break;
    case 'v': o->verbose = 1; break;
    case 's': o->silent = 1; break;
    case 'S': o->show_error = 1; break;
    case 'A': o->user_agent = optarg; break;
    case OPT_LISTEN: o->listen = optarg; break;
    case OPT_LISTEN_ANY: o->listen_any = 1; break;
    case 'h': srpc_print_help(stdout); return 1;
    case 'V':
      printf("srpclient %s\n", SRPCLIENT_VERSION);
      return 1;
    case ':':
      fprintf(err, "srpclient: option %s needs an argument (try --help)\n", argv[optind - 1]);
      return -1;
    case '?':
    default:
      if(optopt)
        fprintf(err, "srpclient: option -%c is unknown (try --help)\n", optopt);
      else
        fprintf(err, "srpclient: option %s is unknown (try --help)\n", argv[optind - 1]);
      return -1;
    }
  }
  if(optind >= argc) {
    fprintf(err, "srpclient: no URL given (usage: srpclient [options] https://device/...; try --help)\n");
    return -1;
  }
  if(optind + 1 < argc) {
    fprintf(err, "srpclient: only one URL is supported, got '%s' too\n", argv[optind + 1]);
    return -1;
  }
  o->url = argv[optind];
  if(strncasecmp(o->url, "https://", 8)) {
    fprintf(err, "srpclient: URL must start with https:// (got '%s')\n", o->url);
    return -1;
  }
  if(o->tls_max < o->tls_min) {
    fprintf(err, "srpclient: --tls-max is below the minimum TLS version\n");
    return -1;
  }
  if(o->head && o->data) {
    fprintf(err, "srpclient: -I and -d cannot be used together\n");
    return -1;
  }
  return 0;
oom:
  fprintf(err, "srpclient: out of memory\n");
  return -1;
}

void srpc_options_free(struct srpc_options *o)
{
  struct srpc_header *h = o->headers;
  while(h) {
    struct srpc_header *n = h->next;
    free(h);
    h = n;
  }
  free(o->user);
  srpc_secure_free(o->password);
  memset(o, 0, sizeof(*o));
}
