/* srpclient - log in to TLS-SRP (RFC 5054) devices the way a browser would.
 * Shared declarations: exit codes, configuration, credentials, TLS backend
 * interface, session state. One concern per source file (curl's tool layout). */
#ifndef SRPCLIENT_H
#define SRPCLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/socket.h>

#define SRPCLIENT_VERSION "0.1.0"

/* Exit codes: curl's where one exists, our own (>= 100) otherwise. */
enum srpc_exit {
  SRPC_EXIT_OK = 0,
  SRPC_EXIT_USAGE = 2,             /* bad option / argument (curl: 2) */
  SRPC_EXIT_NOT_BUILT = 4,         /* backend or feature not built in (curl: 4) */
  SRPC_EXIT_RESOLVE = 6,           /* cannot resolve host (curl: 6) */
  SRPC_EXIT_CONNECT = 7,           /* cannot connect (curl: 7) */
  SRPC_EXIT_HTTP = 22,             /* HTTP error >= 400 with --fail (curl: 22) */
  SRPC_EXIT_WRITE = 23,            /* cannot write output (curl: 23) */
  SRPC_EXIT_READ = 26,             /* cannot read upload data (curl: 26) */
  SRPC_EXIT_TIMEOUT = 28,          /* timeout (curl: 28) */
  SRPC_EXIT_TLS = 35,              /* TLS handshake failure, no SRP, bad group (curl: 35) */
  SRPC_EXIT_REDIRECTS = 47,        /* too many redirects (curl: 47) */
  SRPC_EXIT_LOGIN_DENIED = 67,     /* credentials rejected (curl: 67) */
  SRPC_EXIT_CRED_MISSING = 100,    /* credentials needed but no terminal to ask */
  SRPC_EXIT_CRED_FILE = 101,       /* credentials file unreadable, unsafe or malformed */
  SRPC_EXIT_CRED_ABORT = 102,      /* user gave no input at the prompt (EOF / empty) */
  SRPC_EXIT_REDIRECT_ORIGIN = 103, /* redirect to another origin refused */
  SRPC_EXIT_INTERNAL = 104         /* out of memory, thread/socket failure, ... */
};

/* ---------------------------------------------------------------- options */
struct srpc_header { char *line; struct srpc_header *next; };

struct srpc_options {
  const char *url;
  const char *backend;            /* "nss" (default), "boringssl", "gnutls" */
  char *user;                     /* from -u, before the ':' (malloc'd) */
  char *password;                 /* from -u, after the ':' (malloc'd, secret) */
  int user_has_password;          /* -u had a ':' */
  const char *credentials_file;   /* --credentials FILE */
  int no_prompt;                  /* --no-prompt */
  unsigned min_group_bits;        /* --srp-min-group-bits (default 2048) */
  const char *ciphers;            /* --ciphers LIST (OpenSSL spellings, ':' separated) */
  const char *report_file;        /* --report FILE */
  const char *output;             /* -o FILE */
  const char *method;             /* -X */
  const char *data;               /* -d / --data-binary (may be @file) */
  int data_binary;
  int data_raw;                   /* --data-raw: '@' not special */
  int include_headers;            /* -i */
  int head;                       /* -I */
  int fail;                       /* -f */
  int location;                   /* -L */
  long max_redirs;                /* --max-redirs (default 50) */
  double max_time;                /* -m seconds, 0 = none */
  double connect_timeout;         /* --connect-timeout seconds, 0 = default */
  int verbose;                    /* -v */
  int silent;                     /* -s */
  int show_error;                 /* -S */
  const char *user_agent;         /* -A */
  struct srpc_header *headers;    /* -H (list) */
  const char *listen;             /* --listen ADDR:PORT (bridge mode) */
  int listen_any;                 /* --listen-any-address */
  int max_attempts;               /* password attempts (3) */
  int tls_min, tls_max;           /* 1 = TLS 1.0, 2 = 1.1, 3 = 1.2 (default 3..3) */
};

/* Parse argv. Returns 0 to go on, -1 for a usage error (message printed),
 * 1 when --help/--version was handled. Scrubs the -u argument in argv. */
int srpc_parse_options(int argc, char **argv, struct srpc_options *o, FILE *err);
void srpc_options_free(struct srpc_options *o);
void srpc_print_help(FILE *out);

