/* Unit tests: option parsing, credential sources and precedence, credentials
 * file rules, suite lists, report writing. Prints PASS/FAIL lines. */
#include "srpclient.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static int failures;
#define CHECK(name, cond) do { if(cond) printf("PASS unit/%s\n", name); \
  else { printf("FAIL unit/%s: %s (line %d)\n", name, #cond, __LINE__); failures++; } } while(0)

static char tmpdir[256];

static int parse(struct srpc_options *o, const char *first, ...)
{
  static char *argv[64];
  static char store[64][512];
  va_list ap;
  int argc = 0;
  const char *a = first;
  FILE *devnull = fopen("/dev/null", "w");
  strcpy(store[argc], "srpclient"); argv[argc] = store[argc]; argc++;
  va_start(ap, first);
  while(a) {
    snprintf(store[argc], sizeof(store[argc]), "%s", a);
    argv[argc] = store[argc];
    argc++;
    a = va_arg(ap, const char *);
  }
  va_end(ap);
  argv[argc] = NULL;
  int rc = srpc_parse_options(argc, argv, o, devnull);
  fclose(devnull);
  return rc;
}

static char *write_file(const char *name, const char *content, int mode)
{
  static char path[512];
  snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "w");
  fputs(content, f);
  fclose(f);
  chmod(path, (mode_t)mode);
  return path;
}

static void test_options(void)
{
  struct srpc_options o;
  CHECK("options/defaults", parse(&o, "https://dev/", NULL) == 0 && !strcmp(o.backend, "nss") &&
        o.min_group_bits == 2048 && o.max_attempts == 3 && !o.user);
  srpc_options_free(&o);
  CHECK("options/user-password", parse(&o, "-u", "alice:se:cret", "https://dev/", NULL) == 0 &&
        !strcmp(o.user, "alice") && !strcmp(o.password, "se:cret") && o.user_has_password);
  srpc_options_free(&o);
  CHECK("options/user-only", parse(&o, "--user", "bob", "https://dev/", NULL) == 0 &&
        !strcmp(o.user, "bob") && !o.password && !o.user_has_password);
  srpc_options_free(&o);
  {
    /* argv scrubbing like curl: the password must not stay in argv */
    char a0[] = "srpclient", a1[] = "-u", a2[] = "alice:topsecret", a3[] = "https://dev/";
    char *argv[] = { a0, a1, a2, a3, NULL };
    FILE *devnull = fopen("/dev/null", "w");
    int rc = srpc_parse_options(4, argv, &o, devnull);
    fclose(devnull);
    CHECK("options/argv-scrubbed", rc == 0 && !strstr(a2, "topsecret") && !strcmp(o.password, "topsecret"));
    srpc_options_free(&o);
  }
  CHECK("options/backend-boringssl", parse(&o, "--tls-backend", "boringssl", "https://dev/", NULL) == 0 &&
        !strcmp(o.backend, "boringssl"));
  srpc_options_free(&o);
  CHECK("options/backend-unknown", parse(&o, "--tls-backend", "openssl", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/min-group", parse(&o, "--srp-min-group-bits", "3072", "https://dev/", NULL) == 0 &&
        o.min_group_bits == 3072);
  srpc_options_free(&o);
  CHECK("options/min-group-too-small", parse(&o, "--srp-min-group-bits", "512", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/min-group-garbage", parse(&o, "--srp-min-group-bits", "12x", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/http-url-refused", parse(&o, "http://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/no-url", parse(&o, "-v", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/two-urls", parse(&o, "https://a/", "https://b/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/unknown-option", parse(&o, "--frobnicate", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/missing-arg", parse(&o, "https://dev/", "-o", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/max-time", parse(&o, "-m", "2.5", "--connect-timeout", "1", "https://dev/", NULL) == 0 &&
        o.max_time == 2.5 && o.connect_timeout == 1);
  srpc_options_free(&o);
  CHECK("options/bad-max-time", parse(&o, "-m", "-1", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/headers", parse(&o, "-H", "X-A: 1", "-H", "X-B: 2", "https://dev/", NULL) == 0 &&
        o.headers && !strcmp(o.headers->line, "X-A: 1") && o.headers->next &&
        !strcmp(o.headers->next->line, "X-B: 2"));
  srpc_options_free(&o);
  CHECK("options/http-flags", parse(&o, "-i", "-f", "-L", "-s", "-S", "-v", "-X", "PUT", "-d", "x=1",
        "-o", "out", "--report", "r.json", "--no-prompt", "--max-attempts", "5", "https://dev/", NULL) == 0 &&
        o.include_headers && o.fail && o.location && o.silent && o.show_error && o.verbose &&
        !strcmp(o.method, "PUT") && !strcmp(o.data, "x=1") && !strcmp(o.output, "out") &&
        !strcmp(o.report_file, "r.json") && o.no_prompt && o.max_attempts == 5);
  srpc_options_free(&o);
  CHECK("options/head-with-data", parse(&o, "-I", "-d", "x", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
  CHECK("options/empty-user", parse(&o, "-u", ":pw", "https://dev/", NULL) < 0);
  srpc_options_free(&o);
}

static void clear_env(void)
{
  unsetenv("SRPCLIENT_USER");
  unsetenv("SRPCLIENT_PASSWORD");
}

static void test_credentials(void)
{
  struct srpc_options o;
  struct srpc_credentials c;
  char err[512], *u, *p;
  int rc;
  const char *good = write_file("creds", "# comment\nmachine other.example login x password y\n"
                                "machine dev port 8443 login portuser password portpw\n"
                                "machine dev login fileuser password \"file pw\"\n"
                                "default login defuser password defpw\n", 0600);
  char goodpath[512];
  snprintf(goodpath, sizeof(goodpath), "%s", good);

  rc = srpc_cred_from_file(goodpath, "dev", 443, &u, &p, err, sizeof(err));
  CHECK("creds-file/machine", rc == 0 && u && !strcmp(u, "fileuser") && p && !strcmp(p, "file pw"));
  free(u); srpc_secure_free(p);
  rc = srpc_cred_from_file(goodpath, "dev", 8443, &u, &p, err, sizeof(err));
  CHECK("creds-file/port", rc == 0 && u && !strcmp(u, "portuser") && !strcmp(p, "portpw"));
  free(u); srpc_secure_free(p);
  rc = srpc_cred_from_file(goodpath, "DEV", 443, &u, &p, err, sizeof(err));
  CHECK("creds-file/host-case-insensitive", rc == 0 && u && !strcmp(u, "fileuser"));
  free(u); srpc_secure_free(p);
  rc = srpc_cred_from_file(goodpath, "unknown", 443, &u, &p, err, sizeof(err));
  CHECK("creds-file/default", rc == 0 && u && !strcmp(u, "defuser") && !strcmp(p, "defpw"));
  free(u); srpc_secure_free(p);
  {
    const char *bad = write_file("creds-open", "default login a password b\n", 0644);
    rc = srpc_cred_from_file(bad, "dev", 443, &u, &p, err, sizeof(err));
    CHECK("creds-file/refused-unless-0600", rc == SRPC_EXIT_CRED_FILE && strstr(err, "chmod 600") && !u && !p);
  }
  {
    const char *bad = write_file("creds-group", "default login a password b\n", 0640);
    rc = srpc_cred_from_file(bad, "dev", 443, &u, &p, err, sizeof(err));
    CHECK("creds-file/refused-group-readable", rc == SRPC_EXIT_CRED_FILE);
  }
  {
    const char *bad = write_file("creds-syntax", "machine dev login a passwrd b\n", 0600);
    rc = srpc_cred_from_file(bad, "dev", 443, &u, &p, err, sizeof(err));
    CHECK("creds-file/unknown-keyword", rc == SRPC_EXIT_CRED_FILE && strstr(err, "passwrd"));
  }
  {
    const char *bad = write_file("creds-quote", "machine dev login a password \"b\n", 0600);
    rc = srpc_cred_from_file(bad, "dev", 443, &u, &p, err, sizeof(err));
    CHECK("creds-file/unterminated-quote", rc == SRPC_EXIT_CRED_FILE);
  }
  rc = srpc_cred_from_file("/nonexistent/creds", "dev", 443, &u, &p, err, sizeof(err));
  CHECK("creds-file/missing", rc == SRPC_EXIT_CRED_FILE && strstr(err, "cannot open"));

  /* precedence */
  clear_env();
  setenv("SRPCLIENT_USER", "envuser", 1);
  setenv("SRPCLIENT_PASSWORD", "envpw", 1);
  parse(&o, "-u", "optuser:optpw", "--credentials", goodpath, "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/option-beats-file-and-env", rc == 0 && !strcmp(c.username, "optuser") &&
        !strcmp(c.password, "optpw") && c.user_src == SRPC_SRC_OPTION && c.pass_src == SRPC_SRC_OPTION);
  srpc_cred_clear(&c); srpc_options_free(&o);

  setenv("SRPCLIENT_PASSWORD", "envpw", 1);
  parse(&o, "--credentials", goodpath, "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/file-beats-env", rc == 0 && !strcmp(c.username, "fileuser") &&
        !strcmp(c.password, "file pw") && c.pass_src == SRPC_SRC_FILE);
  srpc_cred_clear(&c); srpc_options_free(&o);

  setenv("SRPCLIENT_PASSWORD", "envpw", 1);
  parse(&o, "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/env", rc == 0 && !strcmp(c.username, "envuser") && !strcmp(c.password, "envpw") &&
        c.user_src == SRPC_SRC_ENV);
  CHECK("env/password-wiped-from-environment", !getenv("SRPCLIENT_PASSWORD") || !*getenv("SRPCLIENT_PASSWORD"));
  srpc_cred_clear(&c); srpc_options_free(&o);

  /* -u user without password: the env password of ANOTHER user is not used */
  setenv("SRPCLIENT_PASSWORD", "envpw", 1);
  parse(&o, "-u", "someone", "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/no-password-from-other-user", rc == 0 && !strcmp(c.username, "someone") && !c.password);
  srpc_cred_clear(&c); srpc_options_free(&o);

  /* -u user (same as env user): env password fills in */
  setenv("SRPCLIENT_PASSWORD", "envpw", 1);
  parse(&o, "-u", "envuser", "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/option-user-env-password", rc == 0 && !strcmp(c.password, "envpw") &&
        c.user_src == SRPC_SRC_OPTION && c.pass_src == SRPC_SRC_ENV);
  srpc_cred_clear(&c); srpc_options_free(&o);

  /* -u fileuser: password from the file entry */
  clear_env();
  parse(&o, "-u", "fileuser", "--credentials", goodpath, "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/option-user-file-password", rc == 0 && !strcmp(c.password, "file pw") &&
        c.pass_src == SRPC_SRC_FILE);
  srpc_cred_clear(&c); srpc_options_free(&o);

  /* nothing: no username, no password -> prompt later */
  clear_env();
  parse(&o, "https://dev/", NULL);
  rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
  CHECK("precedence/nothing", rc == 0 && !c.username && !c.password);
  srpc_cred_clear(&c); srpc_options_free(&o);

  /* unsafe file is an error, not silently skipped */
  {
    char badpath[512];
    snprintf(badpath, sizeof(badpath), "%s", write_file("creds-open2", "default login a password b\n", 0604));
    parse(&o, "--credentials", badpath, "https://dev/", NULL);
    rc = srpc_cred_resolve(&o, "dev", 443, &c, err, sizeof(err));
    CHECK("precedence/unsafe-file-fails", rc == SRPC_EXIT_CRED_FILE);
    srpc_cred_clear(&c); srpc_options_free(&o);
  }
}

static void test_suites(void)
{
  uint16_t s[16];
  size_t n;
  char err[256];
  CHECK("suites/default", srpc_suites_parse(NULL, s, 16, &n, err, sizeof(err)) == 0 && n == 6 &&
        s[0] == 0xC020);
  CHECK("suites/openssl-names", srpc_suites_parse("SRP-AES-128-CBC-SHA:SRP-RSA-AES-256-CBC-SHA", s, 16, &n,
        err, sizeof(err)) == 0 && n == 2 && s[0] == 0xC01D && s[1] == 0xC021);
  CHECK("suites/iana-names", srpc_suites_parse("TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", s, 16, &n, err,
        sizeof(err)) == 0 && n == 1 && s[0] == 0xC01A);
  CHECK("suites/unknown", srpc_suites_parse("AES128-SHA", s, 16, &n, err, sizeof(err)) < 0);
  CHECK("suites/duplicates", srpc_suites_parse("SRP-AES-128-CBC-SHA,SRP-AES-128-CBC-SHA", s, 16, &n, err,
        sizeof(err)) == 0 && n == 1);
  CHECK("suites/table", srpc_nsuites == 9 && srpc_suite_by_id(0xC022) &&
        !strcmp(srpc_suite_by_id(0xC022)->iana, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA"));
}

static void test_report(void)
{
  struct srpc_session s;
  struct srpc_options o;
  char path[512], buf[4096];
  memset(&s, 0, sizeof(s));
  parse(&o, "https://dev/x?\"q\"", NULL);
  s.opt = &o;
  s.be = &srpc_backend_gnutls;
  snprintf(path, sizeof(path), "%s/report.json", tmpdir);
  /* failure report */
  srpc_session_fail(&s, SRPC_EXIT_LOGIN_DENIED, "rejected \"alice\"\n\ttab");
  s.attempts = 3; s.prompts = 3;
  s.cred.password = strdup("hunter2");
  CHECK("report/written", srpc_write_report(path, &s, 1.5) == 0);
  FILE *f = fopen(path, "r");
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = 0;
  fclose(f);
  CHECK("report/fields", strstr(buf, "\"backend\":\"gnutls\"") && strstr(buf, "\"exit_code\":67") &&
        strstr(buf, "\"attempts\":3") && strstr(buf, "\"prompts\":3") && strstr(buf, "\"tls_version\":null") &&
        strstr(buf, "\"http_code\":null") && strstr(buf, "\"total_seconds\":1.5"));
  CHECK("report/escaping", strstr(buf, "rejected \\\"alice\\\"\\n\\ttab") && strstr(buf, "x?\\\"q\\\""));
  CHECK("report/no-password", !strstr(buf, "hunter2"));
  free(s.cred.password);
  /* success report */
  memset(&s, 0, sizeof(s));
  s.opt = &o;
  s.be = &srpc_backend_gnutls;
  s.have_info = 1;
  strcpy(s.info.tls_version, "TLS 1.2");
  strcpy(s.info.cipher_suite, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA");
  strcpy(s.info.username, "alice");
  s.info.group_bits = 2048;
  s.http_code = 200;
  s.attempts = 1;
  srpc_write_report(path, &s, 0.25);
  f = fopen(path, "r");
  n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = 0;
  fclose(f);
  CHECK("report/success", strstr(buf, "\"error\":null") && strstr(buf, "\"group_bits\":2048") &&
        strstr(buf, "\"srp_username\":\"alice\"") && strstr(buf, "\"http_code\":200") &&
        strstr(buf, "\"exit_code\":0"));
  srpc_options_free(&o);
  /* control characters */
  {
    char *mem = NULL;
    size_t ml = 0;
    FILE *m = open_memstream(&mem, &ml);
    srpc_json_escape(m, "a\x01" "b\x7f");
    fclose(m);
    CHECK("report/control-chars", mem && !strcmp(mem, "\"a\\u0001b\\u007f\""));
    free(mem);
  }
}

static void test_backends(void)
{
  CHECK("backends/registry", srpc_backend_find("nss") && srpc_backend_find("boringssl") &&
        srpc_backend_find("gnutls") && !srpc_backend_find("openssl"));
  CHECK("backends/stub-says-not-built", !srpc_backend_nss.built && srpc_backend_nss.not_built_reason &&
        !srpc_backend_nss.connect);
}

int main(void)
{
  snprintf(tmpdir, sizeof(tmpdir), "%s/unit-XXXXXX", getenv("SRPC_TMP") ? getenv("SRPC_TMP") : "/tmp");
  if(!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  test_options();
  test_credentials();
  test_suites();
  test_report();
  test_backends();
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  if(system(cmd)) { }
  return failures ? 1 : 0;
}