/* ------------------------------------------------------------ credentials */
enum srpc_cred_source {
  SRPC_SRC_NONE = 0, SRPC_SRC_OPTION, SRPC_SRC_FILE, SRPC_SRC_ENV, SRPC_SRC_PROMPT
};
const char *srpc_cred_source_name(enum srpc_cred_source s);

struct srpc_credentials {
  char *username;                 /* malloc'd or NULL */
  char *password;                 /* malloc'd or NULL, wiped by srpc_cred_clear */
  enum srpc_cred_source user_src, pass_src;
};

/* Fill creds from -u, credentials file, environment (precedence in that
 * order). host/port select the credentials-file entry. Returns 0 or an exit
 * code (SRPC_EXIT_CRED_FILE) with a message in err. */
int srpc_cred_resolve(const struct srpc_options *o, const char *host, int port,
                      struct srpc_credentials *c, char *err, size_t errlen);
/* Parse a netrc-like credentials file (mode must be 0600/0400). */
int srpc_cred_from_file(const char *path, const char *host, int port,
                        char **user, char **pass, char *err, size_t errlen);
void srpc_cred_set_password(struct srpc_credentials *c, char *pw, enum srpc_cred_source s);
void srpc_cred_wipe_password(struct srpc_credentials *c);
void srpc_cred_clear(struct srpc_credentials *c);
void srpc_secure_free(char *s);
char *srpc_strdup_or_die(const char *s);

/* ----------------------------------------------------------------- prompt */
/* 1 if a terminal (/dev/tty) can be opened for prompting. */
int srpc_can_prompt(void);
/* Prompt on /dev/tty. echo=0 turns echo off (password). Returns malloc'd line
 * (without newline), NULL on EOF/error/no terminal. */
char *srpc_prompt(const char *prompt, int echo);
void srpc_tty_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ TLS backend */
enum srpc_errclass {
  SRPC_OK = 0,
  SRPC_E_CRED_REQUIRED,           /* device wants SRP credentials (none offered) */
  SRPC_E_CRED_REJECTED,           /* username/password rejected */
  SRPC_E_GROUP,                   /* SRP group not acceptable (too small / unknown) */
  SRPC_E_NO_SRP,                  /* device does not do TLS-SRP */
  SRPC_E_TIMEOUT,
  SRPC_E_OTHER
};
const char *srpc_errclass_name(enum srpc_errclass c);

struct srpc_tls_params {
  const char *host;               /* SNI / name for messages */
  int port;
  const char *username;           /* NULL: offer SRP suites without username */
  const char *password;
  unsigned min_group_bits;
  const uint16_t *suites;         /* SRP suites to offer, in preference order */
  size_t nsuites;
  int timeout_ms;                 /* handshake timeout, 0 = none */
  int tls_min, tls_max;           /* minor versions: 1 = TLS 1.0 ... 3 = TLS 1.2 */
  int verbose;
  int *alert_received;            /* out: last TLS alert received, -1 = none */
  int *closed_without_alert;      /* out: 1 when the device closed the connection during the
                                   * handshake without an alert (may be NULL) */
};

struct srpc_conn_info {
  char tls_version[16];           /* "TLS 1.2" */
  char cipher_suite[80];          /* IANA name */
  uint16_t suite_id;
  unsigned group_bits;            /* 0 = unknown */
  char username[256];
  int resumed;
  char cert_sha256[100];          /* SRP-RSA/DSS: device certificate fingerprint */
};

struct srpc_tls;                  /* backend-private connection */

struct srpc_backend {
  const char *name;
  int built;                      /* 0: compiled without the library */
  const char *not_built_reason;
  const char *(*version)(void);
  int (*global_init)(char *err, size_t errlen);
  void (*global_cleanup)(void);
  /* Handshake over the connected TCP socket fd (ownership passes to the
   * backend, also on failure). */
  enum srpc_errclass (*connect)(int fd, const struct srpc_tls_params *p,
                                struct srpc_tls **out, char *err, size_t errlen);
  ssize_t (*read)(struct srpc_tls *t, void *buf, size_t len);   /* 0: closed, <0 error */
  ssize_t (*write)(struct srpc_tls *t, const void *buf, size_t len);
  size_t (*pending)(struct srpc_tls *t);
  int (*get_fd)(struct srpc_tls *t);
  void (*info)(struct srpc_tls *t, struct srpc_conn_info *ci);
  void (*close)(struct srpc_tls *t);  /* close_notify, free, close fd */
};

const struct srpc_backend *srpc_backend_find(const char *name);
/* Class of a handshake that failed on TLS alert ALERT received from the device, the same
 * for every backend (RFC 5054's signals plus known device quirks). May rewrite ERR. */
enum srpc_errclass srpc_errclass_of_alert(int alert, const struct srpc_tls_params *p,
                                          char *err, size_t errlen);
extern const struct srpc_backend srpc_backend_nss;
extern const struct srpc_backend srpc_backend_boringssl;
extern const struct srpc_backend srpc_backend_gnutls;

/* RFC 5054 suite table (suites.c) */
struct srpc_suite { uint16_t id; const char *iana; const char *openssl; int cert; };
extern const struct srpc_suite srpc_suites[];
extern const size_t srpc_nsuites;
const struct srpc_suite *srpc_suite_by_id(uint16_t id);
/* Parse a ':'/','-separated list of OpenSSL or IANA names (NULL = default). */
int srpc_suites_parse(const char *list, uint16_t *out, size_t max, size_t *n,
                      char *err, size_t errlen);
int srpc_is_srp_suite(uint16_t id);
const char *srpc_alert_name(int alert);  /* RFC name, NULL if unknown */

/* ---------------------------------------------------------------- network */
/* Connect a TCP socket to addr with a timeout (ms, 0 = none). Returns fd or
 * -1 with err filled and *timed_out set. */
int srpc_tcp_connect_addr(const struct sockaddr *sa, socklen_t salen, int timeout_ms,
                          int *timed_out, char *err, size_t errlen);
void srpc_set_io_timeout(int fd, int timeout_ms);

/* ---------------------------------------------------------------- session */
struct srpc_session {
  const struct srpc_options *opt;
  const struct srpc_backend *be;
  struct srpc_credentials cred;
  char host[256];
  int port;
  char origin[300];               /* https://host[:port] */
  uint16_t suites[16];
  size_t nsuites;
  double t_start;
  double deadline;                /* absolute (monotonic), 0 = none */
  /* results */
  int prompts, attempts, handshakes;
  double handshake_seconds;
  struct srpc_conn_info info;
  int have_info;
  long http_code;
  int alert;                      /* last TLS alert received in a failed handshake, -1 none */
  enum srpc_errclass errclass;    /* class of the last handshake failure */
  int exit_code;
  char error[512];
  char url_shown[2048];
  /* established connection waiting to be handed to libcurl */
  struct srpc_tls *parked;
  /* libcurl 7.88 workaround: private unix listener */
  int listen_fd;
  char listen_dir[200], listen_path[220];
  /* pump threads */
  struct srpc_pump *pumps;
};

double srpc_now(void);
void srpc_session_fail(struct srpc_session *s, int code, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
/* Establish an authenticated TLS-SRP connection (login.c): connects, runs the
 * browser-like credentials flow (prompting when allowed). interactive=0 never
 * prompts. Returns 0 and *out, or an exit code (error recorded in s). */
int srpc_login(struct srpc_session *s, const struct sockaddr *sa, socklen_t salen,
               int interactive, struct srpc_tls **out);
/* Resolve host:port and srpc_login to the first address that connects. */
int srpc_login_host(struct srpc_session *s, int interactive, struct srpc_tls **out);
void srpc_print_handshake_summary(struct srpc_session *s, FILE *err);

/* transfer.c: run the HTTP request(s) through libcurl. Returns exit code. */
int srpc_transfer(struct srpc_session *s);
/* libcurl plumbing for other users (bridge): handle is a CURL * */
int srpc_curl_prepare(struct srpc_session *s, void *handle);
void srpc_curl_release(struct srpc_session *s);
/* bridge.c */
int srpc_bridge(struct srpc_session *s);

/* report.c */
int srpc_json_escape(FILE *f, const char *s);  /* writes "..." or null */
int srpc_write_report(const char *path, const struct srpc_session *s, double total_seconds);

#endif
